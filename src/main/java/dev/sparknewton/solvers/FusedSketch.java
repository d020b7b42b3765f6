package dev.sparknewton.solvers;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.objective.CurvatureOperator;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.randomized.LowRankEigen;
import dev.sparknewton.randomized.RandomizedEigenConfig;
import dev.sparknewton.randomized.RandomizedEigensolver;
import java.util.Optional;

/**
 * The per-iteration randomized sketch of a solver run, with its first product fused into the
 * gradient pass: {@link #fuse} adds {@code H_k * Omega_k} on iteration {@code k}'s row sample to
 * the evaluation request of iterate {@code k}, and {@link #decompose} hands the eigensolver the
 * <em>same</em> {@code Omega_k} instance, so the curvature operator serves that product from the
 * evaluation (no pass). {@code Omega_k} is a fresh test matrix each iteration, seeded by
 * {@code RowSample.iterationSeed(seed ^ SEED_SALT, k)}, so runs are reproducible and iterations
 * independent. One instance per solver run; it remembers the test matrix of the latest requested
 * iteration only (the outer loop requests iterate {@code k + 1} after deciding iterate {@code k}).
 */
final class FusedSketch {
  /** Decorrelates the Gaussian test matrices from the row samples drawn from the same seed. */
  static final long SEED_SALT = 0x6A09E667F3BCC909L;

  private final LowRankSketchConfig config;
  private final RandomizedEigenConfig.Method method;
  private final long seed;
  private final int dimension;
  private int cachedIteration = -1;
  private RandomizedEigensolver cachedSolver;
  private ColumnMatrix cachedTest;

  FusedSketch(LowRankSketchConfig config, RandomizedEigenConfig.Method method, long seed,
      int dimension) {
    this.config = config;
    this.method = method;
    this.seed = seed;
    this.dimension = dimension;
  }

  /** {@code request} plus {@code H Omega_k} on {@code sample}, in the same pass. */
  EvaluationRequest fuse(EvaluationRequest request, int iteration, RowSample sample) {
    select(iteration);
    return request.withBlockProduct(cachedTest, sample);
  }

  /**
   * The rank-{@code k} eigendecomposition of {@code h} (iteration {@code iteration}'s curvature);
   * its first block product is free when iterate {@code iteration} was evaluated with {@link
   * #fuse} on the same sample. Empty on a numerical failure.
   */
  Optional<LowRankEigen> decompose(CurvatureOperator h, int iteration) {
    select(iteration);
    return cachedSolver.decompose(h, cachedTest, h.hessianBlockProduct(cachedTest));
  }

  private void select(int iteration) {
    if (iteration != cachedIteration) {
      long s = RowSample.iterationSeed(seed ^ SEED_SALT, iteration);
      cachedSolver = new RandomizedEigensolver(config.eigenConfig(method, dimension, s));
      cachedTest = cachedSolver.testMatrix(dimension);
      cachedIteration = iteration;
    }
  }
}
