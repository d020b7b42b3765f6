package dev.sparknewton.data;

import static dev.sparknewton.data.FrameChecks.quoted;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * The training data of a Spark ML estimator: a {@code Dataset} with a numeric label column, an ml
 * {@code Vector} features column and an optional instance weight column, checked in one job
 * (every row, the vector sizes, the largest label) and turned into {@link TrainingData} without a
 * test set.
 *
 * <p>Classification labels follow Spark MLlib's convention: class indices {@code 0, 1, ..., K-1}
 * as doubles, {@code K} from the label column's {@code NominalAttribute} metadata when it has one
 * (as {@code StringIndexer} writes), else the largest label plus one. Each class index is its own
 * raw label, so a model's class {@code k} is the label value {@code k}.
 */
public final class LabeledDataset {
  private LabeledDataset() {}

  /**
   * The columns of an estimator's input.
   *
   * @param who the estimator, for messages ("NewtonLogisticRegression")
   */
  public record Columns(String label, String features, Optional<String> weight, String who) {
    /** Spark ML's column params as they come: an empty {@code weightCol} means unit weights. */
    public static Columns of(String label, String features, String weightCol, String who) {
      return new Columns(label, features,
          weightCol.isEmpty() ? Optional.empty() : Optional.of(weightCol), who);
    }
  }

  /**
   * Classification data.
   *
   * @param declaredClasses the number of classes the label metadata declares, or 0 for none
   * @param kind {@link LabelKind#AUTO} (two classes binary, more multiclass, as MLlib's
   *     {@code family = auto}), {@link LabelKind#BINARY} (refuses more than two classes) or
   *     {@link LabelKind#MULTICLASS} (also for two classes)
   * @throws DataValidationException naming the first bad row (a label that is not a class index,
   *     a bad weight, a missing or non-finite feature vector, vectors of different sizes), or a
   *     label set with fewer than two classes
   */
  public static TrainingData classes(Dataset<?> dataset, Columns columns, int declaredClasses,
      LabelKind kind) {
    Dataset<Row> df = dataset.toDF();
    String where = columns.who() + "'s input";
    Row stats = check(df, columns, where, classIndex(columns.label()),
        functions.max(quoted(columns.label()).cast(DataTypes.DoubleType)));
    double maxLabel = stats.getDouble(4);
    if (declaredClasses > 0 && maxLabel >= declaredClasses) {
      throw new DataValidationException("label '" + columns.label() + "' has the value " + maxLabel
          + " but its metadata declares " + declaredClasses + " classes (0 .. "
          + (declaredClasses - 1) + ")");
    }
    if (maxLabel + 1 > Integer.MAX_VALUE) {
      throw new DataValidationException("label '" + columns.label() + "' has the value " + maxLabel
          + "; class indices must be below " + Integer.MAX_VALUE);
    }
    int numClasses = declaredClasses > 0 ? declaredClasses : (int) maxLabel + 1;
    if (numClasses < 2) {
      throw new DataValidationException(columns.who() + " needs at least 2 classes, but label '"
          + columns.label() + "' holds only the class 0 in " + stats.getLong(0) + " rows");
    }
    if (kind == LabelKind.BINARY && numClasses > 2) {
      throw new DataValidationException("family = binomial supports 2 classes, but label '"
          + columns.label() + "' has " + numClasses + " (0 .. " + (numClasses - 1)
          + "); use family = multinomial or auto");
    }
    List<Double> indices = new ArrayList<>();
    for (int k = 0; k < numClasses; k++) {
      indices.add((double) k);
    }
    LabelKind resolved = kind == LabelKind.MULTICLASS || numClasses > 2
        ? LabelKind.MULTICLASS : LabelKind.BINARY;
    LabelMapping mapping = LabelMapping.ofNumbers(indices, resolved, numClasses, Optional.empty(),
        where);
    return trainingData(df, columns, stats.getInt(3), mapping,
        numClasses + " classes, labels " + mapping.describe());
  }

  /**
   * Regression data: finite real targets.
   *
   * @throws DataValidationException naming the first bad row
   */
  public static TrainingData targets(Dataset<?> dataset, Columns columns) {
    Dataset<Row> df = dataset.toDF();
    Row stats = check(df, columns, columns.who() + "'s input", null);
    return trainingData(df, columns, stats.getInt(3), LabelMapping.real(), "real targets");
  }

  private static TrainingData trainingData(Dataset<Row> df, Columns columns, int numFeatures,
      LabelMapping mapping, String labels) {
    Dataset<Row> frame = df.select(
        quoted(columns.label()).cast(DataTypes.DoubleType).as(TrainingData.LABEL),
        quoted(columns.features()).as(TrainingData.FEATURES),
        FrameChecks.weightOrOne(columns.weight()).as(TrainingData.WEIGHT));
    return new TrainingData(frame, Optional.empty(), numFeatures, mapping, List.of(),
        columns.who() + " dataset: " + numFeatures + " features, " + labels);
  }

  /**
   * Checks columns and every row in one job.
   *
   * @param labelCheck an extra check of the label (null when it is fine), or null for none
   * @return the row count, the bad-row count, the smallest and largest vector size, then
   *     {@code extra}
   */
  private static Row check(Dataset<Row> df, Columns columns, String where, Column labelCheck,
      Column... extra) {
    String label = columns.label();
    String features = columns.features();
    FrameChecks.requireColumn(df, label, "label", where);
    FrameChecks.requireNumeric(df, label, "label", where);
    FrameChecks.requireColumn(df, features, "features", where);
    FrameChecks.requireVector(df, features, "features", where);
    List<Column> checks = new ArrayList<>();
    checks.add(FrameChecks.finiteNumber(label, "label '" + label + "'"));
    if (labelCheck != null) {
      checks.add(labelCheck);
    }
    checks.add(FrameChecks.vector(features, 0));
    columns.weight().ifPresent(w -> {
      FrameChecks.requireColumn(df, w, "weight", where);
      FrameChecks.requireNumeric(df, w, "weight", where);
      checks.add(FrameChecks.weight(w));
    });
    Column sizes = FrameChecks.vectorSize(features);
    Column[] aggregates = new Column[2 + extra.length];
    aggregates[0] = functions.min(sizes);
    aggregates[1] = functions.max(sizes);
    System.arraycopy(extra, 0, aggregates, 2, extra.length);
    Row stats = FrameChecks.countChecked(df, FrameChecks.firstOf(checks), problem ->
        where + ": " + df.select(problem).where(problem.isNotNull()).first().getString(0),
        where, aggregates);
    if (stats.getInt(2) != stats.getInt(3)) {
      throw new DataValidationException("features '" + features + "' in " + where
          + " have different sizes, from " + stats.getInt(2) + " to " + stats.getInt(3));
    }
    if (stats.getInt(3) == 0) {
      throw new DataValidationException("features '" + features + "' in " + where
          + " are empty vectors");
    }
    return stats;
  }

  /** A class index: a whole number {@code >= 0} (null when it is one, or not finite). */
  private static Column classIndex(String label) {
    Column c = quoted(label).cast(DataTypes.DoubleType);
    return when(c.lt(0).or(c.notEqual(floor(c))),
        concat(lit("label '" + label + "' value "), c.cast(DataTypes.StringType),
            lit(" is not a class index 0, 1, ..., K-1 (Spark ML classifiers take class indices"
                + " as doubles; StringIndexer makes them)")));
  }
}
