package dev.sparknewton.distributed;

import dev.sparknewton.data.Blockifier;
import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.models.BlockAggregator;
import dev.sparknewton.models.InlineShared;
import dev.sparknewton.models.Shared;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapGroupsFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoder;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A {@link DistributedFold} over row blocks written against the Dataset API alone
 * ({@code spark-sql-api}: {@code mapPartitions}, {@code groupByKey}, {@code persist},
 * {@code collectAsList}), with no SparkContext, RDD or broadcast, so that it runs on classic Spark
 * and on a Spark Connect session (Databricks standard and serverless compute) alike.
 *
 * <p>The blocks are kept as a persisted {@code Dataset<(partition, bytes)>}: each row one
 * Java-serialized {@link RowBlock} and the index of the partition it lives in. A pass is one
 * Dataset action: a typed {@code mapPartitions} folds each partition's blocks, in their stored
 * order, into its own copy of the zero aggregator (which, with the point it holds through an
 * {@link InlineShared}, travels inside the function: {@link #share} is no broadcast), and the
 * partial sums are merged in partition order. With more partitions than the tree depth allows,
 * the partials first go through levels of {@code groupByKey(i mod m).mapGroups}, each merging its
 * group in increasing partition index, the same shape and order as
 * {@link RddBlockFold}'s tree: the same blocks in the same partitions give the same bits on both
 * folds, whatever order the tasks finish in. A pass is counted as one by {@link #passes()}; on
 * classic Spark with a tree it is a query with a shuffle (its stages may show as more than one
 * Spark job under adaptive execution).
 *
 * <p>Shapes: a partial sum is whatever its aggregator holds ({@code P} doubles for a gradient,
 * {@code P r} for a block product of width {@code r}), serialized once per partition and once per
 * tree level.
 */
public final class DatasetBlockFold implements DistributedFold {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(DatasetBlockFold.class);

  /** A block or a partial sum with the index of the partition it came from. */
  private static final Encoder<Tuple2<Integer, byte[]>> INDEXED =
      Encoders.tuple(Encoders.INT(), Encoders.BINARY());

  private final Dataset<Tuple2<Integer, byte[]>> blocks;
  private final int depth;
  private final int numPartitions;
  private final long numRows;
  private final long sizeInBytes;
  private final AtomicLong passes = new AtomicLong();
  private volatile String phase = "setup";

  private DatasetBlockFold(Dataset<Tuple2<Integer, byte[]>> blocks, int depth, int numPartitions,
      long numRows, long sizeInBytes) {
    this.blocks = blocks;
    this.depth = depth;
    this.numPartitions = numPartitions;
    this.numRows = numRows;
    this.sizeInBytes = sizeInBytes;
  }

  /**
   * Blockifies {@code data} (columns label, features, weight, as {@link Blockifier} reads them)
   * inside {@code mapPartitions}, persists the blocks and materializes them in one job, as
   * {@link RddBlockFold#cache} does with {@link Blockifier#blockify}'s blocks.
   *
   * @param numPartitions partitions of the blocks (a round-robin repartition), 0 to keep the
   *     data's
   * @param depth the aggregation tree depth, at least 1
   */
  public static DatasetBlockFold blockify(Dataset<Row> data, int numFeatures,
      double maxBlockSizeMb, int numPartitions, int depth) {
    Dataset<Row> rows = Blockifier.rowsForBlocks(data, numFeatures, maxBlockSizeMb, numPartitions);
    return cache(rows.mapPartitions((MapPartitionsFunction<Row, Tuple2<Integer, byte[]>>) it -> {
      Iterator<RowBlock> built = Blockifier.blocksOfPartition(it, numFeatures, maxBlockSizeMb);
      return new Iterator<Tuple2<Integer, byte[]>>() { // one block in memory at a time
        @Override
        public boolean hasNext() {
          return built.hasNext();
        }

        @Override
        public Tuple2<Integer, byte[]> next() {
          RowBlock b = built.next();
          return new Tuple2<>((int) (b.id() >>> 32), SerializedBytes.of(b));
        }
      };
    }, INDEXED), depth);
  }

  /**
   * Blocks held on the driver, cut into {@code partitions} contiguous slices in order (the slices
   * of {@code parallelize(blocks, partitions)}), persisted and materialized in one job: the same
   * partitions as an {@link RddBlockFold} over {@code parallelize(blocks, partitions)}.
   *
   * @param blocks not modified; serialized into the function that places them
   */
  public static DatasetBlockFold of(SparkSession spark, List<RowBlock> blocks, int partitions,
      int depth) {
    if (partitions < 1) {
      throw new IllegalArgumentException("partitions must be >= 1, got " + partitions);
    }
    ArrayList<byte[]> serialized = new ArrayList<>(blocks.size());
    for (RowBlock b : blocks) {
      serialized.add(SerializedBytes.of(b));
    }
    int n = serialized.size();
    return cache(spark.range(0, partitions, 1, partitions).mapPartitions(
        (MapPartitionsFunction<Long, Tuple2<Integer, byte[]>>) it -> {
          List<Tuple2<Integer, byte[]>> out = new ArrayList<>();
          while (it.hasNext()) {
            int p = it.next().intValue();
            long from = (long) p * n / partitions;
            long to = (long) (p + 1) * n / partitions;
            for (long i = from; i < to; i++) {
              out.add(new Tuple2<>(p, serialized.get((int) i)));
            }
          }
          return out.iterator();
        }, INDEXED), depth);
  }

  /**
   * Persists {@code blocks} (MEMORY_AND_DISK) and materializes them in one job that also counts
   * partitions, rows and bytes. On failure the Dataset is unpersisted again.
   */
  private static DatasetBlockFold cache(Dataset<Tuple2<Integer, byte[]>> blocks, int depth) {
    if (depth < 1) {
      throw new IllegalArgumentException("aggregation depth must be >= 1, got " + depth);
    }
    Dataset<Tuple2<Integer, byte[]>> persisted = blocks.persist(StorageLevel.MEMORY_AND_DISK());
    try {
      // One row per partition, an empty one included: (rows, bytes).
      List<Tuple2<Long, Long>> counts = persisted.mapPartitions(
          (MapPartitionsFunction<Tuple2<Integer, byte[]>, Tuple2<Long, Long>>) it -> {
            long rows = 0;
            long bytes = 0;
            while (it.hasNext()) {
              RowBlock b = SerializedBytes.read(it.next()._2());
              rows += b.numRows();
              bytes += b.sizeInBytes();
            }
            return List.of(new Tuple2<>(rows, bytes)).iterator();
          }, Encoders.tuple(Encoders.LONG(), Encoders.LONG())).collectAsList();
      long rows = 0;
      long bytes = 0;
      for (Tuple2<Long, Long> c : counts) {
        rows += c._1();
        bytes += c._2();
      }
      return new DatasetBlockFold(persisted, depth, counts.size(), rows, bytes);
    } catch (RuntimeException e) {
      persisted.unpersist(false);
      throw e;
    }
  }

  @Override
  public void setPhase(String phase) {
    this.phase = phase;
  }

  @Override
  public long passes() {
    return passes.get();
  }

  @Override
  public long numRows() {
    return numRows;
  }

  @Override
  public int numPartitions() {
    return numPartitions;
  }

  @Override
  public long sizeInBytes() {
    return sizeInBytes;
  }

  /** The value itself, carried by each function that refers to it: no broadcast. */
  @Override
  public <T extends Serializable> Shared<T> share(T value) {
    return new InlineShared<>(value);
  }

  @Override
  public <A extends BlockAggregator<A>> A aggregate(String pass, A zero) {
    count(pass);
    Dataset<Tuple2<Integer, byte[]>> partials = blocks.mapPartitions(
        (MapPartitionsFunction<Tuple2<Integer, byte[]>, Tuple2<Integer, byte[]>>) it -> {
          if (!it.hasNext()) {
            return Collections.emptyIterator();
          }
          A sum = zero; // this task's own copy, deserialized with the function
          int partition = -1;
          while (it.hasNext()) {
            Tuple2<Integer, byte[]> b = it.next();
            partition = b._1();
            sum = sum.add(SerializedBytes.<RowBlock>read(b._2()));
          }
          return List.of(new Tuple2<>(partition, SerializedBytes.of(sum.compacted()))).iterator();
        }, INDEXED);
    // The levels of RddBlockFold's tree: the same scale, the same i mod m reducers.
    int levelPartitions = numPartitions;
    int scale = Math.max((int) Math.ceil(Math.pow(levelPartitions, 1.0 / depth)), 2);
    while (levelPartitions > scale + (int) Math.ceil((double) levelPartitions / scale)) {
      levelPartitions /= scale;
      int reducers = levelPartitions;
      partials = partials
          .groupByKey((MapFunction<Tuple2<Integer, byte[]>, Integer>) t -> t._1() % reducers,
              Encoders.INT())
          .mapGroups((MapGroupsFunction<Integer, Tuple2<Integer, byte[]>, Tuple2<Integer, byte[]>>)
              (key, group) -> new Tuple2<>(key, SerializedBytes.of(DatasetBlockFold.<A>mergeByIndex(
                  () -> group).compacted())), INDEXED);
    }
    List<Tuple2<Integer, byte[]>> last = partials.collectAsList();
    return last.isEmpty() ? zero : mergeByIndex(last); // no blocks: the empty sum
  }

  /** Deserializes partial sums keyed by partition index and merges them in increasing index. */
  private static <A extends BlockAggregator<A>> A mergeByIndex(
      Iterable<Tuple2<Integer, byte[]>> keyed) {
    List<Tuple2<Integer, byte[]>> sorted = new ArrayList<>();
    keyed.forEach(sorted::add);
    sorted.sort(Comparator.comparingInt(Tuple2::_1));
    A sum = SerializedBytes.read(sorted.get(0)._2());
    for (int i = 1; i < sorted.size(); i++) {
      sum = sum.merge(SerializedBytes.<A>read(sorted.get(i)._2()));
    }
    return sum;
  }

  @Override
  public List<RowBlock> collect(String pass, RowSample sample) {
    count(pass);
    List<byte[]> sampled = blocks.mapPartitions(
        (MapPartitionsFunction<Tuple2<Integer, byte[]>, byte[]>) it -> {
          List<byte[]> out = new ArrayList<>();
          while (it.hasNext()) {
            RowBlock b = sample.apply(SerializedBytes.<RowBlock>read(it.next()._2()));
            if (b.numRows() > 0) {
              out.add(SerializedBytes.of(b));
            }
          }
          return out.iterator();
        }, Encoders.BINARY()).collectAsList();
    List<RowBlock> out = new ArrayList<>(sampled.size());
    for (byte[] b : sampled) {
      out.add(SerializedBytes.read(b));
    }
    return out;
  }

  private void count(String pass) {
    long n = passes.incrementAndGet();
    LOG.debug("pass {} ({}: {})", n, phase, pass);
  }

  /** Unpersists the blocks. */
  @Override
  public void close() {
    blocks.unpersist(false);
  }
}
