package dev.sparknewton.ml.regression;

import dev.sparknewton.ml.LinearModelFit;
import dev.sparknewton.ml.TrainingRunSummary;
import dev.sparknewton.ml.TrainingSummary;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@link NewtonLinearRegressionSummary} on the training data, and the training run
 * ({@link TrainingRunSummary}: objective history, passes, jobs, bytes, seconds, termination).
 */
public final class NewtonLinearRegressionTrainingSummary extends NewtonLinearRegressionSummary
    implements TrainingRunSummary {
  private final TrainingSummary run;

  NewtonLinearRegressionTrainingSummary(TrainingSummary run, Supplier<Dataset<Row>> predictions,
      Dataset<Row> frame, LinearModelFit fit) {
    super(predictions, frame, fit);
    this.run = run;
  }

  @Override
  public TrainingSummary run() {
    return run;
  }
}
