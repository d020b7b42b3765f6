package dev.sparknewton.ml.classification;

import dev.sparknewton.ml.LinearModelFit;
import dev.sparknewton.ml.TrainingRunSummary;
import dev.sparknewton.ml.TrainingSummary;
import java.util.function.Supplier;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * {@link NewtonLogisticRegressionSummary} on the training data, and the training run
 * ({@link TrainingRunSummary}: objective history, passes, jobs, bytes, seconds, termination).
 */
public final class NewtonLogisticRegressionTrainingSummary extends NewtonLogisticRegressionSummary
    implements TrainingRunSummary {
  private final TrainingSummary run;

  NewtonLogisticRegressionTrainingSummary(TrainingSummary run, Supplier<Dataset<Row>> predictions,
      Dataset<Row> frame, LinearModelFit fit, int numClasses) {
    super(predictions, frame, fit, numClasses);
    this.run = run;
  }

  @Override
  public TrainingSummary run() {
    return run;
  }
}
