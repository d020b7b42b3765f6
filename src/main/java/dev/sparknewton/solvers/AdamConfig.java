package dev.sparknewton.solvers;

/**
 * Configuration of {@link Adam}; every field is checked on construction. The moment constants
 * are those Kingma and Ba recommend (D. P. Kingma, J. Ba, "Adam: a method for stochastic
 * optimization", ICLR 2015, Algorithm 1: "good default settings for the tested machine learning
 * problems").
 *
 * @param maxIter the number of steps (one mini-batch evaluation, one pass, each), {@code >= 0};
 *     default {@value NewtonCgConfig#DEFAULT_MAX_ITER}
 * @param learningRate {@code alpha > 0}; default {@value #DEFAULT_LEARNING_RATE}
 * @param batchFraction the fraction of rows in each step's mini-batch, in {@code (0, 1]};
 *     default {@value #DEFAULT_BATCH_FRACTION}
 * @param seed seed of the mini-batches; default {@value NewtonCgConfig#DEFAULT_SEED}
 */
public record AdamConfig(int maxIter, double learningRate, double batchFraction, long seed) {
  /** {@code beta_1 = 0.9}: Kingma and Ba 2015, Algorithm 1. */
  public static final double BETA1 = 0.9;
  /** {@code beta_2 = 0.999}: Kingma and Ba 2015, Algorithm 1. */
  public static final double BETA2 = 0.999;
  /** {@code epsilon = 1e-8}: Kingma and Ba 2015, Algorithm 1. */
  public static final double EPSILON = 1e-8;
  /** {@code alpha = 1e-3}: Kingma and Ba 2015, Algorithm 1. */
  public static final double DEFAULT_LEARNING_RATE = 1e-3;
  /**
   * 1% of the rows a step: on a9a (32,561 rows) a mini-batch of about 330, within the 100-1,000
   * of common practice; every step is a Spark job whatever its size, so smaller batches buy no
   * fewer passes, only noisier steps.
   */
  public static final double DEFAULT_BATCH_FRACTION = 0.01;

  public AdamConfig {
    ConfigChecks.atLeast("solver.maxIter", maxIter, 0);
    ConfigChecks.positive("solver.learningRate", learningRate);
    ConfigChecks.fraction("solver.batchFraction", batchFraction);
  }

  public static AdamConfig defaults() {
    return new AdamConfig(NewtonCgConfig.DEFAULT_MAX_ITER, DEFAULT_LEARNING_RATE,
        DEFAULT_BATCH_FRACTION, NewtonCgConfig.DEFAULT_SEED);
  }

  public AdamConfig withMaxIter(int value) {
    return new AdamConfig(value, learningRate, batchFraction, seed);
  }

  public AdamConfig withLearningRate(double value) {
    return new AdamConfig(maxIter, value, batchFraction, seed);
  }

  public AdamConfig withBatchFraction(double value) {
    return new AdamConfig(maxIter, learningRate, value, seed);
  }

  public AdamConfig withSeed(long value) {
    return new AdamConfig(maxIter, learningRate, batchFraction, value);
  }
}
