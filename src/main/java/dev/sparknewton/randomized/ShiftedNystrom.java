package dev.sparknewton.randomized;

import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.MatrixProducts;
import dev.sparknewton.linalg.QrDecomposition;
import dev.sparknewton.linalg.SymmetricEigen;
import dev.sparknewton.linalg.Vectors;
import java.util.Optional;

/**
 * The numerically stable Nystrom approximation of a positive semidefinite {@code H} from a sketch
 * {@code Y = H Omega} (Frangella, Tropp, Udell, "Randomized Nystrom preconditioning", 2021,
 * Alg. 3; Tropp, Yurtsever, Udell, Cevher 2017, Alg. 3):
 *
 * <pre>
 *   nu    = eps ||Y||_F                      shift, so that the small Gram matrix is definite
 *   Y_nu  = Y + nu Omega                     = (H + nu I) Omega
 *   M     = Omega^T Y_nu                     l x l, symmetric positive (semi)definite
 *   B     = Y_nu M^{-1/2}                    so that B B^T = (H + nu I)&lt;Omega&gt;, the Nystrom
 *                                            approximation of H + nu I
 *   B     = Q_B R_B,  R_B R_B^T = W S W^T    thin QR, then a small eigenproblem (= SVD of B)
 *   U     = Q_B W,    Lambda = max(S - nu, 0)
 * </pre>
 *
 * The papers use a Cholesky factor of {@code M} where this uses its eigendecomposition: the same
 * {@code B B^T}, and eigenvalues of {@code M} at rounding level (an operator that is only
 * semidefinite, or slightly indefinite, on the sketch) are dropped instead of failing the
 * factorization. The Nystrom approximation depends only on the range of {@code Omega}, so
 * {@code Omega} need not be orthonormal; an orthonormal one keeps {@code M} well conditioned.
 */
final class ShiftedNystrom {
  /** Unit roundoff of IEEE double, {@code 2^-52}. */
  private static final double EPS = Math.ulp(1.0);

  private ShiftedNystrom() {}

  /**
   * @param omega {@code n x l}, full column rank. Not modified.
   * @param y {@code H Omega}, {@code n x l}, finite. Not modified.
   * @return all (up to {@code l}) eigenpairs, values {@code >= 0} in decreasing order, or empty
   *     when a small eigenproblem fails to converge
   */
  static Optional<EigenPairs> decompose(ColumnMatrix omega, ColumnMatrix y) {
    int n = y.rows();
    int l = y.cols();
    double nu = EPS * Vectors.norm(y.data());
    ColumnMatrix yNu = y.copy();
    Vectors.axpy(nu, omega.data(), yNu.data());
    ColumnMatrix m = MatrixProducts.transposeTimes(omega, yNu);
    Optional<SymmetricEigen> gram =
        SymmetricEigen.of(MatrixProducts.symmetricPart(m), SymmetricEigen.Order.DESCENDING);
    if (gram.isEmpty()) {
      return Optional.empty();
    }
    double[] d = gram.get().values();
    ColumnMatrix v = gram.get().vectors();
    double floor = l * EPS * Math.max(0.0, d.length == 0 ? 0.0 : d[0]);
    int kept = 0;
    while (kept < l && d[kept] > floor) {
      kept++;
    }
    if (kept == 0) {
      return Optional.of(new EigenPairs(ColumnMatrix.zeros(n, 0), new double[0]));
    }
    ColumnMatrix inverseRoot = ColumnMatrix.zeros(l, kept);
    for (int j = 0; j < kept; j++) {
      double s = 1.0 / Math.sqrt(d[j]);
      for (int i = 0; i < l; i++) {
        inverseRoot.set(i, j, v.get(i, j) * s);
      }
    }
    QrDecomposition qr = QrDecomposition.of(MatrixProducts.times(yNu, inverseRoot));
    ColumnMatrix r = qr.r();
    ColumnMatrix rrt = MatrixProducts.times(r, MatrixProducts.transpose(r));
    Optional<SymmetricEigen> small =
        SymmetricEigen.of(MatrixProducts.symmetricPart(rrt), SymmetricEigen.Order.DESCENDING);
    if (small.isEmpty()) {
      return Optional.empty();
    }
    double[] values = small.get().values();
    for (int j = 0; j < values.length; j++) {
      values[j] = Math.max(values[j] - nu, 0.0);
    }
    return Optional.of(new EigenPairs(MatrixProducts.times(qr.q(), small.get().vectors()), values));
  }
}
