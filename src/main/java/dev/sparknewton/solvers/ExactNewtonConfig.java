package dev.sparknewton.solvers;

/**
 * Configuration of {@link ExactNewton}; every field is checked on construction.
 *
 * @param maxIter outer iteration limit, {@code >= 0}; default {@value NewtonCgConfig#DEFAULT_MAX_ITER}
 * @param tol stop when {@code ||g|| <= tol ||g_0||}, {@code >= 0}; default {@value NewtonCgConfig#DEFAULT_TOL}
 * @param gtol stop when {@code ||g|| <= gtol}, {@code >= 0}; default 0 (off)
 * @param hessianSampleFraction fraction of rows the Hessian is estimated on, in {@code (0, 1]};
 *     default 1 (the full Hessian)
 * @param seed seed of the per-iteration Hessian samples; default {@value NewtonCgConfig#DEFAULT_SEED}
 * @param lineSearch the Armijo constants; default {@link LineSearchConfig#defaults()}
 * @param denseMaxBytes the dense {@code n x n} Hessian must fit in this many bytes, {@code > 0};
 *     default {@value #DEFAULT_DENSE_MAX_BYTES} (1 GiB: {@code n} up to 11,585)
 */
public record ExactNewtonConfig(
    int maxIter, double tol, double gtol, double hessianSampleFraction, long seed,
    LineSearchConfig lineSearch, long denseMaxBytes) {
  public static final long DEFAULT_DENSE_MAX_BYTES = 1L << 30;

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
        NewtonCgConfig.DEFAULT_MAX_ITER, NewtonCgConfig.DEFAULT_TOL, 0.0, 1.0,
        NewtonCgConfig.DEFAULT_SEED, LineSearchConfig.defaults(),
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
