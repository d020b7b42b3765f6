package dev.sparknewton.linalg;

import dev.ludovic.netlib.lapack.LAPACK;
import java.util.Optional;
import org.netlib.util.intW;

/**
 * All eigenpairs {@code A = V diag(l) V^T} of a small symmetric {@code m x m} matrix by LAPACK's
 * divide-and-conquer {@code dsyevd}, sorted in the order the caller asks for. {@code V} has
 * orthonormal columns; column {@code j} belongs to {@code values()[j]}.
 */
public final class SymmetricEigen {
  /** How the eigenpairs are ordered. */
  public enum Order {
    /** {@code l_1 <= l_2 <= ...} (LAPACK's own order). */
    ASCENDING,
    /** {@code l_1 >= l_2 >= ...}. */
    DESCENDING,
    /** {@code |l_1| >= |l_2| >= ...}; ties keep the larger signed value first. */
    DESCENDING_MAGNITUDE
  }

  private final double[] values;
  private final ColumnMatrix vectors;

  private SymmetricEigen(double[] values, ColumnMatrix vectors) {
    this.values = values;
    this.vectors = vectors;
  }

  /**
   * Decomposes {@code a}, or returns empty when an entry is not finite or {@code dsyevd} does not
   * converge (a numerical outcome the caller turns into a termination).
   *
   * @param a a symmetric {@code m x m} matrix; only its lower triangle is read. Not modified.
   */
  public static Optional<SymmetricEigen> of(ColumnMatrix a, Order order) {
    if (a.rows() != a.cols()) {
      throw new IllegalArgumentException("eigendecomposition needs a square matrix, got " + a);
    }
    if (!Vectors.allFinite(a.data())) {
      return Optional.empty();
    }
    int m = a.rows();
    double[] v = a.data().clone();
    double[] w = new double[m];
    if (m > 0 && !dsyevd(m, v, w)) {
      return Optional.empty();
    }
    int[] perm = permutation(w, order);
    double[] values = new double[m];
    double[] sorted = new double[m * m];
    for (int j = 0; j < m; j++) {
      values[j] = w[perm[j]];
      System.arraycopy(v, perm[j] * m, sorted, j * m, m);
    }
    return Optional.of(new SymmetricEigen(values, new ColumnMatrix(m, m, sorted)));
  }

  /** The eigenvalues in the requested order. A copy. */
  public double[] values() {
    return values.clone();
  }

  /** The eigenvectors as columns, in the order of {@link #values()}. A copy. */
  public ColumnMatrix vectors() {
    return vectors.copy();
  }

  /** {@code dsyevd("V", "L")} with workspace queries; {@code a} and {@code w} modified. */
  private static boolean dsyevd(int m, double[] a, double[] w) {
    LAPACK lapack = LAPACK.getInstance();
    intW info = new intW(0);
    double[] work = new double[1];
    int[] iwork = new int[1];
    lapack.dsyevd("V", "L", m, a, m, w, work, -1, iwork, -1, info);
    int lwork = Math.max(1 + 6 * m + 2 * m * m, (int) work[0]);
    int liwork = Math.max(3 + 5 * m, iwork[0]);
    lapack.dsyevd("V", "L", m, a, m, w, new double[lwork], lwork, new int[liwork], liwork, info);
    if (info.val < 0) {
      throw new IllegalStateException("dsyevd rejected argument " + (-info.val));
    }
    return info.val == 0;
  }

  /** Positions of the ascending {@code w} in the requested order (insertion sort: m is small). */
  private static int[] permutation(double[] w, Order order) {
    int m = w.length;
    int[] perm = new int[m];
    for (int j = 0; j < m; j++) {
      perm[j] = order == Order.ASCENDING ? j : m - 1 - j;
    }
    if (order == Order.DESCENDING_MAGNITUDE) {
      for (int j = 1; j < m; j++) {
        int p = perm[j];
        int i = j - 1;
        while (i >= 0 && Math.abs(w[perm[i]]) < Math.abs(w[p])) {
          perm[i + 1] = perm[i];
          i--;
        }
        perm[i + 1] = p;
      }
    }
    return perm;
  }
}
