package dev.sparknewton.data;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.io.Text;
import org.apache.hadoop.mapreduce.lib.input.FileSplit;
import org.apache.hadoop.mapreduce.lib.input.InvalidInputException;
import org.apache.hadoop.mapreduce.lib.input.TextInputFormat;
import org.apache.spark.api.java.JavaNewHadoopRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;

/**
 * Reads LIBSVM text ({@code label idx:val ...}, see {@link LibSvmLineParser}) with Hadoop's
 * {@code TextInputFormat}, so compressed files ({@code .bz2}, {@code .gz}) work, and with our own
 * parser, so every error names the file, the 1-based line and the offending token.
 *
 * <p>Cost: one job per data set scans the text (rows, largest index, labels, first error); the
 * rows themselves are parsed again, lazily, by whoever consumes the returned frames. Exact line
 * numbers of an error in a later split of a file cost one more job, on the error path only.
 */
final class LibSvmSource {
  private LibSvmSource() {}

  static TrainingData load(SparkSession spark, DataSpec spec) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int maxLabels = LabelMapping.distinctToCollect(spec.labelKind(), spec.maxClasses());
    LibSvmScan train = scan(jsc, spec.path(), spec.numFeatures(), maxLabels);
    LabelMapping mapping = spec.labelKind() == LabelKind.REAL
        ? LabelMapping.real()
        : LabelMapping.ofNumbers(train.labels().keySet(), spec.labelKind(), spec.maxClasses(),
            spec.positiveLabel(), spec.path());
    Optional<LibSvmScan> test =
        spec.testPath().map(p -> scan(jsc, p, spec.numFeatures(), maxLabels));
    if (test.isPresent()) {
      // maxLabels distinct test labels include an unknown one whenever any is unknown.
      for (Map.Entry<Double, LineLocation> e : test.get().labels().entrySet()) {
        if (Double.isNaN(mapping.map(e.getKey()))) {
          throw new DataValidationException(where(jsc, e.getValue()) + ": label "
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
    Dataset<Row> trainRows = frame(spark, jsc, spec.path(), d, mapping);
    Optional<Dataset<Row>> testRows = spec.testPath().map(p -> frame(spark, jsc, p, d, mapping));
    String description = "libsvm " + spec.path() + ": " + train.rows() + " rows, " + d
        + " features (" + (spec.numFeatures() > 0 ? "given" : "largest index") + "), labels "
        + mapping.describe()
        + test.map(t -> "; test " + spec.testPath().get() + ": " + t.rows() + " rows").orElse("");
    return DataLoader.ofMappedRows(trainRows, testRows, d, mapping, description, spec);
  }

  /**
   * One job over {@code path}: the merged scan of all its splits, keeping up to
   * {@code maxLabels} distinct labels. Throws on the first error.
   */
  static LibSvmScan scan(JavaSparkContext jsc, String path, int numFeatures, int maxLabels) {
    List<Tuple2<LineLocation, LibSvmScan>> perSplit;
    try {
      jsc.setJobDescription("scan libsvm " + path);
      perSplit = lines(jsc, path).mapPartitionsWithInputSplit((split, it) -> {
        FileSplit file = (FileSplit) split;
        LineLocation start = new LineLocation(file.getPath().toString(), file.getStart(), 0);
        LibSvmScan scan = new LibSvmScan(maxLabels);
        LibSvmLineParser parser = new LibSvmLineParser(numFeatures);
        long line = 0;
        try {
          while (it.hasNext() && !scan.failed()) {
            line++;
            String text = it.next()._2().toString();
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
        return List.of(new Tuple2<>(start, scan)).iterator();
      }, false).collect();
    } catch (Exception e) {
      throw missingInput(e, path);
    } finally {
      jsc.setJobDescription(null);
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
          : where(jsc, total.errorAt())) + ": " + total.error());
    }
    if (total.rows() == 0) {
      throw new DataValidationException("no rows in " + path);
    }
    return total;
  }

  /** "file line n", with the exact 1-based line number of {@code at} within its file. */
  static String where(JavaSparkContext jsc, LineLocation at) {
    return at.fileName() + " line " + lineNumber(jsc, at);
  }

  /**
   * The 1-based line number of {@code at} within its file: its line within the split plus the
   * lines of the earlier splits of the file, counted by a job when the split is not the first.
   */
  static long lineNumber(JavaSparkContext jsc, LineLocation at) {
    if (at.splitStart() == 0) {
      return at.lineInSplit();
    }
    String path = at.path();
    long splitStart = at.splitStart();
    jsc.setJobDescription("locate error line in " + at.fileName());
    try {
      long earlier = lines(jsc, path).mapPartitionsWithInputSplit((split, it) -> {
        FileSplit file = (FileSplit) split;
        long n = 0;
        if (file.getPath().toString().equals(path) && file.getStart() < splitStart) {
          for (; it.hasNext(); it.next()) {
            n++;
          }
        }
        return List.of(n).iterator();
      }, false).reduce(Long::sum);
      return earlier + at.lineInSplit();
    } finally {
      jsc.setJobDescription(null);
    }
  }

  /**
   * The rows of {@code path} as a frame of label ({@code mapping} of the raw label), features
   * (size {@code d}), weight 1.
   */
  static Dataset<Row> frame(SparkSession spark, JavaSparkContext jsc, String path, int d,
      LabelMapping mapping) {
    JavaRDD<Row> rows = lines(jsc, path).mapPartitionsWithInputSplit(
        (split, it) -> new RowIterator(it, d, mapping, ((FileSplit) split).getPath().getName()),
        false);
    return spark.createDataFrame(rows, TrainingData.SCHEMA);
  }

  @SuppressWarnings("unchecked")
  private static JavaNewHadoopRDD<LongWritable, Text> lines(JavaSparkContext jsc, String path) {
    return (JavaNewHadoopRDD<LongWritable, Text>) jsc.newAPIHadoopFile(
        path, TextInputFormat.class, LongWritable.class, Text.class, jsc.hadoopConfiguration());
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

  /** Parses the lines of one split into rows, skipping blank and comment lines. */
  private static final class RowIterator implements Iterator<Row> {
    private final Iterator<Tuple2<LongWritable, Text>> lines;
    private final LibSvmLineParser parser;
    private final int d;
    private final LabelMapping mapping;
    private final String file;
    private Row next;

    RowIterator(Iterator<Tuple2<LongWritable, Text>> lines, int d, LabelMapping mapping,
        String file) {
      this.lines = lines;
      this.parser = new LibSvmLineParser(d);
      this.d = d;
      this.mapping = mapping;
      this.file = file;
    }

    @Override
    public boolean hasNext() {
      while (next == null && lines.hasNext()) {
        String text = lines.next()._2().toString();
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
