package dev.sparknewton.ml;

import dev.sparknewton.distributed.RddRowAggregation;
import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;

/**
 * Weighted test metrics of a one-output model (least squares): with predictions {@code p_i},
 * targets {@code y_i}, instance weights {@code c_i >= 0}, {@code W = sum c_i} and the weighted
 * mean {@code ybar = (1/W) sum c_i y_i},
 *
 * <ul>
 *   <li>RMSE {@code = sqrt((1/W) sum c_i (y_i - p_i)^2)};
 *   <li>MAE {@code = (1/W) sum c_i |y_i - p_i|};
 *   <li>{@code R^2 = 1 - SS_res / SS_tot}, {@code SS_res = sum c_i (y_i - p_i)^2},
 *       {@code SS_tot = sum c_i (y_i - ybar)^2}; NaN when {@code SS_tot = 0} (constant targets).
 * </ul>
 *
 * <p>A weight acts as a frequency: a row of weight 2 counts as two copies of the row, and scaling
 * all weights by one factor changes nothing. RMSE and MAE equal Spark MLlib's
 * {@code RegressionMetrics} given (prediction, label, weight). Its {@code r2} agrees with ours for
 * unit weights only: with weights MLlib takes {@code SS_tot = s^2 (W - 1)}, where
 * {@code s^2 = SS_tot / (W - sum c_i^2 / W)} is its reliability-weighted sample variance, which is
 * not {@code SS_tot} and changes when all weights are scaled. Ours is scikit-learn's
 * {@code r2_score(sample_weight=c)}.
 *
 * <p>Everything is computed in one Spark job ({@code treeAggregate} of a
 * {@link RegressionMetricsAggregator}).
 *
 * @param rows rows evaluated, including rows of weight 0
 * @param totalWeight {@code W}
 * @param rmse root mean squared error
 * @param mae mean absolute error
 * @param r2 coefficient of determination
 */
public record RegressionMetrics(long rows, double totalWeight, double rmse, double mae, double r2)
    implements Serializable, TestMetrics {

  /**
   * The metrics of {@code scored}, in one Spark job.
   *
   * @param scored rows with one finite output (the prediction) each; not modified
   * @throws IllegalArgumentException if the rows have no positive total weight (a bad row fails
   *     the Spark job with an {@code IllegalArgumentException} naming the offending value as its
   *     cause)
   */
  public static RegressionMetrics evaluate(JavaRDD<ScoredRow> scored) {
    RegressionMetricsAggregator sums = RddRowAggregation.aggregate(
        "test metrics (regression)", scored, new RegressionMetricsAggregator(),
        RegressionMetricsAggregator::add, RegressionMetricsAggregator::merge);
    return of(sums);
  }

  /**
   * The metrics read from complete sums.
   *
   * @param sums not modified
   * @throws IllegalArgumentException if the total weight is not positive
   */
  static RegressionMetrics of(RegressionMetricsAggregator sums) {
    double w = sums.weightSum();
    if (!(w > 0.0)) {
      throw new IllegalArgumentException(
          "no test rows with positive weight (" + sums.rows() + " rows, total weight " + w + ")");
    }
    double ssTot = sums.totalSumOfSquares();
    double r2 = ssTot > 0.0 ? 1.0 - sums.squaredErrorSum() / ssTot : Double.NaN;
    return new RegressionMetrics(sums.rows(), w, Math.sqrt(sums.squaredErrorSum() / w),
        sums.absoluteErrorSum() / w, r2);
  }

  @Override
  public java.util.Map<String, Object> values() {
    java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
    m.put("rows", rows);
    m.put("rmse", rmse);
    m.put("mae", mae);
    m.put("r2", r2);
    return m;
  }

  @Override
  public String describe() {
    return String.format(java.util.Locale.ROOT, "%d rows, RMSE %.6g, MAE %.6g, R^2 %.6f",
        rows, rmse, mae, r2);
  }
}
