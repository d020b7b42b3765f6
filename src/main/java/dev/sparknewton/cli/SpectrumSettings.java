package dev.sparknewton.cli;

import dev.sparknewton.models.Curvature;
import dev.sparknewton.randomized.RandomizedEigenConfig;
import java.util.List;

/**
 * The {@code spectrum} section of a job configuration, validated (one-line errors naming the
 * key) before Spark starts.
 *
 * @param point {@code initial}, {@code optimum} or the path of a {@code model.json}
 * @param eigen the randomized eigensolver's settings (fixed rank)
 * @param sampleFraction fraction of rows the Hessian is sub-sampled on, in (0, 1]
 * @param sampleSeed seed of that row sample
 * @param exactNormsMaxDimension largest dimension for which trace and Frobenius norm come from
 *     the dense Hessian
 * @param frobeniusProbes Gaussian probes of the Frobenius-norm estimate above that dimension
 * @param curvature networks: the matrix analyzed, exact Hessian or Gauss-Newton (the same matrix
 *     for linear models)
 */
record SpectrumSettings(
    String point, RandomizedEigenConfig eigen, double sampleFraction, long sampleSeed,
    int exactNormsMaxDimension, int frobeniusProbes, Curvature curvature) {

  static final String INITIAL = "initial";
  static final String OPTIMUM = "optimum";

  static SpectrumSettings from(JobConfig c) {
    String point = c.string("spectrum.point").trim();
    if (point.isEmpty()) {
      throw new IllegalArgumentException(
          "spectrum.point must be initial, optimum or the path of a model.json; got ''");
    }
    RandomizedEigenConfig.Method method = SolverFactory.enumValue(
        c, "spectrum.method", RandomizedEigenConfig.Method.class);
    int rank = atLeast(c, "spectrum.rank", 1);
    int oversampling = atLeast(c, "spectrum.oversampling", 0);
    int powerIterations = atLeast(c, "spectrum.powerIterations", 0);
    int errorProbes = atLeast(c, "spectrum.errorProbes", 1);
    double fraction = c.number("spectrum.hessianSampleFraction");
    if (!(fraction > 0.0 && fraction <= 1.0)) {
      throw new IllegalArgumentException(
          "spectrum.hessianSampleFraction must be in (0, 1], got " + fraction);
    }
    long seed = c.longValue("spectrum.seed");
    RandomizedEigenConfig eigen = new RandomizedEigenConfig(method, rank, oversampling,
        powerIterations, errorProbes, false, 0.0, RandomizedEigenConfig.DEFAULT_BLOCK_SIZE, seed);
    return new SpectrumSettings(point, eigen, fraction, seed,
        atLeast(c, "spectrum.exactNormsMaxDimension", 0), atLeast(c, "spectrum.frobeniusProbes", 1),
        Curvature.parse(c.choice("spectrum.curvature", List.of("hessian", "ggn"))));
  }

  private static int atLeast(JobConfig c, String key, int min) {
    int v = c.integer(key);
    if (v < min) {
      throw new IllegalArgumentException(key + " must be >= " + min + ", got " + v);
    }
    return v;
  }

  boolean isPath() {
    return !List.of(INITIAL, OPTIMUM).contains(point);
  }
}
