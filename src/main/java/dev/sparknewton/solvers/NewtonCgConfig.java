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
 * @param maxCgIterations CG iterations per outer iteration when each Hessian-vector product is a
 *     pass over the data, {@code >= 1}; default {@value #DEFAULT_MAX_CG_ITERATIONS}, a cap rather
 *     than a tuning knob (the forcing rule normally stops CG long before)
 * @param driverMaxCgIterations CG iterations per outer iteration when the products run on a
 *     driver-held curvature sample (no pass each), {@code >= 1}; default
 *     {@value #DEFAULT_DRIVER_MAX_CG_ITERATIONS}: a product there costs milliseconds, not a job,
 *     and on ill-conditioned problems CG truncated at 250 gave steps that converged linearly
 *     (news20 binary, λ 1e-6: 2,132 products to 1e-6 at 500 against 3,386 at 250;
 *     docs/benchmarks.md)
 * @param driverMaxCgGrowth how far the driver-side cap may grow, {@code >= 1}: the cap doubles,
 *     up to {@code driverMaxCgGrowth x driverMaxCgIterations}, after a step whose CG stopped at
 *     the cap and which the globalization took whole, and halves, not below
 *     {@code driverMaxCgIterations}, after a step it cut ({@link NewtonCg}); default
 *     {@value #DEFAULT_DRIVER_MAX_CG_GROWTH} (a fixed cap)
 * @param forcing the CG stopping rule; default {@link Forcing#AUTO}
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
    int maxCgIterations, int driverMaxCgIterations, int driverMaxCgGrowth, Forcing forcing,
    Preconditioner preconditioner, LowRankSketchConfig sketch, int preconditionerRefresh,
    LineSearchConfig lineSearch, Globalization globalization) {
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
  public static final int DEFAULT_DRIVER_MAX_CG_ITERATIONS = 500;
  public static final int DEFAULT_DRIVER_MAX_CG_GROWTH = 1;

  /** How CG is truncated. */
  public enum Forcing {
    /**
     * {@link #QUADRATIC_MODEL} when the iteration's curvature products run on the driver (no pass
     * each), {@link #EISENSTAT_WALKER} when each is a pass
     * ({@link dev.sparknewton.objective.CurvatureOperator#productsArePasses()}). Measured
     * (Newton-CG to 1e-6, docs/benchmarks.md "CG stop by where the products run"): with
     * driver-held products the quadratic-model stop took news20 binary from 3,718 products and 87
     * passes to 2,132 and 31, and the trust region from 2,859 products and 273 passes to 2,806 and
     * 45, equal within a few products on a9a and covtype; with every product a pass,
     * Eisenstat-Walker took fewer passes on all three (covtype 172 against 260, news20 binary with
     * Nystrom 397 against 974).
     */
    AUTO,
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
     * For a softmax model, the diagonal corrected for each feature's class-sum direction
     * ({@link SoftmaxDiagonalPreconditioner}); the plain {@link #DIAGONAL} for other objectives.
     */
    SOFTMAX_DIAGONAL,
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
    ConfigChecks.atLeast("solver.driverMaxCgIterations", driverMaxCgIterations, 1);
    ConfigChecks.atLeast("solver.driverMaxCgGrowth", driverMaxCgGrowth, 1);
    ConfigChecks.notNull("solver.forcing", forcing);
    ConfigChecks.notNull("solver.preconditioner", preconditioner);
    ConfigChecks.notNull("solver.rank/oversampling/powerIterations", sketch);
    ConfigChecks.atLeast("solver.preconditionerRefresh", preconditionerRefresh, 0);
    ConfigChecks.notNull("solver.lineSearch", lineSearch);
    ConfigChecks.notNull("globalization", globalization);
  }

  public static NewtonCgConfig defaults() {
    return new NewtonCgConfig(DEFAULT_MAX_ITER, DEFAULT_TOL, 0.0, 1.0, DEFAULT_SEED,
        DEFAULT_MAX_CG_ITERATIONS, DEFAULT_DRIVER_MAX_CG_ITERATIONS, DEFAULT_DRIVER_MAX_CG_GROWTH,
        Forcing.AUTO, Preconditioner.DIAGONAL, LowRankSketchConfig.defaults(), 0,
        LineSearchConfig.defaults(), Globalization.LINE_SEARCH);
  }

  public NewtonCgConfig withMaxIter(int value) {
    return new NewtonCgConfig(value, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        driverMaxCgIterations, driverMaxCgGrowth, forcing, preconditioner, sketch,
        preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withTol(double value) {
    return new NewtonCgConfig(maxIter, value, gtol, hessianSampleFraction, seed, maxCgIterations,
        driverMaxCgIterations, driverMaxCgGrowth, forcing, preconditioner, sketch,
        preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withGtol(double value) {
    return new NewtonCgConfig(maxIter, tol, value, hessianSampleFraction, seed, maxCgIterations,
        driverMaxCgIterations, driverMaxCgGrowth, forcing, preconditioner, sketch,
        preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withHessianSampleFraction(double value) {
    return new NewtonCgConfig(maxIter, tol, gtol, value, seed, maxCgIterations,
        driverMaxCgIterations, driverMaxCgGrowth, forcing, preconditioner, sketch,
        preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withSeed(long value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, value, maxCgIterations,
        driverMaxCgIterations, driverMaxCgGrowth, forcing, preconditioner, sketch,
        preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withMaxCgIterations(int value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, value,
        driverMaxCgIterations, driverMaxCgGrowth, forcing, preconditioner, sketch,
        preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withDriverMaxCgIterations(int value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        value, driverMaxCgGrowth, forcing, preconditioner, sketch, preconditionerRefresh,
        lineSearch, globalization);
  }

  public NewtonCgConfig withDriverMaxCgGrowth(int value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        driverMaxCgIterations, value, forcing, preconditioner, sketch, preconditionerRefresh,
        lineSearch, globalization);
  }

  public NewtonCgConfig withForcing(Forcing value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        driverMaxCgIterations, driverMaxCgGrowth, value, preconditioner, sketch,
        preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withPreconditioner(Preconditioner value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        driverMaxCgIterations, driverMaxCgGrowth, forcing, value, sketch, preconditionerRefresh,
        lineSearch, globalization);
  }

  public NewtonCgConfig withSketch(LowRankSketchConfig value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        driverMaxCgIterations, driverMaxCgGrowth, forcing, preconditioner, value,
        preconditionerRefresh, lineSearch, globalization);
  }

  public NewtonCgConfig withPreconditionerRefresh(int value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        driverMaxCgIterations, driverMaxCgGrowth, forcing, preconditioner, sketch, value,
        lineSearch, globalization);
  }

  public NewtonCgConfig withLineSearch(LineSearchConfig value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        driverMaxCgIterations, driverMaxCgGrowth, forcing, preconditioner, sketch,
        preconditionerRefresh, value, globalization);
  }

  public NewtonCgConfig withGlobalization(Globalization value) {
    return new NewtonCgConfig(maxIter, tol, gtol, hessianSampleFraction, seed, maxCgIterations,
        driverMaxCgIterations, driverMaxCgGrowth, forcing, preconditioner, sketch,
        preconditionerRefresh, lineSearch, value);
  }
}
