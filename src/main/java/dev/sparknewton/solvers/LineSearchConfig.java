package dev.sparknewton.solvers;

/**
 * Constants of the one-pass Armijo backtracking {@link LineSearch}: a step {@code a} is accepted
 * when {@code f(w + a p) <= f(w) + c1 a g.p}; after the full step fails, each pass evaluates the
 * next {@code stepsPerPass} candidates {@code beta^i} at once.
 *
 * @param c1 sufficient-decrease constant in {@code (0, 0.5)}; {@value #DEFAULT_C1} as recommended
 *     by Nocedal and Wright, "Numerical Optimization", 2nd ed., section 3.1 (LIBLINEAR's
 *     {@code newton.cpp} uses {@code eta = 0.01}). Below 1/2 so full Newton steps are eventually
 *     accepted (Dennis and More 1974; Nocedal and Wright, Theorem 3.6).
 * @param beta backtracking factor in {@code (0, 1)}; {@value #DEFAULT_BETA}, LIBLINEAR's halving
 * @param stepsPerPass candidate steps per backtracking pass, at least 1; {@value
 *     #DEFAULT_STEPS_PER_PASS}
 * @param maxPasses backtracking passes before {@link Termination#LINE_SEARCH_FAILED}, at least 0;
 *     {@value #DEFAULT_MAX_PASSES}: with the defaults the smallest step tried is {@code 2^-20},
 *     as with LIBLINEAR's 20 halvings ({@code max_num_linesearch = 20})
 */
public record LineSearchConfig(double c1, double beta, int stepsPerPass, int maxPasses) {
  public static final double DEFAULT_C1 = 1e-4;
  public static final double DEFAULT_BETA = 0.5;
  public static final int DEFAULT_STEPS_PER_PASS = 10;
  public static final int DEFAULT_MAX_PASSES = 2;

  public LineSearchConfig {
    ConfigChecks.inOpenInterval("solver.lineSearch.c1", c1, 0.0, 0.5);
    ConfigChecks.inOpenInterval("solver.lineSearch.beta", beta, 0.0, 1.0);
    ConfigChecks.atLeast("solver.lineSearch.stepsPerPass", stepsPerPass, 1);
    ConfigChecks.atLeast("solver.lineSearch.maxPasses", maxPasses, 0);
  }

  public static LineSearchConfig defaults() {
    return new LineSearchConfig(
        DEFAULT_C1, DEFAULT_BETA, DEFAULT_STEPS_PER_PASS, DEFAULT_MAX_PASSES);
  }

  public LineSearchConfig withC1(double value) {
    return new LineSearchConfig(value, beta, stepsPerPass, maxPasses);
  }

  public LineSearchConfig withBeta(double value) {
    return new LineSearchConfig(c1, value, stepsPerPass, maxPasses);
  }

  public LineSearchConfig withStepsPerPass(int value) {
    return new LineSearchConfig(c1, beta, value, maxPasses);
  }

  public LineSearchConfig withMaxPasses(int value) {
    return new LineSearchConfig(c1, beta, stepsPerPass, value);
  }
}
