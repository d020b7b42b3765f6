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
   * {@code k = 100}, measured on a9a ({@code d = 123}, {@code lambda = 1e-5}; LRSFN, Nystrom,
   * auto gamma): passes to relative suboptimality {@code 1e-6} were 7 at {@code k = 123}, 8 at
   * 100, 12 at 80, more than 41 at 60 and at 40. The curvature outside the sketch
   * ({@code lambda} up to {@code l_{k+1}}) is only reached by gradient steps of length
   * {@code 1 / gamma}, so the rank must cover the directions that carry the optimum. The price is
   * communication: a block pass moves {@code (k + p + 3) d} doubles per partition (110 KB for
   * a9a, 880 MB for {@code d = 1e6}); lower the rank for wide data.
   */
  public static final int DEFAULT_RANK = 100;

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
