package dev.sparknewton.data;

import static org.apache.spark.sql.functions.col;

import dev.sparknewton.distributed.DistributedFolds;
import dev.sparknewton.distributed.SerializedBytes;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.InvalidInputException;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Reads LIBSVM text ({@code label idx:val ...}, see {@link LibSvmLineParser}) with our own parser,
 * so every error names the file, the 1-based line and the offending token; compressed files
 * ({@code .bz2}, {@code .gz}) work.
 *
 * <p>Two readers of the input splits, one parser and one scan: on classic Spark Hadoop's
 * {@code TextInputFormat} through an RDD ({@link HadoopSplits}, one partition per input split); on a
 * session without a SparkContext (Spark Connect) Spark SQL's text source with the split of each
 * line from its {@code _metadata} ({@link TextSourceSplits}, the Dataset API alone). Both hand each
 * split's lines, in order, to {@link #scanSplit} and {@link RowIterator}, so the rows, labels,
 * dimension and messages are the same. The rows' order, and so their keys and a random test
 * split, are the same when both read the input as the same splits in the same order: always for
 * one file smaller than both split sizes (Hadoop's block size, 32 MB on a local file system, and
 * the text source's {@code spark.sql.files.maxPartitionBytes} / {@code openCostInBytes}, at least
 * 4 MB); larger or many files may be cut, ordered (the text source packs files by decreasing
 * size) and so split differently.
 *
 * <p>Cost: one job per data set scans the text (rows, largest index, labels, first error); the
 * rows themselves are parsed again, lazily, by whoever consumes the returned frames. Exact line
 * numbers of an error in a later split of a file cost one more job, on the error path only.
 */
final class LibSvmSource {
  private LibSvmSource() {}

  /** Reads with Hadoop's RDD on classic Spark, with the text source on a Connect session. */
  static TrainingData load(SparkSession spark, DataSpec spec) {
    Optional<SparkContext> sc = DistributedFolds.sparkContext(spark);
    return load(spark, spec, sc.isPresent()
        ? new HadoopSplits(spark, JavaSparkContext.fromSparkContext(sc.get()))
        : new TextSourceSplits(spark));
  }

  /** Reads with the text source (the Dataset API alone), whatever the session: for tests. */
  static TrainingData loadByTextSource(SparkSession spark, DataSpec spec) {
    return load(spark, spec, new TextSourceSplits(spark));
  }

  private static TrainingData load(SparkSession spark, DataSpec spec, Splits splits) {
    int maxLabels = LabelMapping.distinctToCollect(spec.labelKind(), spec.maxClasses());
    LibSvmScan train = scan(splits, spec.path(), spec.numFeatures(), maxLabels);
    LabelMapping mapping = spec.labelKind() == LabelKind.REAL
        ? LabelMapping.real()
        : LabelMapping.ofNumbers(train.labels().keySet(), spec.labelKind(), spec.maxClasses(),
            spec.positiveLabel(), spec.path());
    Optional<LibSvmScan> test =
        spec.testPath().map(p -> scan(splits, p, spec.numFeatures(), maxLabels));
    if (test.isPresent()) {
      // maxLabels distinct test labels include an unknown one whenever any is unknown.
      for (Map.Entry<Double, LineLocation> e : test.get().labels().entrySet()) {
        if (Double.isNaN(mapping.map(e.getKey()))) {
          throw new DataValidationException(where(splits, e.getValue()) + ": label "
              + LabelMapping.format(e.getKey(), false) + " is not one of the training labels ("
              + mapping.describe() + ")");
        }
      }
    }
    int maxIndex = Math.max(train.maxIndex(), test.map(LibSvmScan::maxIndex).orElse(0));
    int d = spec.numFeatures() > 0 ? spec.numFeatures() : maxIndex;
    if (d == 0) {
      throw new DataValidationException("no feature indices in " + spec.path()
          + spec.testPath().map(p -> " or " + p).orElse(""));
    }
    Dataset<Row> trainRows = splits.frame(spec.path(), d, mapping);
    Optional<Dataset<Row>> testRows = spec.testPath().map(p -> splits.frame(p, d, mapping));
    String description = "libsvm " + spec.path() + ": " + train.rows() + " rows, " + d
        + " features (" + (spec.numFeatures() > 0 ? "given" : "largest index") + "), labels "
        + mapping.describe()
        + test.map(t -> "; test " + spec.testPath().get() + ": " + t.rows() + " rows").orElse("");
    return DataLoader.ofMappedRows(trainRows, testRows, d, mapping, description, spec);
  }

  /**
   * The input splits of a path, each a sequence of text lines: how the scan, the error path and
   * the rows read them.
   */
  private interface Splits {
    /** One job: {@link #scanSplit} of every split, with the split's start (line 0). */
    List<Tuple2<LineLocation, LibSvmScan>> scans(String path, int numFeatures, int maxLabels);

    /** One job: the lines of the splits of {@code at}'s file that start before {@code at}'s. */
    long linesBefore(LineLocation at);

    /** The rows of {@code path}: {@link RowIterator} over each split, lazily. */
    Dataset<Row> frame(String path, int d, LabelMapping mapping);
  }

  /**
   * One job over {@code path}: the merged scan of all its splits, keeping up to
   * {@code maxLabels} distinct labels. Throws on the first error.
   */
  private static LibSvmScan scan(Splits splits, String path, int numFeatures, int maxLabels) {
    List<Tuple2<LineLocation, LibSvmScan>> perSplit;
    try {
      perSplit = splits.scans(path, numFeatures, maxLabels);
    } catch (DataValidationException e) {
      throw e;
    } catch (Exception e) {
      throw missingInput(e, path);
    }
    List<Tuple2<LineLocation, LibSvmScan>> ordered = new ArrayList<>(perSplit);
    ordered.sort(Comparator.comparing((Tuple2<LineLocation, LibSvmScan> t) -> t._1().path())
        .thenComparingLong(t -> t._1().splitStart()));
    LibSvmScan total = new LibSvmScan(maxLabels);
    for (Tuple2<LineLocation, LibSvmScan> t : ordered) {
      total.merge(t._2());
    }
    if (total.failed()) {
      throw new DataValidationException((total.unreadable() ? total.errorAt().fileName()
          : where(splits, total.errorAt())) + ": " + total.error());
    }
    if (total.rows() == 0) {
      throw new DataValidationException("no rows in " + path);
    }
    return total;
  }

  /**
   * The scan of the lines of one input split, which starts at {@code start}: stops at the first
   * syntax error; a failure to read (a truncated or corrupt {@code .bz2} or {@code .gz}) is kept
   * as the error at the line that could not be read.
   */
  static LibSvmScan scanSplit(LineLocation start, Iterator<String> lines, int numFeatures,
      int maxLabels) {
    LibSvmScan scan = new LibSvmScan(maxLabels);
    LibSvmLineParser parser = new LibSvmLineParser(numFeatures);
    long line = 0;
    try {
      while (lines.hasNext() && !scan.failed()) {
        line++;
        String text = lines.next();
        LineLocation at = new LineLocation(start.path(), start.splitStart(), line);
        try {
          if (parser.parse(text)) {
            scan.addRow(parser.label(), parser.maxIndex(), at);
          }
        } catch (DataValidationException e) {
          scan.fail(at, e.getMessage());
        }
      }
    } catch (Exception e) {
      // Reading failed (a truncated or corrupt .bz2 or .gz): Hadoop's codec throws an
      // IOException from the record reader, which names neither file nor line.
      scan.failRead(new LineLocation(start.path(), start.splitStart(), line + 1),
          "cannot read past line " + line + " of the part starting at byte "
              + start.splitStart() + " (truncated or corrupt file?): " + rootMessage(e));
    }
    return scan;
  }

  /** "file line n", with the exact 1-based line number of {@code at} within its file. */
  private static String where(Splits splits, LineLocation at) {
    // The lines of the earlier splits of the file are counted by a job when the split is not
    // the first.
    long line = at.splitStart() == 0 ? at.lineInSplit() : splits.linesBefore(at) + at.lineInSplit();
    return at.fileName() + " line " + line;
  }

  /** Hadoop's {@code TextInputFormat} through an RDD: one partition per input split. */
  private static final class HadoopSplits implements Splits {
    private final SparkSession spark;
    private final JavaSparkContext jsc;

    HadoopSplits(SparkSession spark, JavaSparkContext jsc) {
      this.spark = spark;
      this.jsc = jsc;
    }

    @Override
    public List<Tuple2<LineLocation, LibSvmScan>> scans(String path, int numFeatures,
        int maxLabels) {
      jsc.setJobDescription("scan libsvm " + path);
      try {
        return lines(path).mapPartitionsWithInputSplit((split, it) -> {
          LineLocation start = start((FileSplit) split);
          return List.of(new Tuple2<>(start, scanSplit(start, texts(it), numFeatures, maxLabels)))
              .iterator();
        }, false).collect();
      } finally {
        jsc.setJobDescription(null);
      }
    }

    @Override
    public long linesBefore(LineLocation at) {
      String path = at.path();
      long splitStart = at.splitStart();
      jsc.setJobDescription("locate error line in " + at.fileName());
      try {
        return lines(path).mapPartitionsWithInputSplit((split, it) -> {
          FileSplit file = (FileSplit) split;
          long n = 0;
          if (file.getPath().toString().equals(path) && file.getStart() < splitStart) {
            for (; it.hasNext(); it.next()) {
              n++;
            }
          }
          return List.of(n).iterator();
        }, false).reduce(Long::sum);
      } finally {
        jsc.setJobDescription(null);
      }
    }

    @Override
    public Dataset<Row> frame(String path, int d, LabelMapping mapping) {
      JavaRDD<Row> rows = lines(path).mapPartitionsWithInputSplit(
          (split, it) -> new RowIterator(texts(it), d, mapping,
              ((FileSplit) split).getPath().getName()),
          false);
      return spark.createDataFrame(rows, TrainingData.SCHEMA);
    }

    private static LineLocation start(FileSplit file) {
      return new LineLocation(file.getPath().toString(), file.getStart(), 0);
    }

    /** The text of Hadoop's (offset, line) records. */
    private static Iterator<String> texts(Iterator<Tuple2<LongWritable, Text>> records) {
      return new Iterator<>() {
        @Override
        public boolean hasNext() {
          return records.hasNext();
        }

        @Override
        public String next() {
          return records.next()._2().toString();
        }
      };
    }

    @SuppressWarnings("unchecked")
    private JavaNewHadoopRDD<LongWritable, Text> lines(String path) {
      return (JavaNewHadoopRDD<LongWritable, Text>) jsc.newAPIHadoopFile(
          path, TextInputFormat.class, LongWritable.class, Text.class, jsc.hadoopConfiguration());
    }
  }

  /**
   * Spark SQL's text source, the Dataset API alone (for Spark Connect): each line with its file
   * and the start of its split ({@code _metadata.file_path}, {@code _metadata.file_block_start});
   * a partition holds one or more splits, each whole and in order, so the lines of a split are
   * consecutive ({@link SplitLines}). The path is read where the session runs its jobs (the
   * Connect server's file systems).
   */
  private static final class TextSourceSplits implements Splits {
    private final SparkSession spark;

    TextSourceSplits(SparkSession spark) {
      this.spark = spark;
    }

    /** Columns: the line, its file (a URI), the byte where its split starts. */
    private Dataset<Row> lines(String path) {
      return DataLoader.reading(path, () -> {
        Dataset<Row> text = spark.read().text(path).select(col("value"),
            col("_metadata.file_path"), col("_metadata.file_block_start"));
        text.schema(); // analysis now: a missing path is a one-line error here, not in a job
        return text;
      });
    }

    @Override
    public List<Tuple2<LineLocation, LibSvmScan>> scans(String path, int numFeatures,
        int maxLabels) {
      List<byte[]> scans = lines(path).mapPartitions((MapPartitionsFunction<Row, byte[]>) it -> {
        List<byte[]> out = new ArrayList<>();
        SplitLines split = new SplitLines(it);
        while (split.nextSplit()) {
          LineLocation start = split.start();
          LibSvmScan scan = scanSplit(start, split, numFeatures, maxLabels);
          out.add(SerializedBytes.of(new Tuple2<>(start, scan)));
        }
        return out.iterator();
      }, Encoders.BINARY()).collectAsList();
      List<Tuple2<LineLocation, LibSvmScan>> out = new ArrayList<>();
      for (byte[] b : scans) {
        out.add(SerializedBytes.read(b));
      }
      return out;
    }

    @Override
    public long linesBefore(LineLocation at) {
      String path = at.path();
      long splitStart = at.splitStart();
      List<Long> counts = lines(path).mapPartitions((MapPartitionsFunction<Row, Long>) it -> {
        long n = 0;
        SplitLines split = new SplitLines(it);
        while (split.nextSplit()) {
          boolean earlier = split.start().path().equals(path)
              && split.start().splitStart() < splitStart;
          for (; split.hasNext(); split.next()) {
            n += earlier ? 1 : 0;
          }
        }
        return List.of(n).iterator();
      }, Encoders.LONG()).collectAsList();
      long n = 0;
      for (long c : counts) {
        n += c;
      }
      return n;
    }

    @Override
    public Dataset<Row> frame(String path, int d, LabelMapping mapping) {
      return lines(path).mapPartitions(
          (MapPartitionsFunction<Row, Row>) it -> new SplitRows(new SplitLines(it), d, mapping),
          Encoders.row(TrainingData.SCHEMA));
    }
  }

  /** The rows of every split of a partition of {@link TextSourceSplits#lines}, in order. */
  private static final class SplitRows implements Iterator<Row> {
    private final SplitLines split;
    private final int d;
    private final LabelMapping mapping;
    private RowIterator rows;

    SplitRows(SplitLines split, int d, LabelMapping mapping) {
      this.split = split;
      this.d = d;
      this.mapping = mapping;
    }

    @Override
    public boolean hasNext() {
      while ((rows == null || !rows.hasNext()) && split.nextSplit()) {
        rows = new RowIterator(split, d, mapping, split.start().fileName());
      }
      return rows != null && rows.hasNext();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return rows.next();
    }
  }

  /**
   * The lines of one partition of {@link TextSourceSplits#lines}, split by split: after
   * {@link #nextSplit} it iterates the lines of that split (those with its file and start);
   * {@code nextSplit} skips what is left of the current one.
   */
  private static final class SplitLines implements Iterator<String> {
    private final Iterator<Row> rows;
    private Row pending;
    private LineLocation start;
    /** The file of the current split as the text source spells it (a URI). */
    private String startUri;

    SplitLines(Iterator<Row> rows) {
      this.rows = rows;
    }

    /** Moves to the next split; false when there is none. */
    boolean nextSplit() {
      while (hasNext()) {
        next();
      }
      if (pending == null && rows.hasNext()) {
        pending = rows.next();
      }
      if (pending == null) {
        start = null;
        return false;
      }
      startUri = pending.getString(1);
      // Hadoop's form of the path (file:/a/b c.txt), as HadoopSplits names it, not the URI.
      start = new LineLocation(new Path(URI.create(startUri)).toString(), pending.getLong(2), 0);
      return true;
    }

    /** The start of the current split. */
    LineLocation start() {
      return start;
    }

    @Override
    public boolean hasNext() {
      if (start == null) {
        return false;
      }
      if (pending == null && rows.hasNext()) {
        pending = rows.next();
      }
      return pending != null && pending.getLong(2) == start.splitStart()
          && pending.getString(1).equals(startUri);
    }

    @Override
    public String next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      String line = pending.getString(0);
      pending = null;
      return line;
    }
  }

  private static RuntimeException missingInput(Exception e, String path) {
    if (e instanceof InvalidInputException) {
      return new DataValidationException("cannot read " + path + ": " + e.getMessage());
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.io.IOException) {
        // Splitting or opening the input failed on the driver, e.g. a damaged compressed header.
        return new DataValidationException("cannot read " + path + ": " + rootMessage(t));
      }
    }
    return e instanceof RuntimeException r ? r : new IllegalStateException(e);
  }

  /** The message of the innermost cause of {@code e}, with its type when it has none. */
  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null || root.getMessage().isBlank()
        ? root.getClass().getSimpleName() : root.getMessage();
  }

  /**
   * Parses the lines of one split into rows (label {@code mapping} of the raw label, features of
   * size {@code d}, weight 1), skipping blank and comment lines.
   */
  private static final class RowIterator implements Iterator<Row> {
    private final Iterator<String> lines;
    private final LibSvmLineParser parser;
    private final int d;
    private final LabelMapping mapping;
    private final String file;
    private Row next;

    RowIterator(Iterator<String> lines, int d, LabelMapping mapping, String file) {
      this.lines = lines;
      this.parser = new LibSvmLineParser(d);
      this.d = d;
      this.mapping = mapping;
      this.file = file;
    }

    @Override
    public boolean hasNext() {
      while (next == null && lines.hasNext()) {
        String text = lines.next();
        if (parser.parse(text)) {
          double label = mapping.map(parser.label());
          if (Double.isNaN(label)) {
            // The scan has checked every label; only a file changed since then gets here.
            throw new IllegalStateException(file + ": label " + parser.label()
                + " is not one of " + mapping.describe() + " (did the file change?)");
          }
          next = RowFactory.create(
              label, new SparseVector(d, parser.indices(), parser.values()), 1.0);
        }
      }
      return next != null;
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Row row = next;
      next = null;
      return row;
    }
  }
}
