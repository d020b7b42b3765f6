package dev.sparknewton.solvers;

/**
 * Configuration of {@link HessianFree}; every field is checked on construction. The constants of
 * the method itself are fixed here, each with its source: J. Martens, "Deep learning via
 * Hessian-free optimization", ICML 2010 (below "Martens 2010"), and J. Martens, I. Sutskever,
 * "Training deep and recurrent networks with Hessian-free optimization", in Neural Networks:
 * Tricks of the Trade, 2nd ed., Springer 2012 ("Martens and Sutskever 2012").
 *
 * @param maxIter outer iteration limit, {@code >= 0}; default
 *     {@value NewtonCgConfig#DEFAULT_MAX_ITER}
 * @param tol stop when {@code ||g|| <= tol ||g_0||}, {@code >= 0}; default
 *     {@value NewtonCgConfig#DEFAULT_TOL}
 * @param gtol stop when {@code ||g|| <= gtol}, {@code >= 0}; default 0 (off)
 * @param hessianSampleFraction fraction of rows the curvature products use, in {@code (0, 1]}, a
 *     new sample each outer iteration; default 1
 * @param gradientSampleFraction fraction of rows value, gradient and the empirical Fisher
 *     diagonal are computed on, in {@code (0, 1]}, a new sample each outer iteration (for large
 *     data Martens 2010, Sec. 4.3, takes the gradient on a large sample and the curvature on a
 *     smaller one); default 1 (all rows)
 * @param seed seed of the row samples; default {@value NewtonCgConfig#DEFAULT_SEED}
 * @param maxCgIterations CG iterations per outer iteration, {@code >= 1}; default
 *     {@value #DEFAULT_MAX_CG_ITERATIONS}
 * @param initialDamping the first {@code lambda}, in {@code [minDamping, maxDamping]}; default
 *     {@value #DEFAULT_INITIAL_DAMPING}
 * @param minDamping smallest {@code lambda}, {@code > 0}; default {@value #DEFAULT_MIN_DAMPING}
 * @param maxDamping largest {@code lambda}, finite and {@code >= minDamping}; default
 *     {@value #DEFAULT_MAX_DAMPING}
 * @param lineSearch the Armijo constants; default {@link #defaultLineSearch()}
 */
public record HessianFreeConfig(
    int maxIter, double tol, double gtol, double hessianSampleFraction,
    double gradientSampleFraction, long seed, int maxCgIterations, double initialDamping,
    double minDamping, double maxDamping, LineSearchConfig lineSearch) {

  /** Exponent {@code alpha} of the preconditioner {@code (diag(F) + lambda)^alpha}: Martens 2010, Sec. 4.7. */
  public static final double PRECONDITIONER_EXPONENT = 0.75;
  /**
   * CG starts from this times the previous outer iteration's final CG iterate: Martens 2010,
   * Sec. 4.5 (the warm start), with the decay 0.95 of Martens and Sutskever 2012, Sec. 10.
   */
  public static final double WARM_START_DECAY = 0.95;
  /** {@code eps} of the relative-progress stop: Martens 2010, Sec. 4.4. */
  public static final double PROGRESS_EPSILON = 5e-4;
  /** The progress window is {@code k = max(PROGRESS_MIN_WINDOW, ceil(PROGRESS_WINDOW_FRACTION i))}: Martens 2010, Sec. 4.4. */
  public static final int PROGRESS_MIN_WINDOW = 10;
  /** See {@link #PROGRESS_MIN_WINDOW}. */
  public static final double PROGRESS_WINDOW_FRACTION = 0.1;
  /** CG iterates are kept for backtracking at the iterations {@code ceil(1.3^j)}: Martens 2010, Sec. 4.6. */
  public static final double BACKTRACKING_GROWTH = 1.3;
  /**
   * Outer iterations in a row whose line search found no step (each raises {@code lambda} by
   * {@link LevenbergMarquardtRule#INCREASE} and restarts CG from 0) before
   * {@link Termination#LINE_SEARCH_FAILED}.
   */
  public static final int MAX_REJECTED_STEPS = 5;
  /** Armijo constant {@code c = 1e-2}: Martens and Sutskever 2012, Sec. 8.8. */
  public static final double ARMIJO_C1 = 1e-2;
  /** The line search shrinks the step by 0.8: Martens and Sutskever 2012, Sec. 8.8. */
  public static final double STEP_SHRINK = 0.8;
  /** Candidate steps {@code 0.8, 0.8^2, ..., 0.8^30 = 1.2e-3}, all in one pass. */
  public static final int LINE_SEARCH_STEPS = 30;
  /** Martens and Sutskever 2012, Sec. 8.7: at most 250 CG iterations. */
  public static final int DEFAULT_MAX_CG_ITERATIONS = 250;
  /**
   * {@code lambda_0 = 1}. Martens 2010 starts at 45 for his deep autoencoders, whose losses have
   * their own scale. Our objectives are means of per-row losses: the curvature's largest
   * eigenvalues are of order the rows' squared norm times the loss's curvature (at most 1/4 for
   * the logistic loss), about 1 for standardized features. So {@code lambda = 1} damps the first
   * step about as much as the largest curvature does, and the Levenberg-Marquardt rule lowers it
   * by 2/3 each well-modelled step (11 steps for a factor 100; on the logistic test problem of
   * {@code LogisticSolversSuite} the damping stops limiting the steps after about 12 iterations).
   */
  public static final double DEFAULT_INITIAL_DAMPING = 1.0;
  /**
   * {@code lambda >= 1e-10}: keeps {@code C + lambda I} and the preconditioner positive definite
   * while far below any regularization the objectives use, so it does not slow convergence.
   */
  public static final double DEFAULT_MIN_DAMPING = 1e-10;
  /** {@code lambda <= 1e10}: the step is then about {@code -M^-1 g / lambda}, negligible. */
  public static final double DEFAULT_MAX_DAMPING = 1e10;

  public HessianFreeConfig {
    ConfigChecks.outerLoop(maxIter, tol, gtol, hessianSampleFraction);
    ConfigChecks.fraction("solver.gradientSampleFraction", gradientSampleFraction);
    ConfigChecks.atLeast("solver.maxCgIterations", maxCgIterations, 1);
    ConfigChecks.positive("solver.minDamping", minDamping);
    ConfigChecks.positive("solver.maxDamping", maxDamping);
    if (!(maxDamping >= minDamping)) {
      throw new IllegalArgumentException("solver.maxDamping must be >= solver.minDamping ("
          + minDamping + "), got " + maxDamping);
    }
    if (!(initialDamping >= minDamping && initialDamping <= maxDamping)) {
      throw new IllegalArgumentException("solver.initialDamping must be in [solver.minDamping, "
          + "solver.maxDamping] = [" + minDamping + ", " + maxDamping + "], got " + initialDamping);
    }
    ConfigChecks.notNull("solver.lineSearch", lineSearch);
  }

  /** Martens and Sutskever's line search: {@code c = 1e-2}, steps {@code 0.8^i} down to {@code 1.2e-3} in one pass. */
  public static LineSearchConfig defaultLineSearch() {
    return new LineSearchConfig(ARMIJO_C1, STEP_SHRINK, LINE_SEARCH_STEPS, 1);
  }

  public static HessianFreeConfig defaults() {
    return new HessianFreeConfig(NewtonCgConfig.DEFAULT_MAX_ITER, NewtonCgConfig.DEFAULT_TOL, 0.0,
        1.0, 1.0, NewtonCgConfig.DEFAULT_SEED, DEFAULT_MAX_CG_ITERATIONS, DEFAULT_INITIAL_DAMPING,
        DEFAULT_MIN_DAMPING, DEFAULT_MAX_DAMPING, defaultLineSearch());
  }

  public HessianFreeConfig withMaxIter(int value) {
    return new HessianFreeConfig(value, tol, gtol, hessianSampleFraction, gradientSampleFraction,
        seed, maxCgIterations, initialDamping, minDamping, maxDamping, lineSearch);
  }

  public HessianFreeConfig withTol(double value) {
    return new HessianFreeConfig(maxIter, value, gtol, hessianSampleFraction,
        gradientSampleFraction, seed, maxCgIterations, initialDamping, minDamping, maxDamping,
        lineSearch);
  }

  public HessianFreeConfig withGtol(double value) {
    return new HessianFreeConfig(maxIter, tol, value, hessianSampleFraction,
        gradientSampleFraction, seed, maxCgIterations, initialDamping, minDamping, maxDamping,
        lineSearch);
  }

  public HessianFreeConfig withHessianSampleFraction(double value) {
    return new HessianFreeConfig(maxIter, tol, gtol, value, gradientSampleFraction, seed,
        maxCgIterations, initialDamping, minDamping, maxDamping, lineSearch);
  }

  public HessianFreeConfig withGradientSampleFraction(double value) {
    return new HessianFreeConfig(maxIter, tol, gtol, hessianSampleFraction, value, seed,
        maxCgIterations, initialDamping, minDamping, maxDamping, lineSearch);
  }

  public HessianFreeConfig withSeed(long value) {
    return new HessianFreeConfig(maxIter, tol, gtol, hessianSampleFraction,
        gradientSampleFraction, value, maxCgIterations, initialDamping, minDamping, maxDamping,
        lineSearch);
  }

  public HessianFreeConfig withMaxCgIterations(int value) {
    return new HessianFreeConfig(maxIter, tol, gtol, hessianSampleFraction,
        gradientSampleFraction, seed, value, initialDamping, minDamping, maxDamping, lineSearch);
  }

  /** The three damping bounds at once, so that they are checked together. */
  public HessianFreeConfig withDamping(double initial, double min, double max) {
    return new HessianFreeConfig(maxIter, tol, gtol, hessianSampleFraction,
        gradientSampleFraction, seed, maxCgIterations, initial, min, max, lineSearch);
  }

  public HessianFreeConfig withLineSearch(LineSearchConfig value) {
    return new HessianFreeConfig(maxIter, tol, gtol, hessianSampleFraction,
        gradientSampleFraction, seed, maxCgIterations, initialDamping, minDamping, maxDamping,
        value);
  }
}
