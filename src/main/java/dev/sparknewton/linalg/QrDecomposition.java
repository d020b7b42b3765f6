package dev.sparknewton.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * Thin QR factorization {@code A = Q R} of an {@code n x m} matrix with {@code m <= n} by
 * Householder reflections (LAPACK {@code dgeqrf}, then {@code dorgqr} to form {@code Q}).
 *
 * <p>{@code Q} is {@code n x m} with orthonormal columns and {@code R} is {@code m x m} upper
 * triangular. Householder QR keeps {@code Q} orthonormal to working precision even when {@code A}
 * is rank deficient (then some diagonal entries of {@code R} are tiny and the matching columns of
 * {@code Q} are an arbitrary orthonormal completion), which is what a randomized range finder needs
 * (Halko, Martinsson, Tropp 2011, Sec. 4.1, remark on Householder orthonormalization).
 */
public final class QrDecomposition {
  private final ColumnMatrix q;
  private final ColumnMatrix r;

  private QrDecomposition(ColumnMatrix q, ColumnMatrix r) {
    this.q = q;
    this.r = r;
  }

  /**
   * Factors {@code a}.
   *
   * @param a an {@code n x m} matrix with {@code m <= n} and finite entries. Not modified.
   * @throws IllegalArgumentException if {@code m > n} or an entry is not finite
   */
  public static QrDecomposition of(ColumnMatrix a) {
    int n = a.rows();
    int m = a.cols();
    if (m > n) {
      throw new IllegalArgumentException("thin QR needs cols <= rows, got " + a);
    }
    if (!Vectors.allFinite(a.data())) {
      throw new IllegalArgumentException("QR of " + a + " with non-finite entries");
    }
    double[] packed = a.data().clone();
    double[] tau = new double[m];
    if (m > 0) {
      householder(n, m, packed, tau);
    }
    double[] rData = new double[m * m];
    for (int j = 0; j < m; j++) {
      for (int i = 0; i <= j; i++) {
        rData[i + j * m] = packed[i + j * n];
      }
    }
    if (m > 0) {
      formQ(n, m, packed, tau);
    }
    return new QrDecomposition(new ColumnMatrix(n, m, packed), new ColumnMatrix(m, m, rData));
  }

  /**
   * Returns a new {@code n x m} matrix whose orthonormal columns span the columns of {@code a}
   * (the {@code Q} of its thin QR; {@code orth(A)} in Halko et al.). {@code a} not modified.
   */
  public static ColumnMatrix orthonormalBasis(ColumnMatrix a) {
    return of(a).q;
  }

  /** {@code Q}, {@code n x m}, orthonormal columns. A copy. */
  public ColumnMatrix q() {
    return q.copy();
  }

  /** {@code R}, {@code m x m}, upper triangular (zeros below the diagonal). A copy. */
  public ColumnMatrix r() {
    return r.copy();
  }

  /** {@code dgeqrf} with a workspace query; {@code a} and {@code tau} modified. */
  private static void householder(int n, int m, double[] a, double[] tau) {
    LAPACK lapack = LAPACK.getInstance();
    intW info = new intW(0);
    double[] query = new double[1];
    lapack.dgeqrf(n, m, a, n, tau, query, -1, info);
    int lwork = Math.max(m, (int) query[0]);
    lapack.dgeqrf(n, m, a, n, tau, new double[lwork], lwork, info);
    if (info.val != 0) {
      throw new IllegalStateException("dgeqrf failed with info = " + info.val);
    }
  }

  /** {@code dorgqr}: overwrites the reflectors in {@code a} with the thin {@code Q}. */
  private static void formQ(int n, int m, double[] a, double[] tau) {
    LAPACK lapack = LAPACK.getInstance();
    intW info = new intW(0);
    double[] query = new double[1];
    lapack.dorgqr(n, m, m, a, n, tau, query, -1, info);
    int lwork = Math.max(m, (int) query[0]);
    lapack.dorgqr(n, m, m, a, n, tau, new double[lwork], lwork, info);
    if (info.val != 0) {
      throw new IllegalStateException("dorgqr failed with info = " + info.val);
    }
  }
}
