package dev.sparknewton.data;

import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Validated data ready for {@link Blockifier#blockify}: columns {@code "label"} (double: 0 or 1,
 * a class index {@code 0 .. K-1}, or a finite real target, as {@link #labels()} says),
 * {@code "features"} (an ml Vector of size {@code numFeatures}) and {@code "weight"} (double,
 * finite, {@code >= 0}). Neither dataset is persisted.
 *
 * @param labels how the raw labels map to the {@code "label"} column
 * @param featureNames one name per feature (csv: "age", "job=admin."); empty for libsvm, parquet
 *     and table data
 * @param description one line for logs and summaries: source, rows, features, labels
 */
public record TrainingData(
    Dataset<Row> train,
    Optional<Dataset<Row>> test,
    int numFeatures,
    LabelMapping labels,
    List<String> featureNames,
    String description) {

  /** The column names of {@link #train()} and {@link #test()}. */
  public static final String LABEL = "label";
  public static final String FEATURES = "features";
  public static final String WEIGHT = "weight";

  /** The schema of the frames a loader builds from rows of its own (libsvm, idx). */
  static final StructType SCHEMA = new StructType()
      .add(LABEL, DataTypes.DoubleType, false)
      .add(FEATURES, SQLDataTypes.VectorType(), false)
      .add(WEIGHT, DataTypes.DoubleType, false);

  public TrainingData {
    featureNames = List.copyOf(featureNames);
  }
}
