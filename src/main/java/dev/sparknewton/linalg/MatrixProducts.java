package dev.sparknewton.linalg;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Dense matrix-matrix products by BLAS {@code dgemm}, for the tall-and-skinny blocks of the
 * randomized eigensolver ({@code n x l} times {@code l x k}, and {@code n x l} transposed times
 * {@code n x r}). No argument is modified; each result is a new matrix.
 */
public final class MatrixProducts {
  private MatrixProducts() {}

  /** Returns {@code A B}: {@code (p x q)(q x s) -> p x s}. Not modified. */
  public static ColumnMatrix times(ColumnMatrix a, ColumnMatrix b) {
    if (a.cols() != b.rows()) {
      throw new IllegalArgumentException("cannot multiply " + a + " by " + b);
    }
    ColumnMatrix c = ColumnMatrix.zeros(a.rows(), b.cols());
    gemm("N", a.rows(), b.cols(), a.cols(), a, b, c);
    return c;
  }

  /** Returns {@code A^T B}: {@code (q x p)^T (q x s) -> p x s}. Not modified. */
  public static ColumnMatrix transposeTimes(ColumnMatrix a, ColumnMatrix b) {
    if (a.rows() != b.rows()) {
      throw new IllegalArgumentException("cannot multiply the transpose of " + a + " by " + b);
    }
    ColumnMatrix c = ColumnMatrix.zeros(a.cols(), b.cols());
    gemm("T", a.cols(), b.cols(), a.rows(), a, b, c);
    return c;
  }

  /** Returns {@code A^T}. Not modified. */
  public static ColumnMatrix transpose(ColumnMatrix a) {
    ColumnMatrix t = ColumnMatrix.zeros(a.cols(), a.rows());
    for (int j = 0; j < a.cols(); j++) {
      for (int i = 0; i < a.rows(); i++) {
        t.set(j, i, a.get(i, j));
      }
    }
    return t;
  }

  /** Returns the symmetric part {@code (A + A^T) / 2} of a square {@code A}. Not modified. */
  public static ColumnMatrix symmetricPart(ColumnMatrix a) {
    if (a.rows() != a.cols()) {
      throw new IllegalArgumentException("symmetric part of a non-square " + a);
    }
    int m = a.rows();
    ColumnMatrix s = ColumnMatrix.zeros(m, m);
    for (int j = 0; j < m; j++) {
      for (int i = 0; i < m; i++) {
        s.set(i, j, 0.5 * (a.get(i, j) + a.get(j, i)));
      }
    }
    return s;
  }

  private static void gemm(
      String transA, int m, int n, int k, ColumnMatrix a, ColumnMatrix b, ColumnMatrix c) {
    if (m == 0 || n == 0 || k == 0) {
      return;
    }
    BLAS.getInstance().dgemm(transA, "N", m, n, k, 1.0, a.data(), Math.max(1, a.rows()),
        b.data(), Math.max(1, b.rows()), 0.0, c.data(), Math.max(1, m));
  }
}
