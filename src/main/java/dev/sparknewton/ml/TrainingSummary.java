package dev.sparknewton.ml;

import dev.sparknewton.distributed.FaultCounts;
import dev.sparknewton.ml.inference.InferenceResult;
import dev.sparknewton.solvers.Termination;
import java.util.List;
import java.util.Optional;

/**
 * What a training run did: the fitted model, one record per outer iteration, and totals.
 *
 * @param numParameters {@code P}, the dimension of the optimization problem
 * @param passes Spark jobs run over the cached training blocks by the solver
 * @param jobs all Spark jobs of the run (including blockifying and caching the data)
 * @param tasks the tasks of those jobs
 * @param bytesSent bytes the tasks sent back (results and shuffle writes of the aggregations)
 * @param faults failed and retried tasks of the run and executors lost during it
 * @param wallSeconds from the input DataFrame to the fitted model
 * @param standardErrors the coefficient standard errors at the fitted model, when asked for
 *     ({@link ModelTraining#fit(org.apache.spark.sql.SparkSession, dev.sparknewton.data.TrainingData,
 *     ModelTraining.Settings, dev.sparknewton.solvers.Solver, java.util.function.Consumer,
 *     dev.sparknewton.ml.checkpoint.Checkpointing, Optional)}); their passes are not in
 *     {@code passes} and their jobs not in {@code jobs}
 */
public record TrainingSummary(
    String solver,
    long numRows,
    int numFeatures,
    int numParameters,
    ModelFit model,
    double objective,
    double gradientNorm,
    int iterations,
    long passes,
    long jobs,
    long tasks,
    long bytesSent,
    FaultCounts faults,
    double wallSeconds,
    Termination termination,
    List<IterationRecord> history,
    Optional<TestMetrics> testMetrics,
    Optional<InferenceResult> standardErrors) {

  /** The fitted model as a linear one. */
  public LinearModelFit linear() {
    if (model instanceof LinearModelFit m) {
      return m;
    }
    throw new IllegalStateException("the fitted model is a " + model.type().configName()
        + ", not a linear model");
  }

  /** The same summary with the job counts and the faults of its run. */
  public TrainingSummary withJobs(long jobs, long tasks, long bytesSent, FaultCounts faults) {
    return new TrainingSummary(solver, numRows, numFeatures, numParameters, model, objective,
        gradientNorm, iterations, passes, jobs, tasks, bytesSent, faults, wallSeconds, termination,
        history, testMetrics, standardErrors);
  }

  /** The same summary with test metrics. */
  public TrainingSummary withTestMetrics(TestMetrics metrics) {
    return new TrainingSummary(solver, numRows, numFeatures, numParameters, model, objective,
        gradientNorm, iterations, passes, jobs, tasks, bytesSent, faults, wallSeconds, termination,
        history, Optional.of(metrics), standardErrors);
  }

  /** The same summary with coefficient standard errors. */
  public TrainingSummary withStandardErrors(InferenceResult result) {
    return new TrainingSummary(solver, numRows, numFeatures, numParameters, model, objective,
        gradientNorm, iterations, passes, jobs, tasks, bytesSent, faults, wallSeconds, termination,
        history, testMetrics, Optional.of(result));
  }
}
