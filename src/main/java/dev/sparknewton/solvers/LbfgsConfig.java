package dev.sparknewton.solvers;

/**
 * Configuration of {@link Lbfgs}; every field is checked on construction.
 *
 * @param maxIter outer iteration limit, {@code >= 0}; default
 *     {@value NewtonCgConfig#DEFAULT_MAX_ITER}
 * @param tol stop when {@code ||g|| <= tol ||g_0||}, {@code >= 0}; default
 *     {@value NewtonCgConfig#DEFAULT_TOL}
 * @param gtol stop when {@code ||g|| <= gtol}, {@code >= 0}; default 0 (off)
 * @param memory the number {@code m >= 1} of step and gradient-change pairs kept
 *     ({@code solver.lbfgsMemory}); default {@value #DEFAULT_MEMORY}, as Spark MLlib's
 *     {@code LogisticRegression} (Breeze's {@code LBFGS(m = 10)})
 * @param lineSearch the Armijo constants; default {@link LineSearchConfig#defaults()}
 */
public record LbfgsConfig(
    int maxIter, double tol, double gtol, int memory, LineSearchConfig lineSearch) {
  public static final int DEFAULT_MEMORY = 10;

  public LbfgsConfig {
    ConfigChecks.convergence(maxIter, tol, gtol);
    ConfigChecks.atLeast("solver.lbfgsMemory", memory, 1);
    ConfigChecks.notNull("solver.lineSearch", lineSearch);
  }

  public static LbfgsConfig defaults() {
    return new LbfgsConfig(NewtonCgConfig.DEFAULT_MAX_ITER, NewtonCgConfig.DEFAULT_TOL, 0.0,
        DEFAULT_MEMORY, LineSearchConfig.defaults());
  }

  public LbfgsConfig withMaxIter(int value) {
    return new LbfgsConfig(value, tol, gtol, memory, lineSearch);
  }

  public LbfgsConfig withTol(double value) {
    return new LbfgsConfig(maxIter, value, gtol, memory, lineSearch);
  }

  public LbfgsConfig withGtol(double value) {
    return new LbfgsConfig(maxIter, tol, value, memory, lineSearch);
  }

  public LbfgsConfig withMemory(int value) {
    return new LbfgsConfig(maxIter, tol, gtol, value, lineSearch);
  }

  public LbfgsConfig withLineSearch(LineSearchConfig value) {
    return new LbfgsConfig(maxIter, tol, gtol, memory, value);
  }
}
