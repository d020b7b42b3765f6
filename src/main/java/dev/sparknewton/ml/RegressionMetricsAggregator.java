package dev.sparknewton.ml;

import java.io.Serializable;

/**
 * Sums over scored rows of a one-output model (prediction {@code p_i}, target {@code y_i},
 * weight {@code c_i}), from which {@link RegressionMetrics} reads its metrics: the total weight
 * {@code W}, {@code sum c_i (y_i - p_i)^2}, {@code sum c_i |y_i - p_i|}, the weighted mean
 * {@code ybar = (1/W) sum c_i y_i} and {@code M2 = sum c_i (y_i - ybar)^2}.
 *
 * <p>{@code ybar} and {@code M2} are updated as running values (West 1979 for one row, Chan, Golub
 * and LeVeque 1979 for merging two sets), not as {@code sum c y^2 - W ybar^2}, which loses all
 * digits when the spread of the targets is small against their mean.
 *
 * <p>References: D. H. D. West, Updating mean and variance estimates: an improved method, CACM
 * 22(9), 1979. T. F. Chan, G. H. Golub, R. J. LeVeque, Updating formulae and a pairwise algorithm
 * for computing sample variances, Stanford CS tech. report STAN-CS-79-773, 1979.
 */
final class RegressionMetricsAggregator implements Serializable {
  private static final long serialVersionUID = 1L;

  private long rows;
  private double weightSum;
  private double squaredErrorSum;
  private double absoluteErrorSum;
  private double targetMean;
  private double targetM2;

  /**
   * Folds one row into the sums; returns this.
   *
   * @param row one finite prediction; not modified
   * @throws IllegalArgumentException if the row has not one output or it is not finite
   */
  RegressionMetricsAggregator add(ScoredRow row) {
    double[] out = row.outputs();
    if (out.length != 1) {
      throw new IllegalArgumentException("expected 1 output (the prediction), got " + out.length);
    }
    double p = out[0];
    if (!Double.isFinite(p)) {
      throw new IllegalArgumentException("prediction is not finite: " + p);
    }
    rows++;
    double c = row.weight();
    if (c == 0.0) {
      return this;
    }
    double y = row.label();
    double e = y - p;
    squaredErrorSum += c * e * e;
    absoluteErrorSum += c * Math.abs(e);
    double total = weightSum + c;
    double delta = y - targetMean;
    targetMean += delta * (c / total);
    targetM2 += c * delta * (y - targetMean);
    weightSum = total;
    return this;
  }

  /**
   * Adds the sums of {@code other} to this; returns this.
   *
   * @param other not modified
   */
  RegressionMetricsAggregator merge(RegressionMetricsAggregator other) {
    rows += other.rows;
    if (other.weightSum == 0.0) {
      return this;
    }
    squaredErrorSum += other.squaredErrorSum;
    absoluteErrorSum += other.absoluteErrorSum;
    if (weightSum == 0.0) {
      weightSum = other.weightSum;
      targetMean = other.targetMean;
      targetM2 = other.targetM2;
      return this;
    }
    double total = weightSum + other.weightSum;
    double delta = other.targetMean - targetMean;
    targetMean += delta * (other.weightSum / total);
    targetM2 += other.targetM2 + delta * delta * (weightSum * other.weightSum / total);
    weightSum = total;
    return this;
  }

  /** Rows seen, including rows of weight 0. */
  long rows() {
    return rows;
  }

  /** {@code W = sum c_i}. */
  double weightSum() {
    return weightSum;
  }

  /** {@code SS_res = sum c_i (y_i - p_i)^2}. */
  double squaredErrorSum() {
    return squaredErrorSum;
  }

  /** {@code sum c_i |y_i - p_i|}. */
  double absoluteErrorSum() {
    return absoluteErrorSum;
  }

  /** {@code SS_tot = sum c_i (y_i - ybar)^2}, {@code ybar} the weighted mean. */
  double totalSumOfSquares() {
    return targetM2;
  }
}
