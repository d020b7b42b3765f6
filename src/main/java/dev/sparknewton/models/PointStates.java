package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;
import java.io.Serializable;

/**
 * Where the aggregators of one evaluated point find each block's curvature state (the per-row
 * {@link OutputLoss} state at {@code theta}): the {@link CurvatureStateCache} generation of the
 * point and the cache budget. The gradient pass {@linkplain #keep keeps} what it computed; a later
 * product {@linkplain #of finds} it, or recomputes it on a miss. Immutable; a final class, not a
 * record, because aggregators travel through Spark's serializer, which may be Kryo, and Kryo 4
 * cannot serialize records on Java 17.
 */
public final class PointStates implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long generation;
  private final long budgetBytes;

  /**
   * @param generation from {@link CurvatureStateCache#nextGeneration()}
   * @param budgetBytes bytes the cache may hold in one JVM; 0 turns keeping off
   */
  public PointStates(long generation, long budgetBytes) {
    this.generation = generation;
    this.budgetBytes = budgetBytes;
  }

  public long generation() {
    return generation;
  }

  public long budgetBytes() {
    return budgetBytes;
  }

  /** Never kept: every product recomputes the state. */
  public static PointStates none() {
    return new PointStates(0L, 0L);
  }

  /** A fresh generation with the given budget. */
  public static PointStates fresh(long budgetBytes) {
    return new PointStates(CurvatureStateCache.nextGeneration(), budgetBytes);
  }

  /** Keeps {@code state} of {@code block} (not copied; not to be modified afterwards). */
  void keep(RowBlock block, double[] state) {
    if (budgetBytes > 0 && state.length > 0) {
      CurvatureStateCache.put(generation, block.id(), state, budgetBytes);
    }
  }

  /**
   * The state of every row of {@code block} at {@code theta}: the kept one, or a new array
   * computed from the outputs (one {@code exp} per output and row), then kept.
   *
   * @param outputs scratch of at least {@code n K} doubles. Modified.
   * @param gradient scratch of at least {@code n K} doubles. Modified.
   */
  double[] of(Model model, RowBlock block, double[] theta, double[] outputs, double[] gradient) {
    OutputLoss loss = model.loss();
    int n = block.numRows();
    int width = loss.stateWidth();
    if (budgetBytes > 0) {
      double[] kept = CurvatureStateCache.get(generation, block.id());
      if (kept != null && kept.length == n * width) {
        return kept;
      }
    }
    double[] state = new double[n * width];
    if (width == 0) {
      return state;
    }
    model.outputs(block, theta, outputs);
    // The gradient pass's own kernel, so that the state is the one it kept, bit for bit.
    loss.evaluateBlock(block, outputs, gradient, state);
    keep(block, state);
    return state;
  }
}
