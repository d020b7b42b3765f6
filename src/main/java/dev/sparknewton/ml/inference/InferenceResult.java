package dev.sparknewton.ml.inference;

import java.util.Optional;

/**
 * The outcome of {@link CoefficientInference#at}: a {@link CoefficientTable}, or the numerical
 * reason there is none (a Hessian that is not positive definite: collinear features, a feature
 * that never occurs, separable classes; a sketch that failed). Numerical outcomes are data, not
 * exceptions; bad input is an {@link IllegalArgumentException} before any pass.
 */
public final class InferenceResult {
  private final CoefficientTable table;
  private final String failure;
  private final int passes;

  private InferenceResult(CoefficientTable table, String failure, int passes) {
    this.table = table;
    this.failure = failure;
    this.passes = passes;
  }

  static InferenceResult of(CoefficientTable table) {
    return new InferenceResult(table, null, table.passes());
  }

  /** No table, for {@code reason}, after {@code passes} passes. */
  public static InferenceResult failed(String reason, int passes) {
    return new InferenceResult(null, reason, passes);
  }

  /** Whether a table was computed. */
  public boolean computed() {
    return table != null;
  }

  /** The table, or empty on a numerical failure. */
  public Optional<CoefficientTable> table() {
    return Optional.ofNullable(table);
  }

  /** The reason there is no table, or empty. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /** Passes over the data spent, also on a failure. */
  public int passes() {
    return passes;
  }

  @Override
  public String toString() {
    return table != null ? table.toString()
        : "InferenceResult(failed after " + passes + " passes: " + failure + ")";
  }
}
