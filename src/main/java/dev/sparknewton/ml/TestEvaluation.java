package dev.sparknewton.ml;

import dev.sparknewton.data.LabelKind;
import dev.sparknewton.distributed.DatasetRowAggregation;
import dev.sparknewton.distributed.DistributedFolds;
import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The test metrics of each model type on a test frame (columns label, features, weight): over an
 * RDD on classic Spark, through the Dataset API alone on a session without a SparkContext (Spark
 * Connect), folding the same per-row sums.
 */
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
    Dataset<Row> rows = test.select("label", "features", "weight");
    boolean classic = DistributedFolds.sparkContext(test.sparkSession()).isPresent();
    JavaRDD<ScoredRow> scored = classic ? EvaluationFrame.scored(model, rows) : null;
    if (model.type() == ModelType.AUTOENCODER) {
      return classic ? ReconstructionMetrics.evaluate(scored, model.numFeatures())
          : ReconstructionMetrics.of(byDatasets(model, rows, new double[ReconstructionMetrics.SUMS],
              ReconstructionMetrics::add, ReconstructionMetrics::merge), model.numFeatures());
    }
    // A network on class labels is scored as a classifier by argmax (its log-loss is that of
    // softmax(outputs), a probability only for a softmax output); on real targets as a regression.
    boolean classes = model.type() == ModelType.MULTINOMIAL_LOGISTIC
        || (model.type() == ModelType.MLP && model.labels().kind() != LabelKind.REAL);
    if (classes) {
      int k = model.labels().numClasses();
      return classic ? MulticlassMetrics.evaluate(scored, k)
          : MulticlassMetrics.of(byDatasets(model, rows, new MulticlassMetricsAggregator(k),
              MulticlassMetricsAggregator::add, MulticlassMetricsAggregator::merge));
    }
    return classic ? RegressionMetrics.evaluate(scored)
        : RegressionMetrics.of(byDatasets(model, rows, new RegressionMetricsAggregator(),
            RegressionMetricsAggregator::add, RegressionMetricsAggregator::merge));
  }

  /** Folds the scored rows of a session without a SparkContext (Spark Connect) in one action. */
  private static <A extends Serializable> A byDatasets(ModelFit model, Dataset<Row> rows, A zero,
      RowAdd<A> add, DatasetRowAggregation.Merge<A> merge) {
    return DatasetRowAggregation.aggregate(rows, zero, (sum, r) -> add.add(sum,
        new ScoredRow(model.outputs((Vector) r.get(1)), r.getDouble(0), r.getDouble(2))), merge);
  }

  /** Folds one scored row into a partial sum. */
  private interface RowAdd<A> extends Serializable {
    A add(A sum, ScoredRow row);
  }
}
