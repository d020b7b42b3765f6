package dev.sparknewton.ml;

import dev.sparknewton.solvers.SolverState;
import java.util.Optional;

/**
 * One outer iteration as recorded by a training run: the solver's state plus the passes (Spark
 * jobs), the bytes the run's tasks sent back (partial sums, collected curvature samples) and
 * the wall seconds, all since the run started. One line of {@code iterations.jsonl}.
 */
public record IterationRecord(
    int iteration,
    double objective,
    double gradientNorm,
    double stepSize,
    int cgIterations,
    long passes,
    long bytesToDriver,
    double seconds,
    Optional<Double> damping,
    double[] eigenvalues,
    String detail,
    Optional<Prediction> test) {

  /**
   * The iterate scored on held-out rows (outside the run's passes and jobs).
   *
   * @param accuracy the weighted share of correctly predicted classes; NaN for real targets
   * @param loss the weighted mean loss (no regularization)
   */
  public record Prediction(double accuracy, double loss) {}

  static IterationRecord of(SolverState s, long passes, long bytesToDriver, double seconds) {
    return new IterationRecord(s.iteration(), s.value(), s.gradientNorm(), s.stepSize(),
        s.innerIterations(), passes, bytesToDriver, seconds, s.damping(), s.eigenvalues(), s.detail(),
        Optional.empty());
  }

  /** The same record with its test scores. */
  public IterationRecord withTest(Prediction p) {
    return new IterationRecord(iteration, objective, gradientNorm, stepSize, cgIterations, passes,
        bytesToDriver, seconds, damping, eigenvalues, detail, Optional.of(p));
  }

  /** The LIBLINEAR-style progress line. */
  public String progressLine() {
    return String.format(
        "iter %3d  f %.10e  |g| %.3e  CG %3d  step %.2e  passes %4d  %8.1f MB  %7.2fs%s%s",
        iteration, objective, gradientNorm, cgIterations, stepSize, passes, bytesToDriver / 1e6,
        seconds,
        test.map(p -> Double.isNaN(p.accuracy())
            ? String.format("  test loss %.5f", p.loss())
            : String.format("  test acc %.4f loss %.5f", p.accuracy(), p.loss())).orElse(""),
        detail.isEmpty() ? "" : "  " + detail);
  }
}
