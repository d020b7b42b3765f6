package dev.sparknewton.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;

/**
 * Generates the rows of a {@link SyntheticSpec} on the executors and writes them as LIBSVM text
 * or Parquet. The driver creates an RDD of partition numbers only; partition {@code p} of
 * {@code P} generates the chunks {@code [p C / P, (p + 1) C / P)} of the {@code C} chunks lazily
 * ({@link SyntheticRows#rows}), so nothing of size {@code n} exists on the driver and the rows do
 * not depend on {@code P}. The statistics of the written rows are counted as they are written, one
 * {@link SyntheticStats} per partition sent back through an accumulator (Spark applies a
 * successful task's accumulator update once, and a failed attempt's never, for the tasks of an
 * action).
 */
public final class SyntheticDataWriter {
  /** Columns of the Parquet output: the ones {@code data.format = parquet} reads by default. */
  public static final StructType PARQUET_SCHEMA = new StructType()
      .add("label", DataTypes.DoubleType, false)
      .add("features", SQLDataTypes.VectorType(), false);

  private SyntheticDataWriter() {}

  /**
   * The partitions used for {@code requested}: 0 gives one per chunk, more than the chunks is
   * capped at the chunks.
   */
  public static int partitions(SyntheticSpec spec, int requested) {
    if (requested < 0) {
      throw new IllegalArgumentException("partitions must be >= 0, got " + requested);
    }
    long chunks = spec.chunks();
    long p = requested == 0 ? chunks : Math.min(requested, chunks);
    return (int) Math.min(p, Integer.MAX_VALUE);
  }

  /** The rows, generated lazily in {@link #partitions}{@code (spec, requested)} partitions. */
  public static JavaRDD<SyntheticRow> rows(JavaSparkContext jsc, SyntheticSpec spec,
      int requested) {
    int p = partitions(spec, requested);
    long chunks = spec.chunks();
    List<Integer> ids = new ArrayList<>(p);
    for (int i = 0; i < p; i++) {
      ids.add(i);
    }
    return jsc.parallelize(ids, p).mapPartitions(it -> {
      if (!it.hasNext()) {
        return Collections.emptyIterator();
      }
      long part = it.next();
      return new SyntheticRows(spec).rows(part * chunks / p, (part + 1) * chunks / p);
    });
  }

  /**
   * Writes the rows as LIBSVM text part files under {@code path} (a new directory): labels -1 / +1
   * (binary) or {@code 0 .. K-1}, 1-based increasing indices.
   *
   * @return the counts of the rows written
   */
  public static SyntheticStats writeLibSvm(JavaSparkContext jsc, SyntheticSpec spec, int requested,
      String path) {
    CollectionAccumulator<SyntheticStats> stats = jsc.sc().collectionAccumulator("synthetic rows");
    jsc.setJobDescription("generate " + spec.rows() + " rows as libsvm");
    try {
      rows(jsc, spec, requested)
          .mapPartitions(it -> new Counting(it, new SyntheticStats(spec), stats))
          .map(SyntheticDataWriter::libsvmLine)
          .saveAsTextFile(path);
    } finally {
      jsc.setJobDescription(null);
    }
    return merged(spec, stats);
  }

  /**
   * Writes the rows as Parquet under {@code path} (a new directory): {@code label} double (as in
   * LIBSVM), {@code features} a Spark ML sparse vector of size {@code features}.
   *
   * @return the counts of the rows written
   */
  public static SyntheticStats writeParquet(SparkSession spark, SyntheticSpec spec, int requested,
      String path) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    CollectionAccumulator<SyntheticStats> stats = jsc.sc().collectionAccumulator("synthetic rows");
    int d = spec.features();
    JavaRDD<Row> rows = rows(jsc, spec, requested)
        .mapPartitions(it -> new Counting(it, new SyntheticStats(spec), stats))
        .map(r -> RowFactory.create(r.label(), new SparseVector(d, r.indices(), r.values())));
    jsc.setJobDescription("generate " + spec.rows() + " rows as parquet");
    try {
      spark.createDataFrame(rows, PARQUET_SCHEMA).write().parquet(path);
    } finally {
      jsc.setJobDescription(null);
    }
    return merged(spec, stats);
  }

  /** {@code label idx:val ...}, 1-based indices; binary labels as {@code -1} / {@code +1}. */
  public static String libsvmLine(SyntheticRow row) {
    StringBuilder sb = new StringBuilder(16 + 24 * row.indices().length);
    double label = row.label();
    if (label == 1.0) {
      sb.append("+1");
    } else {
      sb.append((long) label);
    }
    int[] indices = row.indices();
    double[] values = row.values();
    for (int i = 0; i < indices.length; i++) {
      sb.append(' ').append(indices[i] + 1L).append(':');
      if (values[i] == 1.0) {
        sb.append('1');
      } else {
        sb.append(values[i]);
      }
    }
    return sb.toString();
  }

  private static SyntheticStats merged(SyntheticSpec spec,
      CollectionAccumulator<SyntheticStats> acc) {
    SyntheticStats total = new SyntheticStats(spec);
    for (SyntheticStats s : acc.value()) {
      total.merge(s);
    }
    return total;
  }

  /** Passes rows through, counting them; adds the counts to the accumulator after the last row. */
  private static final class Counting implements Iterator<SyntheticRow> {
    private final Iterator<SyntheticRow> rows;
    private final SyntheticStats stats;
    private final CollectionAccumulator<SyntheticStats> sink;
    private boolean reported;

    Counting(Iterator<SyntheticRow> rows, SyntheticStats stats,
        CollectionAccumulator<SyntheticStats> sink) {
      this.rows = rows;
      this.stats = stats;
      this.sink = sink;
    }

    @Override
    public boolean hasNext() {
      boolean more = rows.hasNext();
      if (!more && !reported) {
        reported = true;
        sink.add(stats);
      }
      return more;
    }

    @Override
    public SyntheticRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      SyntheticRow row = rows.next();
      stats.add(row);
      return row;
    }
  }
}
