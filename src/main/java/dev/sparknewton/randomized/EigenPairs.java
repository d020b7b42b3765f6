package dev.sparknewton.randomized;

import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.MatrixProducts;
import dev.sparknewton.linalg.Vectors;

/**
 * Working form of {@code U diag(lambda) U^T} inside the eigensolver: {@code U} ({@code n x m},
 * orthonormal columns) and {@code lambda} sorted by decreasing {@code |lambda|}. Not copied;
 * package-private.
 */
record EigenPairs(ColumnMatrix vectors, double[] values) {

  /**
   * Halko, Martinsson, Tropp 2011, eq. (4.3): with {@code r} standard Gaussian vectors
   * {@code w_i} independent of a matrix {@code E}, {@code ||E|| <= 10 sqrt(2/pi) max_i ||E w_i||}
   * with probability at least {@code 1 - 10^-r} (Lemma 4.1 with {@code alpha = 10}).
   */
  static final double ERROR_ESTIMATE_FACTOR = 10.0 * Math.sqrt(2.0 / Math.PI);

  /** The first {@code k} pairs (all of them when {@code k >= m}). */
  EigenPairs leading(int k) {
    int m = values.length;
    if (k >= m) {
      return this;
    }
    int n = vectors.rows();
    double[] u = new double[n * k];
    System.arraycopy(vectors.data(), 0, u, 0, n * k);
    double[] l = new double[k];
    System.arraycopy(values, 0, l, 0, k);
    return new EigenPairs(new ColumnMatrix(n, k, u), l);
  }

  /**
   * {@code ERROR_ESTIMATE_FACTOR * max_i ||H w_i - U diag(lambda) U^T w_i||}, the probabilistic
   * bound of {@code ||H - U diag(lambda) U^T||}; {@code w_i} must not have been used to build
   * {@code U}.
   *
   * @param probes the {@code w_i}, {@code n x r}. Not modified.
   * @param images {@code H w_i}, {@code n x r}. Not modified.
   */
  double errorBound(ColumnMatrix probes, ColumnMatrix images) {
    ColumnMatrix c = MatrixProducts.transposeTimes(vectors, probes);
    int k = values.length;
    for (int j = 0; j < c.cols(); j++) {
      for (int i = 0; i < k; i++) {
        c.set(i, j, c.get(i, j) * values[i]);
      }
    }
    ColumnMatrix approx = MatrixProducts.times(vectors, c);
    double worst = 0.0;
    for (int j = 0; j < probes.cols(); j++) {
      worst = Math.max(worst, Vectors.norm(Vectors.plus(images.column(j), -1.0, approx.column(j))));
    }
    return ERROR_ESTIMATE_FACTOR * worst;
  }

  LowRankEigen toResult(double estimatedError, int passes) {
    return new LowRankEigen(vectors, values, estimatedError, passes);
  }
}
