package dev.sparknewton.ml.inference;

import dev.sparknewton.linalg.Cholesky;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.MatrixProducts;
import dev.sparknewton.objective.CurvatureOperator;
import dev.sparknewton.randomized.LowRankEigen;
import dev.sparknewton.randomized.RandomizedEigenConfig;
import dev.sparknewton.randomized.RandomizedEigensolver;
import java.util.Arrays;
import java.util.Optional;

/**
 * An estimate of {@code diag(H^-1)} for a symmetric positive definite {@code P x P} matrix
 * {@code H} seen only through block products (one pass each) and its exact diagonal
 * {@code h = diag(H)}, in {@code O(P k^2)} flops and {@code O(P k)} memory beyond the products:
 *
 * <ol>
 *   <li><b>Jacobi scaling.</b> {@code A = S H S} with {@code S = diag(h)^{-1/2}} has unit
 *       diagonal, and {@code (H^-1)_jj = (A^-1)_jj / h_jj}; {@code (A^-1)_jj} is the variance
 *       inflation factor {@code 1 / (1 - R_j^2)} of parameter {@code j}. The sketch is spent on
 *       the correlations that make {@code (A^-1)_jj} differ from 1, not on the scales of the
 *       features (an unscaled sketch of features whose scales decay captures the largest-scale
 *       ones and nothing of their correlations).
 *   <li><b>Nystrom sketch</b> {@code A ~ U L U^T} ({@link RandomizedEigensolver}, {@code k}
 *       eigenpairs, one pass plus one per power iteration); eigenvalues at or below
 *       {@code EIGENVALUE_FLOOR * l_1} are dropped (their directions fall to {@code D}).
 *   <li><b>Diagonal correction.</b> The residual {@code E = A - U L U^T} (positive semidefinite
 *       for a Nystrom approximation) is replaced by its diagonal
 *       {@code D = max(1 - diag(U L U^T), RESIDUAL_FLOOR)} (entrywise).
 *   <li><b>Inversion</b>, by one of two forms:
 *       <ul>
 *         <li>{@link Form#WOODBURY}: {@code diag((D + U L U^T)^-1)} by the Sherman-Morrison-
 *             Woodbury identity with {@code B = U L^{1/2}}, {@code G = D^-1 B},
 *             {@code C = I + B^T G}: {@code diag = 1 / D - rowsum(G C^-1 .* G)};
 *         <li>{@link Form#DEFLATED}: {@code diag(U L^-1 U^T + (I - U U^T) D^-1 (I - U U^T))}, the
 *             exact inverse on the sketched subspace when it is invariant and {@code D^-1} on its
 *             complement: with {@code u_j} row {@code j} of {@code U} and
 *             {@code T = U^T D^-1 U},
 *             {@code diag_j = u_j^T L^-1 u_j + (1 - 2 |u_j|^2) / D_j + u_j^T T u_j}.
 *       </ul>
 * </ol>
 *
 * With a full-rank sketch ({@code k = P} eigenpairs kept) both are {@code U L^-1 U^T}, exact up
 * to rounding (the deflated form has {@code I - U U^T = 0}; Woodbury takes its limit
 * {@code D -> 0}, since {@code E = 0}). The accuracy of both at partial rank is measured in
 * docs/inference.md: on the generated problems they are within about 10% of each other's error
 * (on a9a each wins on one of median and maximum), and both work only while the residual is close
 * to diagonal, i.e. for {@code k} well below {@code P}.
 *
 * <p>References: Halko, Martinsson, Tropp 2011 and Frangella, Tropp, Udell 2021 (the sketch);
 * Golub and Van Loan, "Matrix Computations", 4th ed., 2.1.4 (the Woodbury identity).
 */
final class LowRankInverseDiagonal {
  /** How the low-rank-plus-diagonal approximation is inverted. */
  enum Form {
    WOODBURY,
    DEFLATED
  }

  /**
   * Lower bound of {@code D_j} (the scaled diagonal is 1): {@code sqrt(eps)}, half the digits,
   * balancing the cancellation in {@code 1 / D_j - ...} (relative error {@code eps / floor})
   * against the bias a larger floor adds.
   */
  static final double RESIDUAL_FLOOR = Math.sqrt(Math.ulp(1.0));
  /** Eigenvalues of the sketch kept: above this fraction of the largest (rounding level). */
  static final double EIGENVALUE_FLOOR = 1e-14;

  /**
   * @param inverseDiagonal the estimate of {@code diag(H^-1)}
   * @param rank eigenpairs of the sketch used
   * @param passes block products of {@code H}
   * @param sketchError the eigensolver's probabilistic bound of {@code ||A - U L U^T||} for the
   *     Jacobi-scaled {@code A} (unit diagonal, so on the scale of 1)
   */
  record Estimate(double[] inverseDiagonal, int rank, int passes, double sketchError) {}

  private LowRankInverseDiagonal() {}

  /**
   * @param h {@code H}, positive definite. Not modified.
   * @param diagonal {@code diag(H)}, length {@code P}. Not modified.
   * @param sketch the Nystrom eigensolver's settings ({@code rank <= P})
   * @return the estimate, or empty when some {@code h_jj <= 0} or is not finite ({@code H} is
   *     not positive definite) or the sketch fails numerically
   */
  static Optional<Estimate> estimate(CurvatureOperator h, double[] diagonal,
      RandomizedEigenConfig sketch, Form form) {
    int p = diagonal.length;
    if (h.dimension() != p) {
      throw new IllegalArgumentException("operator of dimension " + h.dimension()
          + " for a diagonal of length " + p);
    }
    if (sketch.method() != RandomizedEigenConfig.Method.NYSTROM) {
      throw new IllegalArgumentException("the inverse diagonal needs a Nystrom sketch, got "
          + sketch.method());
    }
    double[] scale = new double[p];
    for (int j = 0; j < p; j++) {
      if (!(diagonal[j] > 0.0) || Double.isInfinite(diagonal[j])) {
        return Optional.empty();
      }
      scale[j] = 1.0 / Math.sqrt(diagonal[j]);
    }
    Optional<LowRankEigen> eig =
        new RandomizedEigensolver(sketch).decompose(new JacobiScaled(h, scale));
    if (eig.isEmpty()) {
      return Optional.empty();
    }
    double[] all = eig.get().values();
    int m = 0;
    while (m < all.length && all[m] > EIGENVALUE_FLOOR * all[0]) {
      m++;
    }
    ColumnMatrix u = new ColumnMatrix(p, m, Arrays.copyOf(eig.get().vectors().data(), p * m));
    double[] l = Arrays.copyOf(all, m);
    double[] d = residualDiagonal(u, l);
    double[] scaled = form == Form.WOODBURY ? woodbury(u, l, d) : deflated(u, l, d);
    for (int j = 0; j < p; j++) {
      scaled[j] *= scale[j] * scale[j];
    }
    return Optional.of(
        new Estimate(scaled, m, eig.get().passes(), eig.get().estimatedError()));
  }

  /** {@code A = S H S} for a diagonal {@code S}, through the products of {@code H}. */
  private static final class JacobiScaled implements CurvatureOperator {
    private final CurvatureOperator h;
    private final double[] s;

    JacobiScaled(CurvatureOperator h, double[] s) {
      this.h = h;
      this.s = s;
    }

    @Override
    public int dimension() {
      return s.length;
    }

    @Override
    public boolean productsArePasses() {
      return h.productsArePasses();
    }

    @Override
    public double[] hessianVectorProduct(double[] v) {
      return hessianBlockProduct(ColumnMatrix.ofColumns(v)).data();
    }

    @Override
    public ColumnMatrix hessianBlockProduct(ColumnMatrix v) {
      ColumnMatrix out = h.hessianBlockProduct(scaleRows(v.copy()));
      return scaleRows(out);
    }

    @Override
    public ColumnMatrix denseHessian() {
      return scaleRows(MatrixProducts.transpose(scaleRows(h.denseHessian())));
    }

    /** Multiplies row {@code j} of {@code a} by {@code s_j}; returns {@code a}, modified. */
    private ColumnMatrix scaleRows(ColumnMatrix a) {
      int p = s.length;
      double[] x = a.data();
      for (int c = 0; c < a.cols(); c++) {
        for (int j = 0, at = c * p; j < p; j++, at++) {
          x[at] *= s[j];
        }
      }
      return a;
    }
  }

  /** {@code max(1 - diag(U L U^T), RESIDUAL_FLOOR)}. */
  private static double[] residualDiagonal(ColumnMatrix u, double[] l) {
    int p = u.rows();
    double[] d = new double[p];
    Arrays.fill(d, 1.0);
    double[] a = u.data();
    for (int i = 0; i < l.length; i++) {
      for (int j = 0, at = i * p; j < p; j++, at++) {
        d[j] -= l[i] * a[at] * a[at];
      }
    }
    for (int j = 0; j < p; j++) {
      d[j] = Math.max(d[j], RESIDUAL_FLOOR);
    }
    return d;
  }


  private static double[] woodbury(ColumnMatrix u, double[] l, double[] d) {
    int p = d.length;
    int m = l.length;
    if (m == p) {
      // A full-rank sketch leaves E = 0 (D is only the floor): the limit D -> 0 of the Woodbury
      // form is U L^-1 U^T, which is what the deflated form computes.
      return deflated(u, l, d);
    }
    ColumnMatrix b = u.copy();
    ColumnMatrix g = u.copy();
    for (int i = 0; i < m; i++) {
      double s = Math.sqrt(l[i]);
      for (int j = 0, at = i * p; j < p; j++, at++) {
        b.data()[at] *= s;
        g.data()[at] = b.data()[at] / d[j];
      }
    }
    ColumnMatrix c = MatrixProducts.symmetricPart(MatrixProducts.transposeTimes(b, g));
    c.addToDiagonal(1.0);
    ColumnMatrix f = MatrixProducts.times(g, inverse(c));
    double[] out = new double[p];
    for (int j = 0; j < p; j++) {
      out[j] = 1.0 / d[j];
    }
    for (int i = 0; i < m; i++) {
      for (int j = 0, at = i * p; j < p; j++, at++) {
        out[j] -= f.data()[at] * g.data()[at];
      }
    }
    return out;
  }

  private static double[] deflated(ColumnMatrix u, double[] l, double[] d) {
    int p = d.length;
    int m = l.length;
    ColumnMatrix scaled = u.copy();
    for (int i = 0; i < m; i++) {
      for (int j = 0, at = i * p; j < p; j++, at++) {
        scaled.data()[at] /= d[j];
      }
    }
    ColumnMatrix s = MatrixProducts.symmetricPart(MatrixProducts.transposeTimes(u, scaled));
    ColumnMatrix t = MatrixProducts.times(u, s);
    double[] norms = new double[p];
    double[] out = new double[p];
    double[] a = u.data();
    for (int i = 0; i < m; i++) {
      for (int j = 0, at = i * p; j < p; j++, at++) {
        norms[j] += a[at] * a[at];
        out[j] += a[at] * a[at] / l[i] + a[at] * t.data()[at];
      }
    }
    for (int j = 0; j < p; j++) {
      out[j] += (1.0 - 2.0 * norms[j]) / d[j];
    }
    return out;
  }

  /** {@code C^-1} of a symmetric positive definite {@code C = I + B^T D^-1 B} (eigenvalues >= 1). */
  private static ColumnMatrix inverse(ColumnMatrix c) {
    int m = c.rows();
    Cholesky chol = Cholesky.factor(c).orElseThrow(() -> new IllegalStateException(
        "I + B^T D^-1 B is positive definite by construction, yet its Cholesky failed"));
    ColumnMatrix inv = ColumnMatrix.zeros(m, m);
    for (int i = 0; i < m; i++) {
      double[] e = new double[m];
      e[i] = 1.0;
      inv.setColumn(i, chol.solve(e));
    }
    return inv;
  }
}
