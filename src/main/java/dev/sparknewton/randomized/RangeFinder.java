package dev.sparknewton.randomized;

import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.QrDecomposition;
import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.CurvatureOperator;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Randomized range finder for a symmetric operator {@code H} ({@code n x n}), seen only through
 * block products: an {@code n x l} matrix {@code Q} with orthonormal columns such that
 * {@code ||(I - Q Q^T) H||} is close to the best possible with {@code l} columns.
 *
 * <ul>
 *   <li>Alg. 4.1: {@code Y = H Omega} for a Gaussian {@code n x l} {@code Omega},
 *       {@code Q = orth(Y)}.
 *   <li>Alg. 4.4 (subspace iteration): then {@code q} times {@code Q = orth(H Q)}, so the range
 *       is that of {@code H^{q+1} Omega}; one iteration of Alg. 4.4 (a product with {@code A^*},
 *       then {@code A}) is two of these for a symmetric {@code H}. Re-orthonormalized after every
 *       application, so that the columns do not all collapse onto the dominant eigenvector in
 *       floating point.
 * </ul>
 *
 * Each application of {@code H} to the whole block is one {@link
 * CurvatureOperator#hessianBlockProduct} call, i.e. one pass over the data: {@code 1 + q} passes.
 *
 * <p>Reference: Halko, Martinsson, Tropp. Finding structure with randomness: probabilistic
 * algorithms for constructing approximate matrix decompositions. SIAM Review 53(2), 2011.
 */
public final class RangeFinder {
  private RangeFinder() {}

  /**
   * Returns a new {@code n x cols} matrix of independent standard normal entries drawn from
   * {@code rng}, column by column. {@code rng} modified (advanced).
   */
  public static ColumnMatrix gaussian(int n, int cols, SplittableRandom rng) {
    if (n < 0 || cols < 0) {
      throw new IllegalArgumentException(
          "a Gaussian matrix needs n >= 0 and cols >= 0, got " + n + " x " + cols);
    }
    ColumnMatrix g = ColumnMatrix.zeros(n, cols);
    double[] data = g.data();
    for (int i = 0; i < data.length; i++) {
      data[i] = rng.nextGaussian();
    }
    return g;
  }

  /** {@link #gaussian(int, int, SplittableRandom)} from a new generator with {@code seed}. */
  public static ColumnMatrix gaussian(int n, int cols, long seed) {
    return gaussian(n, cols, new SplittableRandom(seed));
  }

  /**
   * Alg. 4.1 + 4.4 from scratch: {@code 1 + powerIterations} passes.
   *
   * @param columns {@code l = k + p}, at most {@code n}
   * @param seed the test matrix's seed; pass a fresh one for each call that must be independent
   * @return a new {@code n x l} matrix with orthonormal columns, or empty when a product of
   *     {@code H} has a non-finite entry
   */
  public static Optional<ColumnMatrix> orthonormalBasis(
      CurvatureOperator h, int columns, int powerIterations, long seed) {
    int n = h.dimension();
    if (columns < 1 || columns > n) {
      throw new IllegalArgumentException(
          "range finder columns must be in [1, " + n + "], got " + columns);
    }
    ColumnMatrix y = h.hessianBlockProduct(gaussian(n, columns, seed));
    return orthonormalBasis(h, y, powerIterations);
  }

  /**
   * Alg. 4.4 from an already computed {@code Y = H Omega} (for instance fused into a gradient
   * pass): {@code Q = orth(Y)}, then {@code powerIterations} times {@code Q = orth(H Q)}, one pass
   * each.
   *
   * @param y {@code H Omega}, {@code n x l} with {@code l <= n} and finite entries. Not modified.
   * @return a new {@code n x l} matrix with orthonormal columns, or empty when {@code y} or a
   *     later product of {@code H} has a non-finite entry
   */
  public static Optional<ColumnMatrix> orthonormalBasis(
      CurvatureOperator h, ColumnMatrix y, int powerIterations) {
    if (powerIterations < 0) {
      throw new IllegalArgumentException("powerIterations must be >= 0, got " + powerIterations);
    }
    ColumnMatrix image = y;
    for (int i = 0; ; i++) {
      if (!Vectors.allFinite(image.data())) {
        return Optional.empty();
      }
      ColumnMatrix q = QrDecomposition.orthonormalBasis(image);
      if (i == powerIterations) {
        return Optional.of(q);
      }
      image = h.hessianBlockProduct(q);
    }
  }
}
