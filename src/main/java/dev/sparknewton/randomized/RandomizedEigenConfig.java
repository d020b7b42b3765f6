package dev.sparknewton.randomized;

/**
 * Settings of a {@link RandomizedEigensolver}. Immutable; the {@code with} methods return copies.
 *
 * @param method {@link Method#RAYLEIGH_RITZ} (any symmetric {@code H}, keeps large negative
 *     eigenvalues; {@code 2 + q} passes) or {@link Method#NYSTROM} (positive semidefinite
 *     {@code H} only; {@code 1 + q} passes)
 * @param rank fixed mode: the number {@code k} of eigenpairs kept (largest {@code |lambda|});
 *     adaptive mode: the most kept (the rank cap)
 * @param oversampling {@code p}: the sketch has {@code l = min(k + p, n)} columns (fixed mode).
 *     Default {@value #DEFAULT_OVERSAMPLING} (Halko et al. 2011, Sec. 4.2: "p = 5 or p = 10 is
 *     often sufficient"; the expected-error bound eq. (1.9) needs {@code p >= 2})
 * @param powerIterations {@code q}: extra applications of {@code H}, each one pass (Alg. 4.4).
 *     Default {@value #DEFAULT_POWER_ITERATIONS}: the Hessians here have fast-decaying spectra and
 *     passes are the currency (DESIGN.md); use 1 or 2 when the spectrum is flat. Must be 0 in
 *     adaptive mode (Alg. 4.2 has no power iterations)
 * @param errorProbes {@code r >= 1} Gaussian probe vectors for the a-posteriori error estimate
 *     (Halko et al. Lemma 4.1: the estimate is an upper bound with probability
 *     {@code >= 1 - 10^-r}); they ride along in a pass that is made anyway, widening its block by
 *     {@code r}. Default {@value #DEFAULT_ERROR_PROBES}
 * @param adaptive grow the basis by blocks of {@code blockSize} until the estimated error is at
 *     most {@code tolerance * ||H||} or {@code rank} columns are reached
 * @param tolerance relative spectral-norm tolerance of adaptive mode, in {@code (0, 1)}
 * @param blockSize {@code b}: columns added per pass in adaptive mode, {@code 1 <= b < rank}.
 *     Default {@value #DEFAULT_BLOCK_SIZE}
 * @param seed seed of the Gaussian test matrices; use a fresh one per optimizer iteration
 */
public record RandomizedEigenConfig(
    Method method, int rank, int oversampling, int powerIterations, int errorProbes,
    boolean adaptive, double tolerance, int blockSize, long seed) {

  /** How the eigenpairs are extracted from the sketch. */
  public enum Method {
    /** Halko et al. Alg. 5.3: {@code B = Q^T H Q}, one more pass; any symmetric {@code H}. */
    RAYLEIGH_RITZ,
    /** Stable single-pass Nystrom (Frangella, Tropp, Udell 2021, Alg. 3); PSD {@code H} only. */
    NYSTROM
  }

  public static final int DEFAULT_OVERSAMPLING = 10;
  public static final int DEFAULT_POWER_ITERATIONS = 0;
  public static final int DEFAULT_ERROR_PROBES = 3;
  public static final int DEFAULT_BLOCK_SIZE = 10;

  public RandomizedEigenConfig {
    if (method == null) {
      throw new IllegalArgumentException("method must be RAYLEIGH_RITZ or NYSTROM, got null");
    }
    if (rank < 1) {
      throw new IllegalArgumentException("rank must be >= 1, got " + rank);
    }
    if (oversampling < 0) {
      throw new IllegalArgumentException("oversampling must be >= 0, got " + oversampling);
    }
    if (powerIterations < 0) {
      throw new IllegalArgumentException("powerIterations must be >= 0, got " + powerIterations);
    }
    if (errorProbes < 1) {
      throw new IllegalArgumentException("errorProbes must be >= 1, got " + errorProbes);
    }
    if (adaptive) {
      if (!(tolerance > 0.0 && tolerance < 1.0)) {
        throw new IllegalArgumentException(
            "tolerance must be in (0, 1) in adaptive mode, got " + tolerance);
      }
      if (blockSize < 1 || blockSize >= rank) {
        throw new IllegalArgumentException(
            "blockSize must be in [1, rank = " + rank + ") in adaptive mode, got " + blockSize);
      }
      if (powerIterations != 0) {
        throw new IllegalArgumentException(
            "powerIterations must be 0 in adaptive mode, got " + powerIterations);
      }
    }
  }

  /** Fixed rank {@code k} with the defaults above and seed 0. */
  public static RandomizedEigenConfig fixedRank(Method method, int rank) {
    return new RandomizedEigenConfig(method, rank, DEFAULT_OVERSAMPLING, DEFAULT_POWER_ITERATIONS,
        DEFAULT_ERROR_PROBES, false, 0.0, DEFAULT_BLOCK_SIZE, 0L);
  }

  /**
   * Adaptive rank up to {@code rankCap >= 2} for a relative {@code tolerance}, seed 0, block size
   * {@code min(DEFAULT_BLOCK_SIZE, rankCap - 1)}.
   */
  public static RandomizedEigenConfig adaptiveRank(Method method, double tolerance, int rankCap) {
    int blockSize = Math.max(1, Math.min(DEFAULT_BLOCK_SIZE, rankCap - 1));
    return new RandomizedEigenConfig(method, rankCap, DEFAULT_OVERSAMPLING, 0,
        DEFAULT_ERROR_PROBES, true, tolerance, blockSize, 0L);
  }

  public RandomizedEigenConfig withOversampling(int p) {
    return new RandomizedEigenConfig(
        method, rank, p, powerIterations, errorProbes, adaptive, tolerance, blockSize, seed);
  }

  public RandomizedEigenConfig withPowerIterations(int q) {
    return new RandomizedEigenConfig(
        method, rank, oversampling, q, errorProbes, adaptive, tolerance, blockSize, seed);
  }

  public RandomizedEigenConfig withErrorProbes(int r) {
    return new RandomizedEigenConfig(
        method, rank, oversampling, powerIterations, r, adaptive, tolerance, blockSize, seed);
  }

  public RandomizedEigenConfig withBlockSize(int b) {
    return new RandomizedEigenConfig(
        method, rank, oversampling, powerIterations, errorProbes, adaptive, tolerance, b, seed);
  }

  public RandomizedEigenConfig withSeed(long s) {
    return new RandomizedEigenConfig(method, rank, oversampling, powerIterations, errorProbes,
        adaptive, tolerance, blockSize, s);
  }
}
