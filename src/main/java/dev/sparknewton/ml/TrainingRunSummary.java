package dev.sparknewton.ml;

import dev.sparknewton.ml.inference.CoefficientTable;
import dev.sparknewton.ml.inference.InferenceResult;
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

  /**
   * The coefficient table of the fit ({@code standardErrors = true}; {@link CoefficientTable}:
   * estimates, standard errors, statistics, p-values in GLR's order, coefficients then intercept).
   *
   * @throws UnsupportedOperationException with GLR's message when the fit computed none (the
   *     param was false) or could not (the reason appended: e.g. a singular Hessian)
   */
  default CoefficientTable coefficientTable() {
    String none = "No Std. Error of coefficients available for this model";
    InferenceResult r = run().standardErrors().orElseThrow(() ->
        new UnsupportedOperationException(none + ": fit it with standardErrors = true"));
    return r.table().orElseThrow(() ->
        new UnsupportedOperationException(none + ": " + r.failure().orElseThrow()));
  }

  /** GLR's {@code coefficientStandardErrors}: coefficients, then the intercept if fitted. */
  default double[] coefficientStandardErrors() {
    return coefficientTable().standardErrors();
  }

  /**
   * GLR's {@code tValues}: {@code theta_j / se_j} (a z statistic for binomial, t for least
   * squares), coefficients, then the intercept.
   */
  default double[] tValues() {
    return coefficientTable().statistics();
  }

  /** GLR's {@code pValues}: two-sided, normal (binomial) or Student's t (least squares). */
  default double[] pValues() {
    return coefficientTable().pValues();
  }

  /** The final gradient norm. */
  default double gradientNorm() {
    return run().gradientNorm();
  }
}
