package dev.sparknewton.objective;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.models.BlockAggregator;
import dev.sparknewton.models.Shared;
import java.io.Serializable;
import java.util.List;

/**
 * A collection of row blocks that aggregators can be folded over: on a cluster a cached RDD and
 * one {@code treeAggregate} per fold ({@code distributed.RddBlockFold}), or a persisted Dataset
 * and one {@code mapPartitions} per fold, for Spark Connect ({@code distributed.DatasetBlockFold}),
 * on the driver a list ({@link LocalBlockFold}). Objectives are written once against this
 * interface.
 */
public interface BlockFold {
  /** Ships {@code value} to every worker; close the result when the passes that use it are done. */
  <T extends Serializable> Shared<T> share(T value);

  /**
   * Folds every block into {@code zero} and returns the total: one pass over the data.
   *
   * @param pass what the pass computes, for job descriptions ("gradient", "Hv sample 5%")
   * @param zero the empty aggregator. Modified or copied, do not reuse.
   */
  <A extends BlockAggregator<A>> A aggregate(String pass, A zero);

  /** The sampled rows of every block, brought to the driver: one pass. */
  List<RowBlock> collect(String pass, RowSample sample);

  /** Approximate total in-memory size of all blocks, for driver memory budgets. */
  long sizeInBytes();
}
