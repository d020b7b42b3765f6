package dev.sparknewton.distributed;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.models.BlockAggregator;
import dev.sparknewton.models.Shared;
import dev.sparknewton.objective.BlockFold;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A {@link BlockFold} over a cached RDD of row blocks: every {@link #aggregate} is one tree
 * aggregation in a fixed merge order (one Spark job, a "pass"), every {@link #share} one
 * broadcast. The only class that persists training data, broadcasts and aggregates;
 * {@link #close()} unpersists.
 *
 * <p>Each job carries a description {@code "<phase>: <pass>"} (e.g. "iter 3: Hv (5% of rows)"),
 * where the phase is set by the caller that drives the optimizer, and the passes run through
 * this fold are counted synchronously by {@link #passes()}.
 */
public final class RddBlockFold implements DistributedFold {
  /** The persisted blocks. */
  private final JavaRDD<RowBlock> cached;
  /** What the passes read: {@link #cached}, behind a test's {@link TaskFaultInjection} if any. */
  private final JavaRDD<RowBlock> blocks;
  private final JavaSparkContext sc;
  private final int depth;
  private final long numRows;
  private final long sizeInBytes;
  private final AtomicLong passes = new AtomicLong();
  private volatile String phase = "setup";

  private RddBlockFold(JavaRDD<RowBlock> blocks, int depth, long numRows, long sizeInBytes) {
    this.cached = blocks;
    this.blocks = TaskFaultInjection.fromConf(blocks.context().getConf())
        .map(fault -> fault.inject(blocks))
        .orElse(blocks);
    this.sc = JavaSparkContext.fromSparkContext(blocks.context());
    this.depth = depth;
    this.numRows = numRows;
    this.sizeInBytes = sizeInBytes;
  }

  /**
   * Persists {@code blocks} (MEMORY_AND_DISK) and materializes them in one job that also counts
   * rows and bytes. On failure the RDD is unpersisted again.
   *
   * @param depth the {@code treeAggregate} depth, at least 1
   */
  public static RddBlockFold cache(JavaRDD<RowBlock> blocks, int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("aggregation depth must be >= 1, got " + depth);
    }
    blocks.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      blocks.context().setJobDescription("cache row blocks");
      long[] totals = blocks
          .map(b -> new long[] {b.numRows(), b.sizeInBytes()})
          .fold(new long[2], (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
      return new RddBlockFold(blocks, depth, totals[0], totals[1]);
    } catch (RuntimeException e) {
      blocks.unpersist(false);
      throw e;
    } finally {
      blocks.context().setJobDescription(null);
    }
  }

  /** Labels the following jobs, e.g. "iter 3". */
  public void setPhase(String phase) {
    this.phase = phase;
  }

  /** The Spark context the blocks live in. */
  public org.apache.spark.SparkContext sparkContext() {
    return sc.sc();
  }

  /** Number of passes (Spark jobs) run through this fold so far. */
  public long passes() {
    return passes.get();
  }

  public long numRows() {
    return numRows;
  }

  public int numPartitions() {
    return blocks.getNumPartitions();
  }

  @Override
  public long sizeInBytes() {
    return sizeInBytes;
  }

  @Override
  public <T extends Serializable> Shared<T> share(T value) {
    return new BroadcastShared<>(sc.broadcast(value));
  }

  @Override
  public <A extends BlockAggregator<A>> A aggregate(String pass, A zero) {
    return run(pass, () -> treeAggregateInOrder(zero));
  }

  /**
   * {@code treeAggregate} with a fixed merge order, so that the same blocks in the same partitions
   * give the same bits whatever the order in which tasks finish (Spark's own {@code treeAggregate}
   * merges partial sums on the driver as tasks complete, so two runs of a solver drift apart in
   * the last bits, and a re-run task or a resumed run could not reproduce a result exactly).
   *
   * <p>Each partition folds its blocks in their stored order into its own copy of {@code zero}
   * (deserialized with the task). With {@code depth == 1} the partial sums come to the driver in
   * partition order and are merged in that order. With a deeper tree, each level sends partial
   * {@code i} to reducer {@code i mod m} (m shrinking by the same scale as Spark's
   * {@code treeAggregate}), where the partials are merged in increasing {@code i}: the same shape
   * and bytes moved as Spark's tree, with the order fixed. One Spark job either way.
   */
  private <A extends BlockAggregator<A>> A treeAggregateInOrder(A zero) {
    JavaPairRDD<Integer, A> partials = blocks.mapPartitionsWithIndex((index, it) -> {
      A sum = zero;
      while (it.hasNext()) {
        sum = sum.add(it.next());
      }
      return java.util.List.of(new Tuple2<>(index, sum.compacted())).iterator();
    }, true).mapToPair(t -> t);
    int numPartitions = partials.getNumPartitions();
    int scale = Math.max((int) Math.ceil(Math.pow(numPartitions, 1.0 / depth)), 2);
    while (numPartitions > scale + (int) Math.ceil((double) numPartitions / scale)) {
      numPartitions /= scale;
      int reducers = numPartitions;
      partials = partials
          .mapToPair(t -> new Tuple2<>(t._1() % reducers, t))
          .groupByKey(new HashPartitioner(reducers))
          .mapToPair(group -> new Tuple2<>(group._1(), mergeByIndex(group._2()).compacted()));
    }
    List<Tuple2<Integer, A>> last = partials.collect();
    return last.isEmpty() ? zero : mergeByIndex(last); // no partitions: the empty sum, as Spark's
  }

  /**
   * Merges partial sums keyed by their index in increasing index order; the first is modified.
   * {@code keyed} not empty.
   */
  private static <A extends BlockAggregator<A>> A mergeByIndex(Iterable<Tuple2<Integer, A>> keyed) {
    List<Tuple2<Integer, A>> sorted = new ArrayList<>();
    keyed.forEach(sorted::add);
    sorted.sort(Comparator.comparingInt(Tuple2::_1));
    A sum = sorted.get(0)._2();
    for (int i = 1; i < sorted.size(); i++) {
      sum = sum.merge(sorted.get(i)._2());
    }
    return sum;
  }

  @Override
  public List<RowBlock> collect(String pass, RowSample sample) {
    return run(pass, () -> blocks.map(sample::apply).filter(b -> b.numRows() > 0).collect());
  }

  private <R> R run(String pass, java.util.function.Supplier<R> job) {
    sc.setJobDescription(phase + ": " + pass);
    sc.setLocalProperty(TaskFaultInjection.PASS_PROPERTY, Long.toString(passes.incrementAndGet()));
    try {
      return job.get();
    } finally {
      sc.setJobDescription(null);
      sc.setLocalProperty(TaskFaultInjection.PASS_PROPERTY, null);
    }
  }

  /** Unpersists the blocks. */
  @Override
  public void close() {
    cached.unpersist(false);
  }
}
