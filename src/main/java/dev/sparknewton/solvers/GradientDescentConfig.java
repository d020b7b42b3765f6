package dev.sparknewton.solvers;

/**
 * Configuration of {@link GradientDescent}; every field is checked on construction.
 *
 * @param maxIter outer iteration limit, {@code >= 0}; default
 *     {@value NewtonCgConfig#DEFAULT_MAX_ITER}
 * @param tol stop when {@code ||g|| <= tol ||g_0||}, {@code >= 0}; default
 *     {@value NewtonCgConfig#DEFAULT_TOL}
 * @param gtol stop when {@code ||g|| <= gtol}, {@code >= 0}; default 0 (off)
 * @param lineSearch the Armijo constants; default {@link LineSearchConfig#defaults()}
 */
public record GradientDescentConfig(
    int maxIter, double tol, double gtol, LineSearchConfig lineSearch) {
  /**
   * The first trial step along {@code -g}: 1, the step that is exact for a curvature of 1, the
   * scale of our mean-normalized objectives with standardized features; the line search and
   * {@link #STEP_GROWTH} find the problem's own within a few iterations.
   */
  public static final double INITIAL_STEP = 1.0;
  /**
   * Each trial step is this times the last accepted one: a step that was accepted is tried
   * twice as long, so the step can grow where the curvature is lower, at the cost of a
   * backtracking pass when it is too long.
   */
  public static final double STEP_GROWTH = 2.0;

  public GradientDescentConfig {
    ConfigChecks.convergence(maxIter, tol, gtol);
    ConfigChecks.notNull("solver.lineSearch", lineSearch);
  }

  public static GradientDescentConfig defaults() {
    return new GradientDescentConfig(NewtonCgConfig.DEFAULT_MAX_ITER, NewtonCgConfig.DEFAULT_TOL,
        0.0, LineSearchConfig.defaults());
  }

  public GradientDescentConfig withMaxIter(int value) {
    return new GradientDescentConfig(value, tol, gtol, lineSearch);
  }

  public GradientDescentConfig withTol(double value) {
    return new GradientDescentConfig(maxIter, value, gtol, lineSearch);
  }

  public GradientDescentConfig withGtol(double value) {
    return new GradientDescentConfig(maxIter, tol, value, lineSearch);
  }

  public GradientDescentConfig withLineSearch(LineSearchConfig value) {
    return new GradientDescentConfig(maxIter, tol, gtol, value);
  }
}
