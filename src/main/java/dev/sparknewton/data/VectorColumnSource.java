package dev.sparknewton.data;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * Reads parquet files or a catalog table whose features are already an ml {@code Vector} column
 * and whose label is numeric (classes or real-valued targets, {@link DataSpec#labelKind()}). Per
 * data set: one job checks every row and the vector sizes, one finds the distinct labels (none
 * for real-valued targets). Rows with a problem are named by file and 1-based row within the
 * file (parquet's {@code _metadata.row_index}) where the source offers it.
 */
final class VectorColumnSource {
  private VectorColumnSource() {}

  static TrainingData load(SparkSession spark, DataSpec spec, boolean table) {
    String label = spec.effectiveLabelCol();
    String features = spec.effectiveFeaturesCol();
    Dataset<Row> train = read(spark, spec.path(), table);
    int d = check(train, spec, spec.path(), spec.numFeatures());
    Optional<Dataset<Row>> test = spec.testPath().map(p -> read(spark, p, table));
    test.ifPresent(t -> check(t, spec, spec.testPath().get(), d));
    String description = (table ? "table " : "parquet ") + spec.path() + ": " + d + " features";
    if (test.isEmpty() && spec.testFraction() > 0) {
      Dataset<Row>[] parts = DataLoader.split(train, spec);
      train = parts[0];
      test = Optional.of(parts[1]);
      description += "; test: a " + spec.testFraction() + " random split (seed " + spec.seed() + ")";
    }
    LabelMapping mapping = FrameLabels.mapping(train, label, spec, spec.path());
    String testWhere = spec.testPath().orElse(spec.path() + " (test split)");
    test.ifPresent(t -> FrameLabels.requireKnown(t, label, mapping, testWhere));
    description += ", labels " + mapping.describe();
    return new TrainingData(
        frame(train, spec, features, mapping), test.map(t -> frame(t, spec, features, mapping)),
        d, mapping, List.of(), description);
  }

  private static Dataset<Row> read(SparkSession spark, String path, boolean table) {
    return DataLoader.reading(path, () -> table ? spark.table(path) : spark.read().parquet(path));
  }

  /**
   * Checks columns, types and every row of {@code df}.
   *
   * @param size the expected vector size, or 0 to take it from the data
   * @return the vector size
   */
  private static int check(Dataset<Row> df, DataSpec spec, String where, int size) {
    String label = spec.effectiveLabelCol();
    String features = spec.effectiveFeaturesCol();
    FrameChecks.requireColumn(df, label, "label", where);
    FrameChecks.requireColumn(df, features, "features", where);
    FrameLabels.requireType(df, label, spec.labelKind(), where);
    FrameChecks.requireNumeric(df, label, "label", where);
    FrameChecks.requireVector(df, features, "features", where);
    List<Column> checks = new ArrayList<>();
    checks.add(FrameChecks.finiteNumber(label, "label '" + label + "'"));
    checks.add(FrameChecks.vector(features, size));
    spec.weightCol().ifPresent(w -> {
      FrameChecks.requireColumn(df, w, "weight", where);
      FrameChecks.requireNumeric(df, w, "weight", where);
      checks.add(FrameChecks.weight(w));
    });
    Column sizes = FrameChecks.vectorSize(features);
    Row stats = FrameChecks.countChecked(df, FrameChecks.firstOf(checks),
        problem -> locate(df, problem, where), where, functions.min(sizes), functions.max(sizes),
        FrameChecks.weightSum(spec.weightCol()));
    FrameChecks.requirePositiveWeightSum(stats.getDouble(4), spec.weightCol(), where);
    int min = stats.getInt(2);
    int max = stats.getInt(3);
    if (min != max) {
      throw new DataValidationException(
          "features in " + where + " have different sizes, from " + min + " to " + max);
    }
    if (max == 0) {
      throw new DataValidationException("features in " + where + " are empty vectors");
    }
    return max;
  }

  /** "file row n: problem", or "path: problem" where the source has no file metadata. */
  private static String locate(Dataset<Row> df, Column problem, String where) {
    try {
      Row row = df.select(col("_metadata.file_name"), col("_metadata.row_index"), problem)
          .where(problem.isNotNull()).first();
      return row.getString(0) + " row " + (row.getLong(1) + 1) + ": " + row.getString(2);
    } catch (Exception e) {
      // Not a parquet file source: no file name or row index to give.
      Row row = df.select(problem).where(problem.isNotNull()).first();
      return where + ": " + row.getString(0);
    }
  }

  private static Dataset<Row> frame(Dataset<Row> df, DataSpec spec, String features,
      LabelMapping mapping) {
    return df.select(
        FrameLabels.mapped(spec.effectiveLabelCol(), mapping).as(TrainingData.LABEL),
        FrameChecks.quoted(features).as(TrainingData.FEATURES),
        FrameChecks.weightOrOne(spec.weightCol()).as(TrainingData.WEIGHT));
  }
}
