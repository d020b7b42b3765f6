package dev.sparknewton.solvers;

/**
 * Configuration of {@link NewtonCg}; every field is checked on construction.
 *
 * @param maxIter outer iteration limit, {@code >= 0}; default {@value #DEFAULT_MAX_ITER}
 * @param tol stop when {@code ||g|| <= tol ||g_0||}, {@code >= 0}; default {@value #DEFAULT_TOL}
 * @param gtol stop when {@code ||g|| <= gtol}, {@code >= 0}; default 0 (off)
 * @param hessianSampleFraction fraction of rows the Hessian-vector products use, in
 *     {@code (0, 1]}, a new sample each outer iteration; default 1 (the full Hessian)
 * @param seed seed of the per-iteration Hessian samples; default {@value #DEFAULT_SEED}
 * @param maxCgIterations CG iterations (Hessian-vector products, each one pass) per outer
 *     iteration, {@code >= 1}; default {@value #DEFAULT_MAX_CG_ITERATIONS}, a cap rather than a
 *     tuning knob (the forcing rule normally stops CG long before)
 * @param forcing the CG stopping rule; default {@link Forcing#EISENSTAT_WALKER}
 * @param preconditioner default {@link Preconditioner#DIAGONAL}, fused into the gradient pass
 * @param sketch the Nystrom sketch of {@link Preconditioner#NYSTROM}: rank, oversampling, power
 *     iterations; default {@link LowRankSketchConfig#defaults()}
 * @param preconditionerRefresh {@link Preconditioner#NYSTROM}: rebuild the sketch at least every
 *     this many outer iterations, {@code >= 0}; 0 (default) rebuilds only when CG slows down (see
 *     {@link NewtonCg})
 * @param lineSearch the Armijo constants of {@link Globalization#LINE_SEARCH}; default
 *     {@link LineSearchConfig#defaults()}
 * @param globalization how the CG step becomes the next iterate; default
 *     {@link Globalization#LINE_SEARCH}
 */
public record NewtonCgConfig(
    int maxIter, double tol, double gtol, double hessianSampleFraction, long seed,
    int maxCgIterations, Forcing forcing, Preconditioner preconditioner,
    LowRankSketchConfig sketch, int preconditionerRefresh, LineSearchConfig lineSearch,
    Globalization globalization) {
  /*
   * The outer-loop defaults of every solver record's defaults() (the other records refer to
   * these). They are reference.conf's solver.maxIter, solver.tol and solver.seed, the defaults of
   * the command line and of the Spark ML estimators, which read reference.conf (ml.SolverSettings)
   * and never these constants; NewtonPipelineSuite checks that they agree.
   */
  public static final int DEFAULT_MAX_ITER = 100;
  public static final double DEFAULT_TOL = 1e-8;
  public static final long DEFAULT_SEED = 1L;
  public static final int DEFAULT_MAX_CG_ITERATIONS = 250;

  /** How CG is truncated. */
  public enum Forcing {
    /** {@code ||r|| <= eta_k ||g||} with {@link EisenstatWalkerForcing} (Choice 2). */
    EISENSTAT_WALKER,
    /** LIBLINEAR 2.40's quadratic-model stop, {@link CgStoppingRule.QuadraticModel}. */
    QUADRATIC_MODEL
  }

  /** The CG preconditioner. */
  public enum Preconditioner {
    /** {@code M = I}. */
    NONE,
    /** {@code M = diag(H)} of the full-data Hessian, guarded by {@link DiagonalPreconditioner}. */
    DIAGONAL,
    /**
     * {@code M = diag(H(w_0))}, the guarded diagonal at the start point, kept for the whole run.
     * From {@code w_0 = 0} it is the data's second moment per feature times the loss's curvature
     * at 0 (plus the penalty), the same whatever rows are confidently classified later: as the
     * norm of a trust region, {@code ||s||_M^2} is then about the mean squared change of the
     * outputs, the scale on which the loss's curvature changes.
     */
    INITIAL_DIAGONAL,
    /**
     * The randomized Nystrom preconditioner ({@link NystromPreconditioner}) of a sketch of the
     * (sub-sampled) Hessian, fused into the gradient pass when it is rebuilt.
     */
    NYSTROM
  }

  /** How a truncated-Newton step is made globally convergent. */
  public enum Globalization {
    /** Unconstrained truncated CG, then {@link LineSearch} (solver name {@code newton-cg}). */
    LINE_SEARCH,
    /**
     * Steihaug-Toint CG in a trust region with TRON's radius update, {@link TrustRegionIterations}
     * (solver name {@code trust-region}).
     */
    TRUST_REGION
  }

  public NewtonCgConfig {
    ConfigChecks.outerLoop(maxIter, tol, gtol, hessianSampleFraction);
    ConfigChecks.atLeast("solver.maxCgIterations", maxCgIterations, 1);
    ConfigChecks.notNull("solver.forcing", forcing);
    ConfigChecks.notNull("solver.preconditioner", preconditioner);
    ConfigChecks.notNull("solver.rank/oversampling/powerIterations", sketch);
    ConfigChecks.atLeast("solver.preconditionerRefresh", preconditionerRefresh, 0);
    ConfigChecks.notNull("solver.lineSearch", lineSearch);
    ConfigChecks.notNull("globalization", globalization);
  }

  public static NewtonCgConfig defaults() {
    return new NewtonCgConfig(DEFAULT_MAX_ITER, DEFAULT_TOL, 0.0, 1.0, DEFAULT_SEED,
        DEFAULT_MAX_CG_ITERATIONS, Forcing.EISENSTAT_WALKER, Preconditioner.DIAGONAL,
        LowRankSketchConfig.defaults(), 0, LineSearchConfig.defaults(), Globalization.LINE_SEARCH);
  }

  public NewtonCgConfig withMaxIter(int value) {
    return new NewtonCgConfig(value, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        forcing, preconditioner, sketch, preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withTol(double value) {
    return new NewtonCgConfig(maxIter, value, gtol, hessianSampleFraction, seed, maxCgIterations,
        forcing, preconditioner, sketch, preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withGtol(double value) {
    return new NewtonCgConfig(maxIter, tol, value, hessianSampleFraction, seed, maxCgIterations,
        forcing, preconditioner, sketch, preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withHessianSampleFraction(double value) {
    return new NewtonCgConfig(maxIter, tol, gtol, value, seed, maxCgIterations, forcing,
        preconditioner, sketch, preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withSeed(long value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, value, maxCgIterations,
        forcing, preconditioner, sketch, preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withMaxCgIterations(int value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, value, forcing,
        preconditioner, sketch, preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withForcing(Forcing value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        value, preconditioner, sketch, preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withPreconditioner(Preconditioner value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        forcing, value, sketch, preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withSketch(LowRankSketchConfig value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        forcing, preconditioner, value, preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withPreconditionerRefresh(int value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        forcing, preconditioner, sketch, value, lineSearch, globalization);
  }

  public NewtonCgConfig withLineSearch(LineSearchConfig value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        forcing, preconditioner, sketch, preconditionerRefresh, value, globalization);
  }

  public NewtonCgConfig withGlobalization(Globalization value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        forcing, preconditioner, sketch, preconditionerRefresh, lineSearch, value);
  }
}
