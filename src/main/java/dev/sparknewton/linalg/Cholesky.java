package dev.sparknewton.linalg;

import java.util.Optional;

/**
 * Cholesky factorization {@code A = L L^T} of a symmetric positive definite matrix, solves with
 * the factor, and the diagonal of {@code A^-1} from {@code L^-1}; plain Java, column by column.
 *
 * <p>Not LAPACK: the first use of netlib's LAPACK in a JVM costs 0.3-0.4 s (its class set loads
 * and initializes, after a failed probe for a native library when none is installed), which is a
 * fifth of a cold exact-Newton fit on a9a (about 1.8 s in a fresh JVM; docs/benchmarks.md "Cold
 * ratios"), while the factorizations exact Newton needs ({@code P} up to about a thousand) take
 * milliseconds. The factorization is the left-looking column form of LAPACK's unblocked
 * {@code dpotf2} ({@code A = L L^T} column by column, each column updated by the ones before it
 * with one contiguous axpy each); the columns are separate arrays so that the JIT vectorizes those
 * axpys (on one flat array at two offsets it cannot prove them independent and runs them scalar).
 * Measured against netlib's pure-Java (F2J) {@code dpotrf} + {@code dpotrs}, warm: 3-4x faster at
 * {@code n} = 124 to 2,048 (52 against 207 ms at 1,024; docs/bench/cold-20261130/cholesky). A
 * native LAPACK, where one is installed, would factor matrices of thousands faster; the sizes
 * {@code auto} gives exact Newton ({@code P <= 1,024}) take tens of milliseconds here.
 */
public final class Cholesky {
  private final int n;
  /** Column {@code j} of {@code L}: {@code columns[j][i] = L_ij} for {@code i >= j}; the rest 0. */
  private final double[][] columns;

  private Cholesky(int n, double[][] columns) {
    this.n = n;
    this.columns = columns;
  }

  /**
   * Factors {@code a}, or returns empty when {@code a} is not numerically positive definite (a
   * pivot {@code <= 0} or not finite, as LAPACK's {@code dpotrf} reports {@code info > 0}).
   *
   * @param a a symmetric {@code n x n} matrix; only its lower triangle is read. Not modified.
   */
  public static Optional<Cholesky> factor(ColumnMatrix a) {
    if (a.rows() != a.cols()) {
      throw new IllegalArgumentException("Cholesky needs a square matrix, got " + a);
    }
    int n = a.rows();
    double[] data = a.data();
    double[][] l = new double[n][];
    for (int j = 0; j < n; j++) {
      double[] column = new double[n];
      System.arraycopy(data, j * n + j, column, j, n - j);
      for (int k = 0; k < j; k++) {
        double ljk = l[k][j];
        if (ljk != 0.0) {
          double[] lk = l[k];
          for (int i = j; i < n; i++) {
            column[i] -= ljk * lk[i];
          }
        }
      }
      double pivot = column[j];
      if (!(pivot > 0.0) || pivot == Double.POSITIVE_INFINITY) {
        return Optional.empty();
      }
      double d = Math.sqrt(pivot);
      column[j] = d;
      double inverse = 1.0 / d;
      for (int i = j + 1; i < n; i++) {
        column[i] *= inverse;
      }
      l[j] = column;
    }
    return Optional.of(new Cholesky(n, l));
  }

  /** Returns a new vector {@code x} with {@code A x = b}. {@code b} not modified. */
  public double[] solve(double[] b) {
    if (b.length != n) {
      throw new IllegalArgumentException(
          "right-hand side has " + b.length + " entries, expected " + n);
    }
    double[] x = b.clone();
    forwardSubstitute(x, 0);
    // L^T x = y, row by row of L^T (column by column of L), from the last.
    for (int j = n - 1; j >= 0; j--) {
      double[] lj = columns[j];
      double s = x[j];
      for (int i = j + 1; i < n; i++) {
        s -= lj[i] * x[i];
      }
      x[j] = s / lj[j];
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
   * {@code L^-1}, which solves {@code L x = e_j} ({@code n^3 / 6} flops over all {@code j}, one
   * scratch vector).
   */
  public double[] inverseDiagonal() {
    double[] out = new double[n];
    double[] x = new double[n];
    for (int j = 0; j < n; j++) {
      java.util.Arrays.fill(x, j, n, 0.0);
      x[j] = 1.0;
      forwardSubstitute(x, j);
      double s = 0.0;
      for (int c = j; c < n; c++) {
        s += x[c] * x[c];
      }
      out[j] = s;
    }
    return out;
  }

  /**
   * Solves {@code L y = x} in place, column by column, for a right-hand side whose entries before
   * {@code from} are zero (so are the solution's); entries from {@code from} on are replaced.
   */
  private void forwardSubstitute(double[] x, int from) {
    for (int j = from; j < n; j++) {
      double[] lj = columns[j];
      double yj = x[j] / lj[j];
      x[j] = yj;
      if (yj != 0.0) {
        for (int i = j + 1; i < n; i++) {
          x[i] -= yj * lj[i];
        }
      }
    }
  }
}
