package dev.sparknewton.ml;

import dev.sparknewton.distributed.RddRowAggregation;
import java.io.Serializable;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;

/**
 * Weighted test metrics of a K-class model from its scores {@code z_i in R^K}, with instance
 * weights {@code c_i >= 0}, total weight {@code W = sum c_i}, labels {@code y_i in 0..K-1} and
 * predictions {@code yhat_i = argmax_j z_ij} (ties to the smallest index, as Spark ML's
 * {@code Vector.argmax}):
 *
 * <ul>
 *   <li>accuracy {@code = (1/W) sum_{yhat_i = y_i} c_i};
 *   <li>log-loss {@code = (1/W) sum c_i [-log softmax(z_i)_{y_i}]}, with
 *       {@code -log softmax(z)_y = log sum_j exp(z_j - max z) + max z - z_y} (finite for any finite
 *       scores);
 *   <li>per class k, with {@code T_k, P_k, C_k} the weight of the rows of true class k, predicted
 *       as k, and both: precision {@code p_k = C_k / P_k} (0 when {@code P_k = 0}), recall
 *       {@code r_k = C_k / T_k}, {@code F1_k = 2 p_k r_k / (p_k + r_k)} (0 when
 *       {@code p_k + r_k = 0});
 *   <li>weighted precision {@code = sum_k (T_k / W) p_k} and weighted recall
 *       {@code = sum_k (T_k / W) r_k} (equal to the accuracy), Spark MLlib's
 *       {@code weightedPrecision} and {@code weightedRecall};
 *   <li>macro-F1 {@code = mean of F1_k over the classes with T_k > 0}. This is Spark MLlib's
 *       convention: its {@code MulticlassMetrics.labels} are the labels that occur as true
 *       labels, so a class that is never a true label is left out of the mean (rows wrongly
 *       predicted as that class still lower the accuracy and the recall of their true classes).
 *       A class that is a true label but never predicted has {@code F1_k = 0}. (scikit-learn's
 *       {@code f1_score(average="macro")} also averages over the classes that are only
 *       predicted, with F1 = 0.) Rows of weight 0 do not make a class present (in MLlib they
 *       would, with recall 0/0).
 * </ul>
 *
 * <p>and, for {@code K <= }{@value #CONFUSION_MATRIX_MAX_CLASSES}, the weighted confusion matrix
 * {@code M[k][l] = sum_{y_i = k, yhat_i = l} c_i} (rows = true class, columns = predicted).
 *
 * <p>Everything is computed in one Spark job ({@code treeAggregate} of a
 * {@link MulticlassMetricsAggregator}).
 */
public final class MulticlassMetrics implements Serializable, TestMetrics {
  private static final long serialVersionUID = 1L;

  /**
   * The largest number of classes whose K x K confusion matrix is kept: 2,500 doubles (20 kB) in
   * every task result at most. Above it only the 3 K per-class sums the metrics need are kept.
   */
  public static final int CONFUSION_MATRIX_MAX_CLASSES = 50;

  private final long rows;
  private final int numClasses;
  private final double totalWeight;
  private final double accuracy;
  private final double logLoss;
  private final double macroF1;
  private final double weightedPrecision;
  private final double weightedRecall;
  private final double[][] confusionMatrix; // null when not kept

  private MulticlassMetrics(long rows, int numClasses, double totalWeight, double accuracy,
      double logLoss, double macroF1, double weightedPrecision, double weightedRecall,
      double[][] confusionMatrix) {
    this.rows = rows;
    this.numClasses = numClasses;
    this.totalWeight = totalWeight;
    this.accuracy = accuracy;
    this.logLoss = logLoss;
    this.macroF1 = macroF1;
    this.weightedPrecision = weightedPrecision;
    this.weightedRecall = weightedRecall;
    this.confusionMatrix = confusionMatrix;
  }

  /**
   * The metrics of {@code scored}, in one Spark job.
   *
   * @param scored rows with {@code numClasses} finite scores each and labels in
   *     {@code 0..numClasses-1}; not modified
   * @param numClasses K >= 2
   * @throws IllegalArgumentException if {@code numClasses < 2} or the rows have no positive total
   *     weight (a bad row fails the Spark job with an {@code IllegalArgumentException} naming the
   *     offending value as its cause)
   */
  public static MulticlassMetrics evaluate(JavaRDD<ScoredRow> scored, int numClasses) {
    MulticlassMetricsAggregator sums = RddRowAggregation.aggregate(
        "test metrics (multiclass)", scored, new MulticlassMetricsAggregator(numClasses),
        MulticlassMetricsAggregator::add, MulticlassMetricsAggregator::merge);
    return of(sums);
  }

  /**
   * The metrics read from complete sums.
   *
   * @param sums not modified
   * @throws IllegalArgumentException if the total weight is not positive
   */
  static MulticlassMetrics of(MulticlassMetricsAggregator sums) {
    double w = sums.weightSum();
    if (!(w > 0.0)) {
      throw new IllegalArgumentException(
          "no test rows with positive weight (" + sums.rows() + " rows, total weight " + w + ")");
    }
    int k = sums.numClasses();
    double correct = 0.0;
    double precisionSum = 0.0;
    double recallSum = 0.0;
    double f1Sum = 0.0;
    int present = 0;
    for (int c = 0; c < k; c++) {
      double t = sums.trueWeight(c);
      double p = sums.predictedWeight(c);
      double tp = sums.correctWeight(c);
      correct += tp;
      if (t > 0.0) {
        double precision = p > 0.0 ? tp / p : 0.0;
        double recall = tp / t;
        double share = t / w;
        precisionSum += share * precision;
        recallSum += share * recall;
        f1Sum += precision + recall == 0.0 ? 0.0 : 2.0 * precision * recall / (precision + recall);
        present++;
      }
    }
    return new MulticlassMetrics(sums.rows(), k, w, correct / w, sums.logLossSum() / w,
        f1Sum / present, precisionSum, recallSum,
        sums.keepsMatrix() ? sums.confusionMatrix() : null);
  }

  /** Rows evaluated, including rows of weight 0. */
  public long rows() {
    return rows;
  }

  /** K. */
  public int numClasses() {
    return numClasses;
  }

  /** {@code W = sum c_i}. */
  public double totalWeight() {
    return totalWeight;
  }

  /** {@code (1/W) sum_{yhat_i = y_i} c_i}. */
  public double accuracy() {
    return accuracy;
  }

  /** {@code (1/W) sum c_i [-log softmax(z_i)_{y_i}]} (natural log). */
  public double logLoss() {
    return logLoss;
  }

  /** Mean of {@code F1_k} over the classes with positive true weight (MLlib's labels). */
  public double macroF1() {
    return macroF1;
  }

  /** {@code sum_k (T_k / W) p_k}, as MLlib's {@code weightedPrecision}. */
  public double weightedPrecision() {
    return weightedPrecision;
  }

  /** {@code sum_k (T_k / W) r_k}, as MLlib's {@code weightedRecall}; equals the accuracy. */
  public double weightedRecall() {
    return weightedRecall;
  }

  /**
   * The weighted confusion matrix, {@code K x K}, rows = true class, columns = predicted class (a
   * copy); empty when {@code K > }{@value #CONFUSION_MATRIX_MAX_CLASSES}.
   */
  public Optional<double[][]> confusionMatrix() {
    if (confusionMatrix == null) {
      return Optional.empty();
    }
    double[][] copy = new double[numClasses][];
    for (int i = 0; i < numClasses; i++) {
      copy[i] = confusionMatrix[i].clone();
    }
    return Optional.of(copy);
  }

  @Override
  public java.util.Map<String, Object> values() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("rows", rows);
    m.put("classes", numClasses);
    m.put("accuracy", accuracy);
    m.put("logLoss", logLoss);
    m.put("macroF1", macroF1);
    m.put("weightedPrecision", weightedPrecision);
    m.put("weightedRecall", weightedRecall);
    confusionMatrix().ifPresent(c -> m.put("confusionMatrix", c));
    return m;
  }

  @Override
  public String describe() {
    return String.format(java.util.Locale.ROOT,
        "%d rows, accuracy %.4f, log-loss %.5f, macro-F1 %.4f", rows, accuracy, logLoss, macroF1);
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT,
        "MulticlassMetrics(rows=%d, classes=%d, accuracy=%.6f, logLoss=%.6f, macroF1=%.6f, "
            + "weightedPrecision=%.6f, weightedRecall=%.6f)",
        rows, numClasses, accuracy, logLoss, macroF1, weightedPrecision, weightedRecall);
  }
}
