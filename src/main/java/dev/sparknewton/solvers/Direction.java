package dev.sparknewton.solvers;

import java.util.Optional;

/**
 * A search direction chosen at one iterate by a {@link DirectionRule}, or the numerical reason
 * there is none.
 *
 * @param vector {@code p}, owned by the caller; empty array when {@code failure} is present
 * @param innerIterations CG (or other inner) iterations spent on it
 * @param damping the damping or shift used, when the rule has one
 * @param eigenvalues the curvature eigenvalues the direction used (low-rank rules), else empty;
 *     owned by the caller
 * @param detail a short note for the solver state ("CG: residual below forcing term, 7 its")
 * @param failure present when no direction could be formed
 */
public record Direction(
    double[] vector, int innerIterations, Optional<Double> damping, double[] eigenvalues,
    String detail, Optional<Termination> failure) {
  private static final double[] NONE = new double[0];

  public static Direction of(
      double[] vector, int innerIterations, Optional<Double> damping, String detail) {
    return new Direction(vector, innerIterations, damping, NONE, detail, Optional.empty());
  }

  public static Direction failed(
      Termination reason, int innerIterations, Optional<Double> damping, String detail) {
    return new Direction(new double[0], innerIterations, damping, NONE, detail,
        Optional.of(reason));
  }

  /** The same direction, reporting {@code values} as its eigenvalues. {@code values} not copied. */
  public Direction withEigenvalues(double[] values) {
    return new Direction(vector, innerIterations, damping, values, detail, failure);
  }
}
