package dev.sparknewton.randomized;

import dev.sparknewton.linalg.ColumnMatrix;
import java.util.Arrays;

/**
 * A rank-{@code k} symmetric approximation {@code H ~ U diag(lambda) U^T}: {@code U} is
 * {@code n x k} with orthonormal columns, the eigenvalues are sorted by decreasing
 * {@code |lambda|} (Rayleigh-Ritz keeps negative ones; Nystrom's are {@code >= 0}). Immutable: the
 * accessors return copies.
 *
 * @param vectors {@code U}, {@code n x k}
 * @param values {@code lambda}, length {@code k}
 * @param estimatedError an estimate of {@code ||H - U diag(lambda) U^T||} in the spectral norm:
 *     {@code 10 sqrt(2/pi) max_i ||(H - U diag(lambda) U^T) w_i||} over {@code r} Gaussian probes
 *     {@code w_i} drawn independently of {@code U} (Halko, Martinsson, Tropp 2011, Lemma 4.1 and
 *     eq. (4.3)), an upper bound with probability {@code >= 1 - 10^-r}; see {@link
 *     RandomizedEigensolver} for which probes each mode uses
 * @param passes block products of {@code H} used, including a product supplied by the caller
 */
public record LowRankEigen(
    ColumnMatrix vectors, double[] values, double estimatedError, int passes) {

  public LowRankEigen {
    if (vectors.cols() != values.length) {
      throw new IllegalArgumentException(
          vectors + " has " + vectors.cols() + " columns but there are " + values.length
              + " eigenvalues");
    }
    vectors = vectors.copy();
    values = values.clone();
  }

  /** {@code n}. */
  public int dimension() {
    return vectors.rows();
  }

  /** {@code k}. */
  public int rank() {
    return values.length;
  }

  /** {@code U}, a copy. */
  @Override
  public ColumnMatrix vectors() {
    return vectors.copy();
  }

  /** {@code lambda}, a copy. */
  @Override
  public double[] values() {
    return values.clone();
  }

  /** Returns a new vector {@code U diag(lambda) U^T v}. {@code v} not modified. */
  public double[] apply(double[] v) {
    double[] c = vectors.transposeMultiply(v);
    for (int j = 0; j < c.length; j++) {
      c[j] *= values[j];
    }
    return vectors.multiply(c);
  }

  /** {@code trace(U diag(lambda) U^T) = sum_j lambda_j}. */
  public double trace() {
    double s = 0.0;
    for (double l : values) {
      s += l;
    }
    return s;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LowRankEigen e && e.passes == passes
        && Double.compare(e.estimatedError, estimatedError) == 0
        && Arrays.equals(e.values, values) && e.vectors.rows() == vectors.rows()
        && Arrays.equals(e.vectors.data(), vectors.data());
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(values) + Arrays.hashCode(vectors.data());
  }

  @Override
  public String toString() {
    return "LowRankEigen(n = " + dimension() + ", k = " + rank() + ", values = "
        + Arrays.toString(values) + ", estimatedError = " + estimatedError + ", passes = "
        + passes + ")";
  }
}
