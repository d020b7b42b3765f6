package dev.sparknewton.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Optional;
import org.netlib.util.intW;

/**
 * Cholesky factorization {@code A = L L^T} of a symmetric positive definite matrix by LAPACK's
 * {@code dpotrf}, and solves with the factor by {@code dpotrs}.
 */
public final class Cholesky {
  private final int n;
  private final double[] factor;

  private Cholesky(int n, double[] factor) {
    this.n = n;
    this.factor = factor;
  }

  /**
   * Factors {@code a}, or returns empty when {@code a} is not numerically positive definite.
   *
   * @param a a symmetric {@code n x n} matrix; only its lower triangle is read. Not modified.
   */
  public static Optional<Cholesky> factor(ColumnMatrix a) {
    if (a.rows() != a.cols()) {
      throw new IllegalArgumentException("Cholesky needs a square matrix, got " + a);
    }
    int n = a.rows();
    double[] l = a.data().clone();
    intW info = new intW(0);
    LAPACK.getInstance().dpotrf("L", n, l, Math.max(1, n), info);
    if (info.val != 0) {
      return Optional.empty();
    }
    return Optional.of(new Cholesky(n, l));
  }

  /** Returns a new vector {@code x} with {@code A x = b}. {@code b} not modified. */
  public double[] solve(double[] b) {
    if (b.length != n) {
      throw new IllegalArgumentException("right-hand side has " + b.length + " entries, expected " + n);
    }
    double[] x = b.clone();
    intW info = new intW(0);
    LAPACK.getInstance().dpotrs("L", n, 1, factor, Math.max(1, n), x, Math.max(1, n), info);
    if (info.val != 0) {
      throw new IllegalStateException("dpotrs failed with info = " + info.val);
    }
    return x;
  }
}
