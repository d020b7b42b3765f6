package dev.sparknewton.ml;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/** The test metrics of each model type on a test frame (columns label, features, weight). */
public final class TestEvaluation {
  private TestEvaluation() {}

  /**
   * Binary: accuracy, AUC, log-loss ({@link BinaryMetrics}); multinomial: accuracy, log-loss,
   * macro-F1, weighted precision and recall, confusion matrix for {@code K <= 50}
   * ({@link MulticlassMetrics}); least squares: RMSE, MAE, R^2 ({@link RegressionMetrics}).
   */
  public static TestMetrics evaluate(ModelFit model, Dataset<Row> test) {
    if (model.type() == ModelType.BINARY_LOGISTIC) {
      return BinaryMetrics.evaluate(model, test);
    }
    JavaRDD<ScoredRow> scored = test.select("label", "features", "weight").toJavaRDD()
        .map(r -> new ScoredRow(model.outputs((Vector) r.get(1)), r.getDouble(0), r.getDouble(2)));
    return model.type() == ModelType.MULTINOMIAL_LOGISTIC
        ? MulticlassMetrics.evaluate(scored, model.numOutputs())
        : RegressionMetrics.evaluate(scored);
  }
}
