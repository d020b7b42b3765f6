package dev.sparknewton.linalg;

import dev.ludovic.netlib.blas.BLAS;

/**
 * Thin QR factorization {@code A = Q R} of an {@code n x m} matrix with {@code m <= n} by
 * Householder reflections, blocked ({@link #householder}), then {@code Q} formed from them.
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
    // One spare column: netlib-java's BLAS checks a submatrix at offset o with leading dimension
    // n and c columns as if it spanned o + c n entries, past the end for the lower right blocks.
    double[] packed = java.util.Arrays.copyOf(a.data(), n * m + n);
    java.util.List<Panel> panels = householder(n, m, packed);
    double[] rData = new double[m * m];
    for (int j = 0; j < m; j++) {
      for (int i = 0; i <= j; i++) {
        rData[i + j * m] = packed[i + j * n];
      }
    }
    return new QrDecomposition(
        new ColumnMatrix(n, m, java.util.Arrays.copyOf(formQ(n, m, panels), n * m)),
        new ColumnMatrix(m, m, rData));
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

  /** Columns per panel of the blocked factorization. */
  static final int PANEL = 32;

  /**
   * Blocked Householder QR in the compact WY form (Schreiber and Van Loan 1989; the scheme of
   * LAPACK's {@code dgeqrf}/{@code dorgqr}): each panel of {@link #PANEL} columns is factored
   * column by column ({@link #factorPanel}), its reflectors {@code H_k ... H_{k+b-1} = I - V T V^T}
   * are accumulated in {@code T} ({@link #triangularFactor}), and the columns right of the panel
   * are updated by two {@code dgemm}s. Written here rather than called from LAPACK because the
   * pure-Java LAPACK Spark ships runs {@code dgeqrf} and {@code dorgqr} unblocked below 128
   * columns (level-2 BLAS only: on a 62,061 x 113 sketch, seconds per factorization), while
   * {@code dgemm} runs vectorized. On return {@code a} holds {@code R} on and above the diagonal
   * and {@code Q}'s reflectors below it; the returned panels form {@code Q} ({@link #formQ}).
   */
  private static java.util.List<Panel> householder(int n, int m, double[] a) {
    BLAS blas = BLAS.getInstance();
    java.util.List<Panel> panels = new java.util.ArrayList<>();
    for (int k = 0; k < m; k += PANEL) {
      int b = Math.min(PANEL, m - k);
      double[] tau = factorPanel(blas, n, a, k, b);
      int rows = n - k;
      double[] v = new double[rows * b];
      for (int j = 0; j < b; j++) {
        v[j + j * rows] = 1.0;
        System.arraycopy(a, (k + j + 1) + (k + j) * n, v, j + 1 + j * rows, rows - j - 1);
      }
      double[] t = triangularFactor(blas, rows, b, v, tau);
      int right = m - k - b;
      if (right > 0) {
        // A[k:n, k+b:m] -= V T^T (V^T A[k:n, k+b:m])
        double[] w = new double[b * right];
        blas.dgemm("T", "N", b, right, rows, 1.0, v, 0, rows, a, k + (k + b) * n, n,
            0.0, w, 0, b);
        blas.dtrmm("L", "U", "T", "N", b, right, 1.0, t, b, w, b);
        blas.dgemm("N", "N", rows, right, b, -1.0, v, 0, rows, w, 0, b,
            1.0, a, k + (k + b) * n, n);
      }
      panels.add(new Panel(k, b, v, t));
    }
    return panels;
  }

  /** One panel's reflectors: rows {@code k..n-1} of {@code V} (unit lower trapezoidal), {@code T}. */
  private record Panel(int k, int b, double[] v, double[] t) {}

  /**
   * Householder reflectors for columns {@code k..k+b-1} of {@code a} (rows {@code k..n-1}), each
   * applied to the panel's later columns: for column {@code j} with {@code x = A[j:n, j]},
   * {@code H_j = I - tau v v^T} with {@code v(0) = 1} maps {@code x} to {@code beta e_1},
   * {@code beta = -sign(x_0) ||x||} ({@code tau = 0} and {@code H_j = I} when {@code x} is zero
   * below its first entry, as LAPACK's {@code dlarfg}). Stores {@code beta} in {@code A[j, j]} and
   * {@code v(1:)} below it; returns the {@code tau}s.
   */
  private static double[] factorPanel(BLAS blas, int n, double[] a, int k, int b) {
    double[] tau = new double[b];
    double[] w = new double[b];
    for (int jj = 0; jj < b; jj++) {
      int j = k + jj;
      int diag = j + j * n;
      int len = n - j;
      double alpha = a[diag];
      double xnorm = len > 1 ? blas.dnrm2(len - 1, a, diag + 1, 1) : 0.0;
      if (xnorm == 0.0) {
        continue; // tau = 0: H_j = I
      }
      double beta = -Math.copySign(Math.hypot(alpha, xnorm), alpha);
      tau[jj] = (beta - alpha) / beta;
      blas.dscal(len - 1, 1.0 / (alpha - beta), a, diag + 1, 1);
      int later = b - jj - 1;
      if (later > 0) {
        // A[j:n, j+1:k+b] -= tau v (v^T A[j:n, j+1:k+b]), with v(0) = 1 stored in A[j, j].
        a[diag] = 1.0;
        blas.dgemv("T", len, later, 1.0, a, diag + n, n, a, diag, 1, 0.0, w, 0, 1);
        blas.dger(len, later, -tau[jj], a, diag, 1, w, 0, 1, a, diag + n, n);
      }
      a[diag] = beta;
    }
    return tau;
  }

  /**
   * The upper triangular {@code T} ({@code b x b}, column-major) with
   * {@code H_0 H_1 ... H_{b-1} = I - V T V^T} (LAPACK's {@code dlarft}, forward, columnwise):
   * {@code T(i, i) = tau_i}, {@code T(0:i, i) = -tau_i T(0:i, 0:i) V(:, 0:i)^T v_i}.
   *
   * @param v {@code rows x b}, unit lower trapezoidal (zeros above the diagonal stored)
   */
  private static double[] triangularFactor(BLAS blas, int rows, int b, double[] v, double[] tau) {
    double[] t = new double[b * b];
    for (int i = 0; i < b; i++) {
      t[i + i * b] = tau[i];
      if (i == 0 || tau[i] == 0.0) {
        continue;
      }
      // T(0:i, i) = -tau_i V(i:, 0:i)^T v_i(i:) (v_i is zero above row i), then T(0:i, 0:i) times it
      blas.dgemv("T", rows - i, i, -tau[i], v, i, rows, v, i + i * rows, 1, 0.0, t, i * b, 1);
      blas.dtrmv("U", "N", "N", i, t, 0, b, t, i * b, 1);
    }
    return t;
  }

  /**
   * The thin {@code Q = H_0 H_1 ... H_{m-1} [I_m; 0]} ({@code n x m}), applying the panels' block
   * reflectors last to first (LAPACK's {@code dorgqr}): panel {@code [k, k+b)} changes only rows
   * and columns {@code k..}, since the columns left of it are still unit vectors there.
   */
  private static double[] formQ(int n, int m, java.util.List<Panel> panels) {
    BLAS blas = BLAS.getInstance();
    double[] q = new double[n * m + n]; // a spare column, as in of()
    for (int j = 0; j < m; j++) {
      q[j + j * n] = 1.0;
    }
    for (int p = panels.size() - 1; p >= 0; p--) {
      Panel panel = panels.get(p);
      int k = panel.k();
      int b = panel.b();
      int rows = n - k;
      int cols = m - k;
      // Q[k:n, k:m] -= V T (V^T Q[k:n, k:m])
      double[] w = new double[b * cols];
      blas.dgemm("T", "N", b, cols, rows, 1.0, panel.v(), 0, rows, q, k + k * n, n, 0.0, w, 0, b);
      blas.dtrmm("L", "U", "N", "N", b, cols, 1.0, panel.t(), b, w, b);
      blas.dgemm("N", "N", rows, cols, b, -1.0, panel.v(), 0, rows, w, 0, b, 1.0, q, k + k * n, n);
    }
    return q;
  }
}
