package dev.sparknewton.solvers;

import dev.sparknewton.randomized.RandomizedEigenConfig;

/**
 * Configuration of {@link LowRankSaddleFreeNewton}; every field is checked on construction.
 *
 * @param maxIter outer iteration limit, {@code >= 0}; default {@value NewtonCgConfig#DEFAULT_MAX_ITER}
 * @param tol stop when {@code ||g|| <= tol ||g_0||}, {@code >= 0}; default
 *     {@value NewtonCgConfig#DEFAULT_TOL}
 * @param gtol stop when {@code ||g|| <= gtol}, {@code >= 0}; default 0 (off)
 * @param hessianSampleFraction fraction of rows the sketch's products use, in {@code (0, 1]}, a
 *     new sample each outer iteration; default 1
 * @param seed seed of the row samples and of the test matrices; default
 *     {@value NewtonCgConfig#DEFAULT_SEED}
 * @param sketch rank, oversampling and power iterations of the per-iteration sketch
 * @param eigenMethod {@link RandomizedEigenConfig.Method#NYSTROM} (default; positive semidefinite
 *     curvature such as a GLM's, one fused pass) or {@link
 *     RandomizedEigenConfig.Method#RAYLEIGH_RITZ} (keeps negative eigenvalues: required for
 *     non-convex objectives; one more pass)
 * @param gamma {@code >= 0}: {@value #AUTO_GAMMA} is {@code auto} (see {@link
 *     LowRankSaddleFreeNewton}: the sketch's own estimate of the curvature it misses), a positive
 *     number a fixed {@code gamma}; default auto
 * @param gammaRule {@link GammaRule#FIXED} (default) or {@link GammaRule#ADAPTIVE}
 * @param lineSearch the Armijo constants; default {@link LineSearchConfig#defaults()}
 */
public record LrsfnConfig(
    int maxIter, double tol, double gtol, double hessianSampleFraction, long seed,
    LowRankSketchConfig sketch, RandomizedEigenConfig.Method eigenMethod, double gamma,
    GammaRule gammaRule, LineSearchConfig lineSearch) {
  /** {@code solver.gamma = auto} (or 0): estimate {@code gamma} from each iteration's sketch. */
  public static final double AUTO_GAMMA = 0.0;

  /** How {@code gamma} evolves over the iterations. */
  public enum GammaRule {
    /** {@code gamma_k} = the configured number, or the auto estimate of iteration {@code k}. */
    FIXED,
    /**
     * {@code gamma_k = m_k * (the fixed number or the auto estimate)}, with {@code m_k} updated
     * from the ratio of actual to predicted decrease (Levenberg-Marquardt style; see {@link
     * LowRankSaddleFreeNewton}).
     */
    ADAPTIVE
  }

  public LrsfnConfig {
    ConfigChecks.outerLoop(maxIter, tol, gtol, hessianSampleFraction);
    ConfigChecks.notNull("solver.rank/oversampling/powerIterations", sketch);
    ConfigChecks.notNull("solver.eigenMethod", eigenMethod);
    ConfigChecks.nonNegative("solver.gamma", gamma);
    ConfigChecks.notNull("solver.gammaRule", gammaRule);
    ConfigChecks.notNull("solver.lineSearch", lineSearch);
  }

  public static LrsfnConfig defaults() {
    return new LrsfnConfig(NewtonCgConfig.DEFAULT_MAX_ITER, NewtonCgConfig.DEFAULT_TOL, 0.0, 1.0,
        NewtonCgConfig.DEFAULT_SEED, LowRankSketchConfig.defaults(),
        RandomizedEigenConfig.Method.NYSTROM, AUTO_GAMMA, GammaRule.FIXED,
        LineSearchConfig.defaults());
  }

  public LrsfnConfig withMaxIter(int value) {
    return new LrsfnConfig(value, tol, gtol, hessianSampleFraction, seed, sketch, eigenMethod,
        gamma, gammaRule, lineSearch);
  }

  public LrsfnConfig withTol(double value) {
    return new LrsfnConfig(maxIter, value, gtol, hessianSampleFraction, seed, sketch, eigenMethod,
        gamma, gammaRule, lineSearch);
  }

  public LrsfnConfig withGtol(double value) {
    return new LrsfnConfig(maxIter, tol, value, hessianSampleFraction, seed, sketch, eigenMethod,
        gamma, gammaRule, lineSearch);
  }

  public LrsfnConfig withHessianSampleFraction(double value) {
    return new LrsfnConfig(maxIter, tol, gtol, value, seed, sketch, eigenMethod, gamma, gammaRule,
        lineSearch);
  }

  public LrsfnConfig withSeed(long value) {
    return new LrsfnConfig(maxIter, tol, gtol, hessianSampleFraction, value, sketch, eigenMethod,
        gamma, gammaRule, lineSearch);
  }

  public LrsfnConfig withSketch(LowRankSketchConfig value) {
    return new LrsfnConfig(maxIter, tol, gtol, hessianSampleFraction, seed, value, eigenMethod,
        gamma, gammaRule, lineSearch);
  }

  public LrsfnConfig withEigenMethod(RandomizedEigenConfig.Method value) {
    return new LrsfnConfig(maxIter, tol, gtol, hessianSampleFraction, seed, sketch, value, gamma,
        gammaRule, lineSearch);
  }

  public LrsfnConfig withGamma(double value) {
    return new LrsfnConfig(maxIter, tol, gtol, hessianSampleFraction, seed, sketch, eigenMethod,
        value, gammaRule, lineSearch);
  }

  public LrsfnConfig withGammaRule(GammaRule value) {
    return new LrsfnConfig(maxIter, tol, gtol, hessianSampleFraction, seed, sketch, eigenMethod,
        gamma, value, lineSearch);
  }

  public LrsfnConfig withLineSearch(LineSearchConfig value) {
    return new LrsfnConfig(maxIter, tol, gtol, hessianSampleFraction, seed, sketch, eigenMethod,
        gamma, gammaRule, value);
  }
}
