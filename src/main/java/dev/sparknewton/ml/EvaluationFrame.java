package dev.sparknewton.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import dev.sparknewton.data.TrainingData;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * A user's dataset as the metrics of {@link TestEvaluation} read it: the columns
 * {@code label}, {@code features} and {@code weight} of {@link TrainingData}, from the columns a
 * Spark ML model's params name.
 */
public final class EvaluationFrame {
  private EvaluationFrame() {}

  /**
   * @param weightCol the weight column, or "" for unit weights
   */
  public static Dataset<Row> of(Dataset<?> dataset, String labelCol, String featuresCol,
      String weightCol) {
    Column weight = weightCol.isEmpty() ? lit(1.0)
        : quoted(weightCol).cast(DataTypes.DoubleType);
    return dataset.toDF().select(quoted(labelCol).cast(DataTypes.DoubleType).as(TrainingData.LABEL),
        quoted(featuresCol).as(TrainingData.FEATURES), weight.as(TrainingData.WEIGHT));
  }

  /** The rows of {@code frame} scored by {@code model}: its outputs, label, weight. */
  public static JavaRDD<ScoredRow> scored(ModelFit model, Dataset<Row> frame) {
    return frame.toJavaRDD().map(r ->
        new ScoredRow(model.outputs((Vector) r.get(1)), r.getDouble(0), r.getDouble(2)));
  }

  private static Column quoted(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }
}
