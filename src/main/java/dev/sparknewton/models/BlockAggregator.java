package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;
import java.io.Serializable;

/**
 * Sums of per-row quantities over blocks, in the manner of Spark MLlib's
 * {@code DifferentiableLossAggregator}: {@link #add} folds one block in, {@link #merge} combines
 * two partial sums. Both modify and return {@code this}. Implementations allocate their big
 * buffers on the first {@code add}, so the zero value shipped with each task is small.
 */
public interface BlockAggregator<A extends BlockAggregator<A>> extends Serializable {
  /** Folds {@code block} into this sum. {@code this} modified, {@code block} not. */
  A add(RowBlock block);

  /** Folds {@code other} into this sum. {@code this} modified, {@code other} not. */
  A merge(A other);

  /**
   * A new empty sum of the same quantity at the same point (sharing, not copying, the shared
   * values it reads), for folding part of the blocks in another thread. {@code this} not
   * modified; must be called before {@code this} has seen a block.
   */
  A emptyCopy();

  /**
   * This sum in the form it leaves its task in: to be called on a partition's (or a tree level's)
   * partial sum before it is serialized, so that sums with many exact zeros (a block product's
   * rows for features the partition never stores) travel without them, and a sum held in a
   * task's own layout (the feature-major curvature products of {@link Model#curvatureProducts})
   * is added in: its working copies are transient, so a sum serialized by Kryo before this call
   * would travel without them ({@link CurvatureAggregator} flushes under Java serialization
   * too). {@link #merge} and the accessors accept either form. The default keeps the sum as it
   * is.
   */
  @SuppressWarnings("unchecked")
  default A compacted() {
    return (A) this;
  }
}
