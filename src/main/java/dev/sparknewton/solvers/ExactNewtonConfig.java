package dev.sparknewton.solvers;

/**
 * Configuration of {@link ExactNewton}; every field is checked on construction.
 *
 * @param maxIter outer iteration limit, {@code >= 0}; default {@value #DEFAULT_MAX_ITER}
 * @param tol stop when {@code ||g|| <= tol ||g_0||}, {@code >= 0}; default {@value #DEFAULT_TOL}
 * @param gtol stop when {@code ||g|| <= gtol}, {@code >= 0}; default 0 (off)
 * @param hessianSampleFraction fraction of rows the Hessian is estimated on, in {@code (0, 1]};
 *     default 1 (the full Hessian)
 * @param seed seed of the per-iteration Hessian samples; default {@value #DEFAULT_SEED}
 * @param lineSearch the Armijo constants; default {@link LineSearchConfig#defaults()}
 * @param denseMaxBytes the dense {@code n x n} Hessian must fit in this many bytes, {@code > 0};
 *     default {@value #DEFAULT_DENSE_MAX_BYTES} (1 GiB: {@code n} up to 11,585)
 */
public record ExactNewtonConfig(
    int maxIter, double tol, double gtol, double hessianSampleFraction, long seed,
    LineSearchConfig lineSearch, long denseMaxBytes) {
  public static final long DEFAULT_DENSE_MAX_BYTES = 1L << 30;
  public static final int DEFAULT_MAX_ITER = 100;
  /** Spark MLlib's {@code LogisticRegression} default {@code tol} is 1e-6 as well. */
  public static final double DEFAULT_TOL = 1e-6;
  public static final long DEFAULT_SEED = 42L;

  public ExactNewtonConfig {
    ConfigChecks.outerLoop(maxIter, tol, gtol, hessianSampleFraction);
    ConfigChecks.notNull("solver.lineSearch", lineSearch);
    if (denseMaxBytes <= 0) {
      throw new IllegalArgumentException("solver.denseMaxMb must be > 0, got "
          + denseMaxBytes / (1024.0 * 1024.0));
    }
  }

  public static ExactNewtonConfig defaults() {
    return new ExactNewtonConfig(
        DEFAULT_MAX_ITER, DEFAULT_TOL, 0.0, 1.0, DEFAULT_SEED, LineSearchConfig.defaults(),
        DEFAULT_DENSE_MAX_BYTES);
  }

  public ExactNewtonConfig withMaxIter(int value) {
    return new ExactNewtonConfig(value, tol, gtol, hessianSampleFraction, seed, lineSearch, denseMaxBytes);
  }

  public ExactNewtonConfig withTol(double value) {
    return new ExactNewtonConfig(maxIter, value, gtol, hessianSampleFraction, seed, lineSearch, denseMaxBytes);
  }

  public ExactNewtonConfig withGtol(double value) {
    return new ExactNewtonConfig(maxIter, tol, value, hessianSampleFraction, seed, lineSearch, denseMaxBytes);
  }

  public ExactNewtonConfig withHessianSampleFraction(double value) {
    return new ExactNewtonConfig(maxIter, tol, gtol, value, seed, lineSearch, denseMaxBytes);
  }

  public ExactNewtonConfig withSeed(long value) {
    return new ExactNewtonConfig(maxIter, tol, gtol, hessianSampleFraction, value, lineSearch, denseMaxBytes);
  }

  public ExactNewtonConfig withDenseMaxBytes(long value) {
    return new ExactNewtonConfig(maxIter, tol, gtol, hessianSampleFraction, seed, lineSearch, value);
  }

  public ExactNewtonConfig withLineSearch(LineSearchConfig value) {
    return new ExactNewtonConfig(maxIter, tol, gtol, hessianSampleFraction, seed, value, denseMaxBytes);
  }
}
