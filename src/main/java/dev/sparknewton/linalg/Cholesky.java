package dev.sparknewton.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Optional;
import org.netlib.util.intW;

/**
 * Cholesky factorization {@code A = L L^T} of a symmetric positive definite matrix by LAPACK's
 * {@code dpotrf}, solves with the factor by {@code dpotrs}, and the diagonal of {@code A^-1} from
 * {@code L^-1} ({@code dtrtri}).
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

  /** {@code n}. */
  public int dimension() {
    return n;
  }

  /**
   * Returns a new vector, the diagonal of {@code A^-1}: with {@code A^-1 = L^-T L^-1},
   * {@code (A^-1)_jj} is the squared norm of column {@code j} of the lower triangular
   * {@code L^-1} (LAPACK {@code dtrtri}, {@code n^3 / 3} flops, one {@code n x n} scratch array).
   */
  public double[] inverseDiagonal() {
    double[] inverse = factor.clone();
    intW info = new intW(0);
    LAPACK.getInstance().dtrtri("L", "N", n, inverse, Math.max(1, n), info);
    if (info.val != 0) {
      throw new IllegalStateException("dtrtri failed with info = " + info.val);
    }
    double[] out = new double[n];
    for (int j = 0; j < n; j++) {
      double s = 0.0;
      for (int i = j, at = j + j * n; i < n; i++, at++) {
        s += inverse[at] * inverse[at];
      }
      out[j] = s;
    }
    return out;
  }
}
