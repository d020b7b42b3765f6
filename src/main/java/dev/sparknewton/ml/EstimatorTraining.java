package dev.sparknewton.ml;

import dev.sparknewton.data.TrainingData;
import dev.sparknewton.ml.checkpoint.Checkpointing;
import dev.sparknewton.ml.params.NewtonParams;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.SparkSession;

/**
 * The training step of the Spark ML estimators: the params become {@link ModelTraining.Settings}
 * and {@link SolverSettings}, then the same {@link ModelTraining#plan} and
 * {@link ModelTraining#fit} that the command line's {@code train} runs (blockify, cache, solver,
 * pass counting, release). Progress lines go to the log at INFO, one per outer iteration.
 */
public final class EstimatorTraining {
  private static final Logger LOG = LogManager.getLogger(EstimatorTraining.class);

  private EstimatorTraining() {}

  /**
   * Fits the linear model of {@code data}'s labels with {@code params}' settings.
   *
   * @param who the estimator, for the log
   */
  public static TrainingSummary fit(SparkSession spark, TrainingData data, NewtonParams<?> params,
      String who) {
    ModelTraining.Settings settings = params.trainingSettings();
    ModelTraining.Plan plan = ModelTraining.plan(data, settings, params.solverSettings());
    LOG.info("{}: {}; {} parameters; solver {} ({}), regParam {}, fitIntercept {}", who,
        data.description(), plan.parameters(), plan.solver().name(), plan.choice().reason(),
        settings.regParam(), settings.fitIntercept());
    TrainingSummary run = ModelTraining.fit(spark, data, settings, plan.solver(),
        r -> LOG.info("{}: {}", who, r.progressLine()), Checkpointing.none(),
        params.inferenceSettings());
    if (run.termination().failed()) {
      LOG.warn("{}: the solver failed: {}; the model is its last accepted iterate", who,
          run.termination().description());
    } else {
      LOG.info("{}: {} after {} iterations, {} passes, {} Spark jobs, {} s", who,
          run.termination().description(), run.iterations(), run.passes(), run.jobs(),
          run.wallSeconds());
    }
    run.standardErrors().ifPresent(r -> {
      if (r.computed()) {
        LOG.info("{}: standard errors: {}", who, r.table().get());
      } else {
        LOG.warn("{}: no standard errors: {}", who, r.failure().get());
      }
    });
    return run;
  }
}
