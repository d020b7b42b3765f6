package dev.sparknewton.solvers;

import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.randomized.LowRankEigen;

/**
 * The randomized Nystrom preconditioner of Frangella, Tropp and Udell ("Randomized Nystrom
 * preconditioning", arXiv:2110.02820, 2021, eq. (5.3)) for {@code (A + mu I) x = b}, from a
 * rank-{@code k} approximation {@code A ~ U diag(l) U^T} ({@code U} {@code n x k} orthonormal,
 * {@code l_1 >= ... >= l_k >= 0}):
 *
 * <pre>  M^-1 = (l_k + mu) U (diag(l) + mu I)^-1 U^T + (I - U U^T)</pre>
 *
 * applied as {@code z = r + U diag((l_k + mu) / (l_i + mu) - 1) U^T r} ({@code O(n k)} flops, no
 * pass over the data). On the sketched subspace {@code M^-1} scales the top eigenvalues down to
 * about {@code l_k + mu}, and leaves the complement, where the curvature is at most about
 * {@code l_{k+1} + mu}, alone; Frangella et al., Theorem 5.1, bound the preconditioned condition
 * number by about {@code (l_k + mu + ||A - U diag(l) U^T||) / mu}.
 *
 * <p>Here {@code mu} is the ridge regularization. When the sketch is taken of the regularized
 * Hessian {@code H = H_data + lambda I} itself (as {@link NewtonCg} does: the solver sees only
 * {@code H}), the {@code l_i} already contain {@code lambda} and {@code mu} is only a guard that
 * keeps {@code l_k + mu > 0} for a Hessian whose sketch is rank-deficient. {@code M} is symmetric
 * positive definite with eigenvalues in {@code [1, (l_1 + mu) / (l_k + mu)]}. Immutable.
 */
public final class NystromPreconditioner implements CgPreconditioner {
  private final ColumnMatrix vectors;
  private final double[] factors;
  private final double[] eigenvalues;

  private NystromPreconditioner(ColumnMatrix vectors, double[] factors, double[] eigenvalues) {
    this.vectors = vectors;
    this.factors = factors;
    this.eigenvalues = eigenvalues;
  }

  /**
   * @param eigen {@code U diag(l) U^T} with {@code l} non-negative and decreasing (a Nystrom
   *     approximation); rank 0 gives the identity. Not modified.
   * @param mu the shift, {@code >= 0}, with {@code l_k + mu > 0}
   */
  public static NystromPreconditioner of(LowRankEigen eigen, double mu) {
    double[] l = eigen.values();
    int k = l.length;
    if (!(mu >= 0.0) || Double.isInfinite(mu)) {
      throw new IllegalArgumentException("mu must be finite and >= 0, got " + mu);
    }
    double[] factors = new double[k];
    if (k == 0) {
      return new NystromPreconditioner(eigen.vectors(), factors, l);
    }
    double smallest = l[k - 1] + mu;
    if (!(smallest > 0.0) || Double.isInfinite(smallest)) {
      throw new IllegalArgumentException(
          "l_k + mu must be finite and > 0, got l_k = " + l[k - 1] + ", mu = " + mu);
    }
    for (int i = 0; i < k; i++) {
      if (!(l[i] + mu >= smallest)) {
        throw new IllegalArgumentException("eigenvalues must be finite and decreasing, got l_"
            + (i + 1) + " = " + l[i] + " < l_k = " + l[k - 1]);
      }
      factors[i] = smallest / (l[i] + mu) - 1.0;
    }
    return new NystromPreconditioner(eigen.vectors(), factors, l);
  }

  /** The eigenvalues {@code l} of the sketch it was built from, a copy. */
  public double[] eigenvalues() {
    return eigenvalues.clone();
  }

  @Override
  public int dimension() {
    return vectors.rows();
  }

  @Override
  public void solve(double[] r, double[] z) {
    int n = vectors.rows();
    if (r.length != n || z.length != n) {
      throw new IllegalArgumentException("preconditioner has dimension " + n
          + ", vectors have " + r.length + " and " + z.length + " entries");
    }
    double[] c = vectors.transposeMultiply(r);
    for (int i = 0; i < c.length; i++) {
      c[i] *= factors[i];
    }
    double[] correction = vectors.multiply(c);
    for (int j = 0; j < n; j++) {
      z[j] = r[j] + correction[j];
    }
  }
}
