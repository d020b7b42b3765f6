package dev.sparknewton.data;

import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * Stacks the rows of {@link TrainingData} into {@link RowBlock}s, the unit of every pass.
 *
 * <p>Like MLlib's {@code maxBlockSizeInMB} ({@code InstanceBlock.blokifyWithMaxMemUsage}), a
 * block takes consecutive rows of a partition while its size stays within the limit; a single
 * row larger than the limit becomes a block of its own. The size of a block is that of the
 * smaller of its two forms, dense ({@code 8 n d} bytes of values) or compressed sparse rows
 * ({@code 12 nnz + 4 (n + 1)}), plus {@code 16 n} for labels and weights; the smaller form is
 * the one built. Block ids are {@code (long) partition << 32 | block index in the partition}.
 *
 * <p>Every row gets a key from its position in {@code data} before any repartitioning
 * (Spark's {@code monotonically_increasing_id}: the input partition in the upper 31 bits, the
 * row's index within it in the lower 33), so that a curvature sample, drawn per row key
 * ({@link RowSample}), is the same rows whatever {@code numPartitions} is.
 */
public final class Blockifier {
  private Blockifier() {}

  /**
   * The blocks of {@code data} (columns label, features, weight), lazily; NOT persisted (the
   * caller caches them, e.g. through {@code RddBlockFold.cache}).
   *
   * @param numFeatures the size of every feature vector
   * @param maxBlockSizeMb the largest block in MiB (2^20 bytes), positive
   * @param numPartitions the partitions of the result (a round-robin repartition when it differs
   *     from the data's), or 0 to keep the data's partitioning
   */
  public static JavaRDD<RowBlock> blockify(Dataset<Row> data, int numFeatures,
      double maxBlockSizeMb, int numPartitions) {
    checkArguments(numFeatures, maxBlockSizeMb, numPartitions);
    Dataset<Row> rows = keyed(data);
    if (numPartitions > 0 && numPartitions != rows.rdd().getNumPartitions()) {
      rows = rows.repartition(numPartitions);
    }
    long maxBytes = (long) (maxBlockSizeMb * BYTES_PER_MB);
    return rows.javaRDD().mapPartitionsWithIndex(
        (partition, it) -> new Blocks(partition, it, numFeatures, maxBytes), true);
  }

  /**
   * The rows {@link #blocksOfPartition} stacks, through the Dataset API alone (for a Spark Connect
   * session, which has no RDDs): columns label, features, weight, the row key, and the partition
   * index ({@code spark_partition_id()}) last. Unlike {@link #blockify}, which can read the input's
   * partition count, this repartitions (round-robin) whenever {@code numPartitions > 0}.
   *
   * @param numPartitions the partitions of the result, or 0 to keep the data's partitioning
   */
  public static Dataset<Row> rowsForBlocks(Dataset<Row> data, int numFeatures,
      double maxBlockSizeMb, int numPartitions) {
    checkArguments(numFeatures, maxBlockSizeMb, numPartitions);
    Dataset<Row> rows = keyed(data);
    if (numPartitions > 0) {
      rows = rows.repartition(numPartitions);
    }
    return rows.withColumn("partition", functions.spark_partition_id());
  }

  /**
   * The blocks of one partition of {@link #rowsForBlocks}, built as they are consumed, with the ids
   * {@link #blockify} gives them; none for an empty partition.
   *
   * @param rows the rows of one partition, each with its partition index in column 4
   */
  public static Iterator<RowBlock> blocksOfPartition(Iterator<Row> rows, int numFeatures,
      double maxBlockSizeMb) {
    if (!rows.hasNext()) {
      return java.util.Collections.emptyIterator();
    }
    Row first = rows.next();
    Iterator<Row> all = new Iterator<>() {
      private boolean firstTaken;

      @Override
      public boolean hasNext() {
        return !firstTaken || rows.hasNext();
      }

      @Override
      public Row next() {
        if (!firstTaken) {
          firstTaken = true;
          return first;
        }
        return rows.next();
      }
    };
    return new Blocks(first.getInt(4), all, numFeatures, (long) (maxBlockSizeMb * BYTES_PER_MB));
  }

  private static void checkArguments(int numFeatures, double maxBlockSizeMb, int numPartitions) {
    if (numFeatures <= 0) {
      throw new IllegalArgumentException("numFeatures must be positive, got " + numFeatures);
    }
    if (!(maxBlockSizeMb > 0 && maxBlockSizeMb <= MAX_BLOCK_MB)) {
      throw new IllegalArgumentException(
          "maxBlockSizeMb must be in (0, " + MAX_BLOCK_MB + "], got " + maxBlockSizeMb);
    }
    if (numPartitions < 0) {
      throw new IllegalArgumentException("numPartitions must be >= 0, got " + numPartitions);
    }
  }

  /** Label, features, weight and the row key ({@code monotonically_increasing_id}). */
  private static Dataset<Row> keyed(Dataset<Row> data) {
    return data.select(
        FrameChecks.quoted(TrainingData.LABEL).cast(DataTypes.DoubleType),
        FrameChecks.quoted(TrainingData.FEATURES),
        FrameChecks.quoted(TrainingData.WEIGHT).cast(DataTypes.DoubleType),
        functions.monotonically_increasing_id());
  }

  /** One MiB, the unit of {@code maxBlockSizeMb} (as MLlib's maxBlockSizeInMB). */
  private static final double BYTES_PER_MB = 1024.0 * 1024.0;

  /** Blocks above 2 GiB cannot be serialized by Spark. */
  private static final double MAX_BLOCK_MB = 2047.0;

  /** The blocks of one partition, built as they are consumed. */
  private static final class Blocks implements Iterator<RowBlock> {
    private final long partition;
    private final Iterator<Row> rows;
    private final RowBlockBuilder builder;
    private final long maxBytes;
    private Row pending;
    private int index;

    Blocks(int partition, Iterator<Row> rows, int numFeatures, long maxBytes) {
      this.partition = partition;
      this.rows = rows;
      this.builder = new RowBlockBuilder(numFeatures);
      this.maxBytes = maxBytes;
    }

    @Override
    public boolean hasNext() {
      return pending != null || rows.hasNext();
    }

    @Override
    public RowBlock next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      while (pending != null || rows.hasNext()) {
        Row row = pending != null ? pending : rows.next();
        pending = null;
        Vector x = (Vector) row.get(1);
        long after = builder.bytes(builder.numRows() + 1L, builder.numNonZeros() + (long) x.numNonzeros());
        if (builder.numRows() > 0 && after > maxBytes) {
          pending = row;
          break;
        }
        builder.add(row.getLong(3), row.getDouble(0), row.getDouble(2), x);
      }
      return builder.build(partition << 32 | index++);
    }
  }
}
