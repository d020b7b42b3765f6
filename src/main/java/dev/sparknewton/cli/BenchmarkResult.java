package dev.sparknewton.cli;

import java.util.List;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One method's row of a {@code benchmark}: what it took to reach the target (or, when it did not,
 * what the run spent), and the iteration history the convergence plot draws.
 *
 * @param method the row's name: the {@code benchmark.solvers} entry, or {@code mllib-lbfgs}
 * @param settings the settings the method ran with (our entries: the resolved {@code solver}
 *     section; MLlib: its estimator's params)
 * @param solverPasses our solver's passes over the cached blocks to the target (at the end when
 *     not reached); for MLlib its jobs
 * @param jobsToTarget every Spark job of the fit to the target (at the end when not reached),
 *     blockifying and caching included
 * @param totalJobs every Spark job of the whole run
 * @param bytesSent bytes sent to the driver to the target (at the end when not reached)
 * @param medianSeconds median over {@code seconds}
 * @param seconds seconds to the target (at the end when not reached) of each repeat
 * @param iterations iterations to the target (at the end when not reached)
 * @param finalObjective the objective the run (MLlib: the refit, when there was one) ended at
 * @param bestObjective the smallest objective of the history
 * @param reached whether the target was reached (for MLlib: and its refit checked to reach it)
 * @param refit MLlib only: the check of the refit to the first reaching iteration
 * @param history the points of the convergence plot, in iteration order
 * @param clock how {@code history}'s passes and seconds were obtained
 * @param end how the run ended (its termination)
 */
record BenchmarkResult(String method, SortedMap<String, String> settings, long solverPasses,
    long jobsToTarget, long totalJobs, long bytesSent, double medianSeconds, double[] seconds,
    int iterations, double finalObjective, double bestObjective, boolean reached,
    Optional<RefitCheck> refit, List<Point> history, Clock clock, String end) {

  /** The method name of the MLlib baseline's row. */
  static final String MLLIB = "mllib-lbfgs";

  /**
   * One iteration: its Spark jobs and solver passes so far, seconds since the fit started, and
   * objective.
   */
  record Point(int iteration, double jobs, double passes, double seconds, double objective) {}

  /** How the passes and seconds of a history were obtained. */
  enum Clock {
    /** Recorded at every iteration by the run itself (our solvers). */
    RECORDED("recorded"),
    /**
     * MLlib's summary has no per-iteration clock: linear between the fits that were measured
     * (start, the refit to the first iteration reaching the target, the whole run).
     */
    INTERPOLATED("interpolated between measured fits");

    private final String text;

    Clock(String text) {
      this.text = text;
    }

    String text() {
      return text;
    }
  }

  /**
   * The check of MLlib's refit: with {@code maxIter} = the first iteration of the full run's
   * objective history that reaches the target, the refit's own final objective must reach it too
   * (its aggregation order may differ from the full run's).
   */
  record RefitCheck(int maxIter, double objective, double suboptimality, boolean reachesTarget) {
    static RefitCheck of(int maxIter, double[] refitHistory, double fStar, double target) {
      double f = refitHistory[refitHistory.length - 1];
      double sub = relativeSuboptimality(f, fStar);
      return new RefitCheck(maxIter, f, sub, sub <= target);
    }
  }

  boolean isMllib() {
    return method.equals(MLLIB);
  }

  /** Passes to the target as the table counts them: our solver passes, MLlib's jobs. */
  long tablePasses() {
    return Math.max(1, isMllib() ? jobsToTarget : solverPasses);
  }

  /** {@code (f - fStar) / |fStar|}. */
  static double relativeSuboptimality(double f, double fStar) {
    return (f - fStar) / Math.abs(fStar);
  }
}
