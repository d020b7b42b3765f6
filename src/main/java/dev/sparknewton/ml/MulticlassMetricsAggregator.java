package dev.sparknewton.ml;

import java.io.Serializable;

/**
 * Sums over scored rows of a K-class model, from which {@link MulticlassMetrics} reads its
 * metrics: the total weight {@code W = sum c_i}, the weighted log-loss sum
 * {@code sum c_i [-log softmax(z_i)_{y_i}]}, and per class k the weighted true count
 * {@code T_k = sum_{y_i = k} c_i}, predicted count {@code P_k = sum_{yhat_i = k} c_i} and correct
 * count {@code C_k = sum_{y_i = yhat_i = k} c_i}, where {@code yhat_i = argmax_j z_ij} with ties to
 * the smallest index (Spark ML's {@code Vector.argmax}). With at most
 * {@link MulticlassMetrics#CONFUSION_MATRIX_MAX_CLASSES} classes it also keeps the weighted
 * confusion matrix {@code M[y][yhat] += c}.
 *
 * <p>No Spark calls: {@link #add} folds one row, {@link #merge} another aggregator. The per-class
 * arrays are allocated on the first row with positive weight, so the zero value shipped to every
 * task is a few fields.
 */
final class MulticlassMetricsAggregator implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int numClasses;
  private final boolean keepsMatrix;

  private long rows;
  private double weightSum;
  private double logLossSum;
  private double[] trueWeight;
  private double[] predictedWeight;
  private double[] correctWeight;
  /** Row-major {@code numClasses x numClasses}: index {@code y * numClasses + yhat}. */
  private double[] confusion;

  /**
   * @throws IllegalArgumentException if {@code numClasses < 2}
   */
  MulticlassMetricsAggregator(int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
    }
    this.numClasses = numClasses;
    this.keepsMatrix = numClasses <= MulticlassMetrics.CONFUSION_MATRIX_MAX_CLASSES;
  }

  /**
   * Folds one row into the sums; returns this.
   *
   * @param row K finite scores, a label in {@code 0..K-1}; not modified
   * @throws IllegalArgumentException if the row has not K outputs, an output is not finite, or the
   *     label is not a class index
   */
  MulticlassMetricsAggregator add(ScoredRow row) {
    double[] z = row.outputs();
    if (z.length != numClasses) {
      throw new IllegalArgumentException(
          "expected " + numClasses + " outputs (one score per class), got " + z.length);
    }
    double y = row.label();
    int label = (int) y;
    if (label != y || label < 0 || label >= numClasses) {
      throw new IllegalArgumentException(
          "label must be a class index in 0.." + (numClasses - 1) + ", got " + y);
    }
    int predicted = 0;
    double max = z[0];
    for (int j = 0; j < numClasses; j++) {
      if (!Double.isFinite(z[j])) {
        throw new IllegalArgumentException("score " + j + " is not finite: " + z[j]);
      }
      if (z[j] > max) { // strict: ties go to the smallest index
        max = z[j];
        predicted = j;
      }
    }
    rows++;
    double c = row.weight();
    if (c == 0.0) {
      return this;
    }
    // -log softmax(z)_y = log sum_j exp(z_j) - z_y = (max - z_y) + log(1 + sum_{j != argmax}
    // exp(z_j - max)): every exponent is <= 0, so nothing overflows, and log1p keeps the small
    // sum accurate when one score dominates (z = (1000, -1000) gives 0 or 2000, not NaN).
    double tail = 0.0;
    for (int j = 0; j < numClasses; j++) {
      if (j != predicted) {
        tail += Math.exp(z[j] - max);
      }
    }
    double loss = (max - z[label]) + Math.log1p(tail);
    if (trueWeight == null) {
      allocate();
    }
    weightSum += c;
    logLossSum += c * loss;
    trueWeight[label] += c;
    predictedWeight[predicted] += c;
    if (predicted == label) {
      correctWeight[label] += c;
    }
    if (keepsMatrix) {
      confusion[label * numClasses + predicted] += c;
    }
    return this;
  }

  /**
   * Adds the sums of {@code other} (same number of classes) to this; returns this.
   *
   * @param other not modified
   */
  MulticlassMetricsAggregator merge(MulticlassMetricsAggregator other) {
    if (other.numClasses != numClasses) {
      throw new IllegalArgumentException(
          "cannot merge sums of " + other.numClasses + " classes into " + numClasses);
    }
    rows += other.rows;
    if (other.trueWeight == null) {
      return this;
    }
    if (trueWeight == null) {
      allocate();
    }
    weightSum += other.weightSum;
    logLossSum += other.logLossSum;
    addInto(trueWeight, other.trueWeight);
    addInto(predictedWeight, other.predictedWeight);
    addInto(correctWeight, other.correctWeight);
    if (keepsMatrix) {
      addInto(confusion, other.confusion);
    }
    return this;
  }

  private void allocate() {
    trueWeight = new double[numClasses];
    predictedWeight = new double[numClasses];
    correctWeight = new double[numClasses];
    confusion = keepsMatrix ? new double[numClasses * numClasses] : null;
  }

  private static void addInto(double[] target, double[] source) {
    for (int i = 0; i < target.length; i++) {
      target[i] += source[i];
    }
  }

  int numClasses() {
    return numClasses;
  }

  /** Rows seen, including rows of weight 0. */
  long rows() {
    return rows;
  }

  /** {@code W = sum c_i}. */
  double weightSum() {
    return weightSum;
  }

  /** {@code sum c_i [-log softmax(z_i)_{y_i}]}. */
  double logLossSum() {
    return logLossSum;
  }

  /** {@code T_k}, the weight of the rows of true class k. */
  double trueWeight(int k) {
    return trueWeight == null ? 0.0 : trueWeight[k];
  }

  /** {@code P_k}, the weight of the rows predicted as class k. */
  double predictedWeight(int k) {
    return predictedWeight == null ? 0.0 : predictedWeight[k];
  }

  /** {@code C_k}, the weight of the rows of true class k predicted as k. */
  double correctWeight(int k) {
    return correctWeight == null ? 0.0 : correctWeight[k];
  }

  boolean keepsMatrix() {
    return keepsMatrix;
  }

  /**
   * The weighted confusion matrix, rows = true class, columns = predicted class; a new array.
   *
   * @throws IllegalStateException if the matrix is not kept (more than
   *     {@link MulticlassMetrics#CONFUSION_MATRIX_MAX_CLASSES} classes)
   */
  double[][] confusionMatrix() {
    if (!keepsMatrix) {
      throw new IllegalStateException("no confusion matrix is kept for " + numClasses + " classes");
    }
    double[][] m = new double[numClasses][numClasses];
    if (confusion != null) {
      for (int i = 0; i < numClasses; i++) {
        System.arraycopy(confusion, i * numClasses, m[i], 0, numClasses);
      }
    }
    return m;
  }
}
