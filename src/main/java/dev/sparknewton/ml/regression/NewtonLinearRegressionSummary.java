package dev.sparknewton.ml.regression;

import dev.sparknewton.ml.EvaluationFrame;
import dev.sparknewton.ml.LinearModelFit;
import dev.sparknewton.ml.RegressionMetrics;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The metrics of a {@link NewtonLinearRegressionModel} on a dataset, with instance weights
 * ({@link RegressionMetrics}, one Spark job on first use): {@link #rootMeanSquaredError()},
 * {@link #meanAbsoluteError()}, {@link #r2()}, as MLlib's {@code LinearRegressionSummary}
 * defines them ({@code r2 = 1 - SS_res / SS_tot} around the weighted mean label).
 */
public class NewtonLinearRegressionSummary {
  private final Supplier<Dataset<Row>> predictionsOf;
  private final Dataset<Row> frame;
  private final LinearModelFit fit;
  private Dataset<Row> predictions;
  private RegressionMetrics metrics;

  NewtonLinearRegressionSummary(Supplier<Dataset<Row>> predictions, Dataset<Row> frame,
      LinearModelFit fit) {
    this.predictionsOf = predictions;
    this.frame = frame;
    this.fit = fit;
  }

  /** The dataset with the model's prediction column. */
  public synchronized Dataset<Row> predictions() {
    if (predictions == null) {
      predictions = predictionsOf.get();
    }
    return predictions;
  }

  /** RMSE, MAE and R^2, as the command line's test metrics. */
  public synchronized RegressionMetrics metrics() {
    if (metrics == null) {
      metrics = RegressionMetrics.evaluate(EvaluationFrame.scored(fit, frame));
    }
    return metrics;
  }

  public double rootMeanSquaredError() {
    return metrics().rmse();
  }

  public double meanAbsoluteError() {
    return metrics().mae();
  }

  public double r2() {
    return metrics().r2();
  }
}
