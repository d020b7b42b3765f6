package dev.sparknewton.ml;

import dev.sparknewton.data.LabelKind;
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
   * ({@link MulticlassMetrics}), also for a network on class labels; least squares and a network
   * on a real target: RMSE, MAE, R^2 ({@link RegressionMetrics}); an autoencoder: reconstruction
   * error ({@link ReconstructionMetrics}).
   */
  public static TestMetrics evaluate(ModelFit model, Dataset<Row> test) {
    if (model.type() == ModelType.BINARY_LOGISTIC) {
      return BinaryMetrics.evaluate(model, test);
    }
    JavaRDD<ScoredRow> scored = test.select("label", "features", "weight").toJavaRDD()
        .map(r -> new ScoredRow(model.outputs((Vector) r.get(1)), r.getDouble(0), r.getDouble(2)));
    if (model.type() == ModelType.AUTOENCODER) {
      return ReconstructionMetrics.evaluate(scored, model.numFeatures());
    }
    // A network on class labels is scored as a classifier by argmax (its log-loss is that of
    // softmax(outputs), a probability only for a softmax output); on real targets as a regression.
    boolean classes = model.type() == ModelType.MULTINOMIAL_LOGISTIC
        || (model.type() == ModelType.MLP && model.labels().kind() != LabelKind.REAL);
    return classes
        ? MulticlassMetrics.evaluate(scored, model.labels().numClasses())
        : RegressionMetrics.evaluate(scored);
  }
}
