package dev.sparknewton.solvers;

import java.util.Arrays;

/**
 * A diagonal preconditioner {@code M = diag(m)} for {@link ConjugateGradient}, applied as
 * {@code z = M^-1 r}.
 *
 * <p>Given as it is ({@link #ofDiagonal}), or built from a Hessian diagonal with a guard: {@code m_j = max(|h_jj|, FLOOR * max_i |h_ii|)}.
 * The absolute value keeps {@code M} positive definite where a non-convex objective has negative
 * diagonal entries, and the floor keeps coordinates with (numerically) zero curvature from getting
 * an unbounded scale, so {@code cond(M) <= 1 / FLOOR}. A diagonal that is all zero or has a NaN or
 * infinite entry gives the identity.
 */
public final class DiagonalPreconditioner implements CgPreconditioner {
  /** Smallest entry relative to the largest: bounds {@code cond(M)} by {@code 1e10}. */
  public static final double FLOOR = 1e-10;

  private final double[] inverse;

  private DiagonalPreconditioner(double[] inverse) {
    this.inverse = inverse;
  }

  /** {@code M = I}. */
  public static DiagonalPreconditioner identity(int n) {
    double[] ones = new double[n];
    Arrays.fill(ones, 1.0);
    return new DiagonalPreconditioner(ones);
  }

  /**
   * {@code M = diag(m)} as given.
   *
   * @param diagonal {@code m}, every entry finite and {@code > 0}. Not modified.
   */
  public static DiagonalPreconditioner ofDiagonal(double[] diagonal) {
    double[] inverse = new double[diagonal.length];
    for (int j = 0; j < diagonal.length; j++) {
      if (!(diagonal[j] > 0.0) || Double.isInfinite(diagonal[j])) {
        throw new IllegalArgumentException("preconditioner entry " + j
            + " must be finite and > 0, got " + diagonal[j]);
      }
      inverse[j] = 1.0 / diagonal[j];
    }
    return new DiagonalPreconditioner(inverse);
  }

  /** The guarded {@code diag(|h_jj|)}. {@code diagonal} not modified. */
  public static DiagonalPreconditioner fromHessianDiagonal(double[] diagonal) {
    double[] guarded = guarded(diagonal);
    if (guarded == null) {
      return identity(diagonal.length);
    }
    double[] inverse = new double[guarded.length];
    for (int j = 0; j < guarded.length; j++) {
      inverse[j] = 1.0 / guarded[j];
    }
    return new DiagonalPreconditioner(inverse);
  }

  /**
   * {@code max(|h_jj|, FLOOR max_j |h_jj|)}, or null when an entry is not finite or every entry
   * is 0 (the identity then stands in). {@code diagonal} not modified.
   */
  static double[] guarded(double[] diagonal) {
    double largest = 0.0;
    for (double v : diagonal) {
      if (!Double.isFinite(v)) {
        return null;
      }
      largest = Math.max(largest, Math.abs(v));
    }
    if (largest == 0.0) {
      return null;
    }
    double floor = FLOOR * largest;
    double[] guarded = new double[diagonal.length];
    for (int j = 0; j < diagonal.length; j++) {
      guarded[j] = Math.max(Math.abs(diagonal[j]), floor);
    }
    return guarded;
  }

  @Override
  public int dimension() {
    return inverse.length;
  }

  /** {@code z = M^-1 r}. {@code r} not modified; {@code z} modified. */
  @Override
  public void solve(double[] r, double[] z) {
    CgPreconditioner.checkLengths(inverse.length, r, z);
    for (int j = 0; j < inverse.length; j++) {
      z[j] = inverse[j] * r[j];
    }
  }

  @Override
  public double solveDot(double[] r, double[] z) {
    CgPreconditioner.checkLengths(inverse.length, r, z);
    double rz = 0.0;
    for (int j = 0; j < inverse.length; j++) {
      double zj = inverse[j] * r[j];
      z[j] = zj;
      rz += r[j] * zj;
    }
    return rz;
  }
}
