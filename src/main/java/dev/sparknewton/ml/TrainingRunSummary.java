package dev.sparknewton.ml;

import dev.sparknewton.solvers.Termination;

/**
 * What a Spark ML estimator's training run did, read from its {@link TrainingSummary}: the
 * objective per iteration, passes over the cached data, Spark jobs, bytes, seconds, termination.
 * The training summaries of the Newton models implement it next to their evaluation metrics.
 */
public interface TrainingRunSummary {
  /** The run as the command line's {@code summary.json} reports it. */
  TrainingSummary run();

  /**
   * The objective {@code f(w_t)} (regularization included) at iterations {@code t = 0, 1, ...},
   * as MLlib's {@code objectiveHistory}.
   */
  default double[] objectiveHistory() {
    return run().history().stream().mapToDouble(IterationRecord::objective).toArray();
  }

  /** Outer iterations run, as MLlib's {@code totalIterations}. */
  default int totalIterations() {
    return run().iterations();
  }

  /** The solver that ran ({@code auto} resolved). */
  default String solver() {
    return run().solver();
  }

  /** Spark jobs the solver ran over the cached blocks. */
  default long passes() {
    return run().passes();
  }

  /** All Spark jobs of the fit, blockifying and caching included. */
  default long jobs() {
    return run().jobs();
  }

  /** Bytes the fit's tasks sent back to the driver. */
  default long bytesSent() {
    return run().bytesSent();
  }

  /** Wall seconds from the input to the fitted model. */
  default double wallSeconds() {
    return run().wallSeconds();
  }

  /** Why the solver stopped; {@link Termination#failed()} for a numerical failure. */
  default Termination termination() {
    return run().termination();
  }

  /** The final objective. */
  default double objective() {
    return run().objective();
  }

  /** The final gradient norm. */
  default double gradientNorm() {
    return run().gradientNorm();
  }
}
