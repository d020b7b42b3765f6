package dev.sparknewton.distributed;

import dev.sparknewton.objective.BlockFold;

/**
 * A {@link BlockFold} over row blocks persisted on a Spark cluster, as the training loop sees it:
 * a phase label for its passes, the passes it has run, the rows it holds, and {@link #close()}
 * to release them. {@link RddBlockFold} (RDD, broadcast, tree aggregation) and
 * {@link DatasetBlockFold} (the Dataset API alone, for Spark Connect) are the two.
 */
public interface DistributedFold extends BlockFold, AutoCloseable {
  /** Labels the following passes, e.g. "iter 3". */
  void setPhase(String phase);

  /** Number of passes run through this fold so far (one per aggregate or collect). */
  long passes();

  long numRows();

  /** Partitions of the persisted blocks (the order in which partial sums are merged). */
  int numPartitions();

  /** Releases the persisted blocks. */
  @Override
  void close();
}
