package dev.sparknewton.solvers;

/**
 * A symmetric positive definite preconditioner {@code M} ({@code n x n}) for {@link
 * ConjugateGradient}, seen only through {@code z = M^-1 r}. Implementations: {@link
 * DiagonalPreconditioner} (the guarded Hessian diagonal, or the identity) and {@link
 * NystromPreconditioner} (a randomized low-rank approximation of the Hessian).
 */
public interface CgPreconditioner {
  /** {@code n}. */
  int dimension();

  /**
   * {@code z = M^-1 r}.
   *
   * @param r length {@code n}. Not modified.
   * @param z length {@code n}, distinct from {@code r}. Modified.
   */
  void solve(double[] r, double[] z);
}
