package dev.sparknewton.solvers;

import dev.sparknewton.linalg.Vectors;

/**
 * A symmetric positive definite preconditioner {@code M} ({@code n x n}) for {@link
 * ConjugateGradient}, seen only through {@code z = M^-1 r}. Implementations: {@link
 * DiagonalPreconditioner} (the guarded Hessian diagonal, or the identity), {@link
 * SoftmaxDiagonalPreconditioner} (the diagonal corrected for a softmax model's class-sum
 * directions) and {@link NystromPreconditioner} (a randomized low-rank approximation of the
 * Hessian).
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

  /**
   * {@code z = M^-1 r}, returning {@code r.z} summed in index order ({@link Vectors#dot}'s value,
   * bit for bit); an implementation may fuse the two sweeps into one.
   *
   * @param r length {@code n}. Not modified.
   * @param z length {@code n}, distinct from {@code r}. Modified.
   */
  default double solveDot(double[] r, double[] z) {
    solve(r, z);
    return Vectors.dot(r, z);
  }

  /** Throws unless {@code r} and {@code z} both have {@code n} entries. */
  static void checkLengths(int n, double[] r, double[] z) {
    if (r.length != n || z.length != n) {
      throw new IllegalArgumentException("preconditioner has dimension " + n
          + ", vectors have " + r.length + " and " + z.length + " entries");
    }
  }
}
