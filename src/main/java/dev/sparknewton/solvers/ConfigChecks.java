package dev.sparknewton.solvers;

/**
 * The field checks of the solver configuration records: each throws an
 * {@link IllegalArgumentException} that names the configuration key and the offending value, in
 * one line ({@code "solver.tol must be finite and >= 0, got -1.0"}).
 */
final class ConfigChecks {
  private ConfigChecks() {}

  /** The keys every line-search solver shares: its {@link ConvergenceCheck} and Hessian sample. */
  static void outerLoop(int maxIter, double tol, double gtol, double hessianSampleFraction) {
    convergence(maxIter, tol, gtol);
    fraction("solver.hessianSampleFraction", hessianSampleFraction);
  }

  /** The keys of a {@link ConvergenceCheck}. */
  static void convergence(int maxIter, double tol, double gtol) {
    atLeast("solver.maxIter", maxIter, 0);
    nonNegative("solver.tol", tol);
    nonNegative("solver.gtol", gtol);
  }

  static void atLeast(String key, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(key + " must be >= " + min + ", got " + value);
    }
  }

  static void nonNegative(String key, double value) {
    if (!(value >= 0.0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(key + " must be finite and >= 0, got " + value);
    }
  }

  /** {@code 0 < value < infinity}. */
  static void positive(String key, double value) {
    if (!(value > 0.0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(key + " must be finite and > 0, got " + value);
    }
  }

  /** {@code low < value < high}. */
  static void inOpenInterval(String key, double value, double low, double high) {
    if (!(value > low && value < high)) {
      throw new IllegalArgumentException(
          key + " must be in (" + low + ", " + high + "), got " + value);
    }
  }

  /** {@code 0 < value <= 1}. */
  static void fraction(String key, double value) {
    if (!(value > 0.0 && value <= 1.0)) {
      throw new IllegalArgumentException(key + " must be in (0, 1], got " + value);
    }
  }

  static void notNull(String key, Object value) {
    if (value == null) {
      throw new IllegalArgumentException(key + " must be set, got null");
    }
  }
}
