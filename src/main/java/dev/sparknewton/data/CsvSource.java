package dev.sparknewton.data;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.from_csv;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.monotonically_increasing_id;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.trim;
import static org.apache.spark.sql.functions.when;

import dev.sparknewton.distributed.DistributedFolds;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Reads a table with a header row (a csv file, directory or glob, or the embedded bank data):
 * column types by {@code inferSchema}, the label numeric or string (numeric for real-valued
 * targets), every other column but the weight a feature ({@link CsvFeatureEncoder}). Test files
 * are read with the training schema.
 *
 * <p>Jobs: schema inference, one check of every row per data set, the distinct labels, the
 * category indexes. A row with a problem is named by file and 1-based line (header = line 1),
 * found on the error path by re-reading that file's lines (exact unless a quoted value spans
 * lines).
 */
final class CsvSource {
  private CsvSource() {}

  static TrainingData load(SparkSession spark, DataSpec spec, boolean embedded) {
    String delimiter = embedded ? EmbeddedBankData.DELIMITER : spec.csvDelimiter();
    Map<String, String> options = Map.of("header", "true", "sep", delimiter);
    String where = embedded ? EmbeddedBankData.NAME : spec.path();
    Dataset<Row> raw = read(spark, spec.path(), options, Optional.empty(), embedded);
    String label = spec.effectiveLabelCol();
    List<String> featureCols = featureColumns(raw, spec, where);
    if (!embedded) {
      requireNumbersInNumericColumns(spark, raw, featureCols, options);
    }
    Row counts = FrameChecks.countChecked(raw, problems(raw, spec, featureCols),
        embedded ? problem -> where + ": " + firstProblem(raw, problem)
            : problem -> locateInFile(spark, raw, problem, options), where,
        FrameChecks.weightSum(spec.weightCol()));
    FrameChecks.requirePositiveWeightSum(counts.getDouble(2), spec.weightCol(), where);

    Optional<Dataset<Row>> test = Optional.empty();
    if (spec.testPath().isPresent()) {
      String testPath = spec.testPath().get();
      requireSameHeader(spark, raw, testPath, options);
      Dataset<Row> t = read(spark, testPath, options, Optional.of(raw.schema()), false);
      FrameChecks.countChecked(t, problems(t, spec, featureCols),
          problem -> locateInFile(spark, t, problem, options), testPath);
      test = Optional.of(t);
    }
    Dataset<Row> train = raw;
    String description = (embedded ? "embedded " : "csv ") + where;
    if (test.isEmpty() && spec.testFraction() > 0) {
      Dataset<Row>[] parts = DataLoader.split(raw, spec);
      train = parts[0];
      test = Optional.of(parts[1]);
      description += " (test: a " + spec.testFraction() + " random split, seed " + spec.seed() + ")";
    }
    LabelMapping mapping = FrameLabels.mapping(train, label, spec, where);
    String testWhere = spec.testPath().orElse(where + " (test split)");
    test.ifPresent(t -> FrameLabels.requireKnown(t, label, mapping, testWhere));

    CsvFeatureEncoder encoder = CsvFeatureEncoder.fit(train, featureCols);
    int d = encoder.featureNames().size();
    if (spec.numFeatures() > 0 && spec.numFeatures() != d) {
      throw new DataValidationException("numFeatures " + spec.numFeatures() + " given, but the "
          + "columns of " + where + " encode to " + d + " features");
    }
    Column mapped = FrameLabels.mapped(label, mapping);
    Column weight = FrameChecks.weightOrOne(spec.weightCol());
    description += ": " + d + " features (" + encoder.numNumeric() + " numeric columns, "
        + encoder.numCategorical() + " one-hot encoded), labels " + mapping.describe();
    return new TrainingData(
        encoder.transform(train, mapped, weight),
        test.map(t -> encoder.transform(t, mapped, weight)),
        d, mapping, encoder.featureNames(), description);
  }

  private static Dataset<Row> read(SparkSession spark, String path, Map<String, String> options,
      Optional<StructType> schema, boolean embedded) {
    if (embedded) {
      return spark.read().options(options).option("inferSchema", "true")
          .csv(EmbeddedBankData.lines(spark));
    }
    return DataLoader.reading(path, () -> schema.isPresent()
        ? spark.read().options(options).schema(schema.get()).csv(path)
        : spark.read().options(options).option("inferSchema", "true").csv(path));
  }

  /**
   * A text column is categorical when fewer than this share of its non-empty cells are numbers;
   * at this share or above it is a numeric column with bad cells, which is an error.
   */
  static final double NUMERIC_SHARE = 0.9;

  /** Bad cells named in the error for a numeric column with cells that are not numbers. */
  private static final int CELLS_NAMED = 5;

  /**
   * Throws, naming the cells, when a feature column that {@code inferSchema} typed as text has
   * at least {@link #NUMERIC_SHARE} of its non-empty cells parse as numbers: a numeric column
   * with a few bad cells ("n/a", "1,5"), which one-hot encoding would silently turn into one
   * feature per distinct value. One job counts the numeric cells of every text column; the
   * error path reads the file again for the lines.
   */
  private static void requireNumbersInNumericColumns(SparkSession spark, Dataset<Row> raw,
      List<String> featureCols, Map<String, String> options) {
    List<String> text = new ArrayList<>();
    List<Column> counts = new ArrayList<>();
    for (String c : featureCols) {
      if (!(raw.schema().apply(c).dataType() instanceof NumericType)) {
        text.add(c);
        counts.add(functions.count(FrameChecks.quoted(c)));
        counts.add(functions.count(notANumber(c)));
      }
    }
    if (text.isEmpty()) {
      return;
    }
    Row n = raw.agg(counts.get(0), counts.subList(1, counts.size()).toArray(new Column[0])).first();
    for (int k = 0; k < text.size(); k++) {
      long cells = n.getLong(2 * k);
      long bad = n.getLong(2 * k + 1);
      if (bad > 0 && cells - bad >= NUMERIC_SHARE * cells) {
        String c = text.get(k);
        Column problem = notANumber(c);
        Row first = raw.select(col("_metadata.file_path"), problem).where(problem.isNotNull()).first();
        String file = new Path(URI.create(first.getString(0))).toString();
        List<Row> lines = problemLines(spark, file, raw.schema(), options, problem, CELLS_NAMED);
        List<String> named = new ArrayList<>();
        for (Row r : lines) {
          named.add("line " + r.getLong(0) + ": '" + r.getString(1) + "'");
        }
        throw new DataValidationException(new Path(file).getName() + ": column '" + c + "' is "
            + "numeric in " + (cells - bad) + " of its " + cells + " non-empty cells, but " + bad
            + (bad == 1 ? " cell is" : " cells are") + " not a number ("
            + String.join(", ", named) + (bad > named.size() ? ", ..." : "") + "); fix "
            + (bad == 1 ? "it" : "them") + " (a text column is one-hot encoded as categories only "
            + "when fewer than " + Math.round(100 * NUMERIC_SHARE) + "% of its cells are numbers)");
      }
    }
  }

  /** The cell of text column {@code c} when it is present and not a number, else null. */
  private static Column notANumber(String c) {
    Column v = FrameChecks.quoted(c);
    return when(v.isNotNull().and(trim(v).try_cast(DataTypes.DoubleType).isNull()), v);
  }

  /** Every column but the label and the weight, after checking that those exist. */
  private static List<String> featureColumns(Dataset<Row> raw, DataSpec spec, String where) {
    String label = spec.effectiveLabelCol();
    FrameChecks.requireColumn(raw, label, "label", where);
    FrameLabels.requireType(raw, label, spec.labelKind(), where);
    spec.weightCol().ifPresent(w -> {
      FrameChecks.requireColumn(raw, w, "weight", where);
      FrameChecks.requireNumeric(raw, w, "weight", where);
    });
    List<String> features = new ArrayList<>(Arrays.asList(raw.columns()));
    features.remove(label);
    spec.weightCol().ifPresent(features::remove);
    if (features.isEmpty()) {
      throw new DataValidationException("no feature columns in " + where + " besides the label '"
          + label + "'" + spec.weightCol().map(w -> " and the weight '" + w + "'").orElse(""));
    }
    return features;
  }

  /** The row checks: label present, numbers finite, categories present, weight valid. */
  private static Column problems(Dataset<Row> df, DataSpec spec, List<String> featureCols) {
    List<Column> checks = new ArrayList<>();
    String label = spec.effectiveLabelCol();
    checks.add(df.schema().apply(label).dataType() instanceof NumericType
        ? FrameChecks.finiteNumber(label, "label '" + label + "'")
        : FrameChecks.present(label, "label '" + label + "'"));
    for (String c : featureCols) {
      checks.add(df.schema().apply(c).dataType() instanceof NumericType
          ? FrameChecks.finiteNumber(c, "column '" + c + "'")
          : FrameChecks.present(c, "column '" + c + "'"));
    }
    spec.weightCol().ifPresent(w -> checks.add(FrameChecks.weight(w)));
    return FrameChecks.firstOf(checks);
  }

  private static String firstProblem(Dataset<Row> df, Column problem) {
    return df.select(problem).where(problem.isNotNull()).first().getString(0);
  }

  /** "file line n: problem" for the first row of {@code df} with a problem. */
  private static String locateInFile(SparkSession spark, Dataset<Row> df, Column problem,
      Map<String, String> options) {
    Row row = df.select(col("_metadata.file_path"), problem).where(problem.isNotNull()).first();
    String file = new Path(URI.create(row.getString(0))).toString();
    String message = row.getString(1);
    List<Row> line = problemLines(spark, file, df.schema(), options, problem, 1);
    return new Path(file).getName() + (line.isEmpty() ? "" : " line " + line.get(0).getLong(0))
        + ": " + message;
  }

  /**
   * The first {@code limit} rows of {@code file} with a problem, as (1-based line, problem): the
   * file's lines, numbered, parsed one by one with {@code from_csv} and checked again (two jobs,
   * error path only).
   */
  private static List<Row> problemLines(SparkSession spark, String file,
      StructType schema, Map<String, String> options, Column problem, int limit) {
    return numberedLines(spark, file)
        .where(col("line").gt(1).and(trim(col("value")).notEqual("")))
        .select(col("line"), from_csv(col("value"), lit(schema.toDDL()), Map.of("sep", options.get("sep")))
            .as("row"))
        .select(col("line"), col("row.*"))
        .select(col("line"), problem.as("problem"))
        .where(col("problem").isNotNull())
        .orderBy("line").limit(limit).collectAsList();
  }

  /**
   * The lines of {@code file} as (1-based {@code line}, {@code value}). Classic Spark numbers them
   * with {@code zipWithIndex}; a session without a SparkContext (Spark Connect) has no RDDs, so
   * there one window ({@code row_number} in the order of {@code monotonically_increasing_id},
   * which is the file's order: the text source keeps a file's splits in order) numbers them in a
   * single partition, which is acceptable on the error path only.
   */
  private static Dataset<Row> numberedLines(SparkSession spark, String file) {
    Optional<SparkContext> sc = DistributedFolds.sparkContext(spark);
    if (sc.isEmpty()) {
      return spark.read().text(file).select(
          row_number().over(Window.orderBy(monotonically_increasing_id()))
              .cast(DataTypes.LongType).as("line"),
          col("value"));
    }
    JavaRDD<Row> numbered = JavaSparkContext.fromSparkContext(sc.get()).textFile(file)
        .zipWithIndex().map(t -> RowFactory.create(t._2() + 1, t._1()));
    StructType text = new StructType()
        .add("line", DataTypes.LongType).add("value", DataTypes.StringType);
    return spark.createDataFrame(numbered, text);
  }

  /** Throws unless the header of {@code testPath} names the training columns, in order. */
  private static void requireSameHeader(SparkSession spark, Dataset<Row> train, String testPath,
      Map<String, String> options) {
    String[] header = DataLoader.reading(testPath,
        () -> spark.read().options(options).csv(testPath).columns());
    if (!Arrays.equals(header, train.columns())) {
      throw new DataValidationException("test columns of " + testPath + " ("
          + String.join(", ", header) + ") differ from the training columns ("
          + String.join(", ", train.columns()) + ")");
    }
  }
}
