package dev.sparknewton.ml.classification;

import dev.sparknewton.ml.BinaryMetrics;
import dev.sparknewton.ml.EvaluationFrame;
import dev.sparknewton.ml.LinearModelFit;
import dev.sparknewton.ml.ModelType;
import dev.sparknewton.ml.MulticlassMetrics;
import dev.sparknewton.ml.ScoredRow;
import dev.sparknewton.ml.TestEvaluation;
import dev.sparknewton.ml.TestMetrics;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import scala.Tuple2;
import scala.Tuple3;

/**
 * The metrics of a {@link NewtonLogisticRegressionModel} on a dataset, with instance weights,
 * computed on first use (one Spark job each group):
 *
 * <ul>
 *   <li>every model: {@link #accuracy()}, {@link #weightedPrecision()}, {@link #weightedRecall()},
 *       {@link #logLoss()} ({@link MulticlassMetrics}; classes by the largest probability);
 *   <li>binomial models: {@link #areaUnderROC()}, {@link #areaUnderPR()} and the curve
 *       {@link #roc()} (Spark MLlib's {@code BinaryClassificationMetrics}, no binning, on the
 *       probability of class 1).
 * </ul>
 *
 * The metrics are those of the decision rule "largest probability" (0.5 for binomial models),
 * not of the model's {@code threshold}; {@link #predictions()} is the model's {@code transform}
 * with its current params.
 */
public class NewtonLogisticRegressionSummary {
  private final Supplier<Dataset<Row>> predictionsOf;
  private final Dataset<Row> frame;
  private final LinearModelFit fit;
  private final int numClasses;
  private Dataset<Row> predictions;
  private MulticlassMetrics classes;
  private TestMetrics metrics;
  private BinaryClassificationMetrics curves;

  NewtonLogisticRegressionSummary(Supplier<Dataset<Row>> predictions, Dataset<Row> frame,
      LinearModelFit fit, int numClasses) {
    this.predictionsOf = predictions;
    this.frame = frame;
    this.fit = fit;
    this.numClasses = numClasses;
  }

  /** The dataset with the model's rawPrediction, probability and prediction columns. */
  public synchronized Dataset<Row> predictions() {
    if (predictions == null) {
      predictions = predictionsOf.get();
    }
    return predictions;
  }

  public int numClasses() {
    return numClasses;
  }

  /** True for a binomial model (one coefficient vector). */
  public boolean isBinary() {
    return fit.type() == ModelType.BINARY_LOGISTIC;
  }

  /**
   * The command line's test metrics: binomial {@link BinaryMetrics} (accuracy, AUC, log-loss),
   * multinomial {@link MulticlassMetrics}.
   */
  public synchronized TestMetrics metrics() {
    if (metrics == null) {
      metrics = isBinary() ? TestEvaluation.evaluate(fit, frame) : classes();
    }
    return metrics;
  }

  /** Weighted multiclass metrics (for a binomial model, of its two classes). */
  public synchronized MulticlassMetrics classes() {
    if (classes == null) {
      JavaRDD<ScoredRow> scored = EvaluationFrame.scored(fit, frame);
      if (isBinary()) {
        // softmax([0, m]) = [1 - sigmoid(m), sigmoid(m)]: the binomial model as two classes.
        scored = scored.map(r -> new ScoredRow(new double[] {0.0, r.outputs()[0]}, r.label(),
            r.weight()));
      }
      classes = MulticlassMetrics.evaluate(scored, numClasses);
    }
    return classes;
  }

  /** Weighted share of rows whose class has the largest probability. */
  public double accuracy() {
    return classes().accuracy();
  }

  /** Precision per class, averaged with the classes' weights, as MLlib's. */
  public double weightedPrecision() {
    return classes().weightedPrecision();
  }

  /** Recall per class, averaged with the classes' weights, as MLlib's. */
  public double weightedRecall() {
    return classes().weightedRecall();
  }

  /** Weighted mean of {@code -log p(label)}. */
  public double logLoss() {
    return classes().logLoss();
  }

  /** Area under the ROC curve (binomial). */
  public double areaUnderROC() {
    return curves().areaUnderROC();
  }

  /** Area under the precision-recall curve (binomial). */
  public double areaUnderPR() {
    return curves().areaUnderPR();
  }

  /** The ROC curve (binomial): columns {@code FPR}, {@code TPR}, from (0, 0) to (1, 1). */
  public Dataset<Row> roc() {
    JavaRDD<Tuple2<Object, Object>> points = curves().roc().toJavaRDD();
    SparkSession spark = frame.sparkSession();
    return spark.createDataset(points.map(p -> new Tuple2<>((Double) p._1(), (Double) p._2())).rdd(),
        Encoders.tuple(Encoders.DOUBLE(), Encoders.DOUBLE())).toDF("FPR", "TPR");
  }

  private synchronized BinaryClassificationMetrics curves() {
    if (!isBinary()) {
      throw new IllegalStateException("ROC and PR curves are for binomial models; this model has "
          + numClasses + " classes in a multinomial model");
    }
    if (curves == null) {
      LinearModelFit model = fit;
      JavaRDD<Tuple3<Object, Object, Object>> scored = frame.toJavaRDD().map(r ->
          new Tuple3<>(model.probability((Vector) r.get(1)), r.getDouble(0), r.getDouble(2)));
      curves = new BinaryClassificationMetrics(scored.rdd(), 0);
    }
    return curves;
  }
}
