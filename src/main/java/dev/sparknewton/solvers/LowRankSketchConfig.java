package dev.sparknewton.solvers;

import dev.sparknewton.randomized.RandomizedEigenConfig;

/**
 * The randomized low-rank sketch of the Hessian that {@link LowRankSaddleFreeNewton} and the
 * Nystrom preconditioner of {@link NewtonCg} take once per outer iteration (see
 * {@link dev.sparknewton.randomized.RandomizedEigensolver}); checked on construction.
 *
 * @param rank {@code k}, eigenpairs kept, {@code >= 1}; capped at the dimension {@code n}. Default
 *     {@value #DEFAULT_RANK}
 * @param oversampling {@code p >= 0}: the sketch has {@code min(k + p, n)} columns. Default
 *     {@value RandomizedEigenConfig#DEFAULT_OVERSAMPLING} (Halko, Martinsson, Tropp 2011,
 *     Sec. 4.2)
 * @param powerIterations {@code q >= 0}, one extra pass each. Default
 *     {@value RandomizedEigenConfig#DEFAULT_POWER_ITERATIONS}: passes are the currency
 */
public record LowRankSketchConfig(int rank, int oversampling, int powerIterations) {
  /**
   * {@code k = 40}: the GLM Hessians here (a9a, covtype) have fast-decaying spectra; with
   * {@code p = 10} a sketch of 50 columns costs {@code 50 d} doubles of communication per
   * partition (50 KB for {@code d = 123}), and the measured passes to {@code 1e-6} are in the
   * report of the LRSFN change (README, solver table).
   */
  public static final int DEFAULT_RANK = 40;

  public LowRankSketchConfig {
    ConfigChecks.atLeast("solver.rank", rank, 1);
    ConfigChecks.atLeast("solver.oversampling", oversampling, 0);
    ConfigChecks.atLeast("solver.powerIterations", powerIterations, 0);
  }

  public static LowRankSketchConfig defaults() {
    return new LowRankSketchConfig(DEFAULT_RANK, RandomizedEigenConfig.DEFAULT_OVERSAMPLING,
        RandomizedEigenConfig.DEFAULT_POWER_ITERATIONS);
  }

  /**
   * The eigensolver settings for an {@code n}-dimensional operator: rank {@code min(k, n)}, fixed
   * rank mode.
   */
  RandomizedEigenConfig eigenConfig(RandomizedEigenConfig.Method method, int n, long seed) {
    return RandomizedEigenConfig.fixedRank(method, Math.min(rank, n))
        .withOversampling(oversampling).withPowerIterations(powerIterations).withSeed(seed);
  }
}
