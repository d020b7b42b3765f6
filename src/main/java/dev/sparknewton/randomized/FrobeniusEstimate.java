package dev.sparknewton.randomized;

import dev.sparknewton.linalg.ColumnMatrix;

/**
 * An estimate of {@code ||H||_F^2} for a symmetric {@code n x n} {@code H} seen only through
 * products, from {@code m} standard Gaussian probes {@code g_i} (Hutchinson's estimator applied
 * to {@code H^2}):
 *
 * <pre>  F^2_est = (1/m) sum_i ||H g_i||^2,   E[||H g||^2] = trace(H^T H) = ||H||_F^2.</pre>
 *
 * With {@code H = V diag(lambda) V^T} and {@code z = V^T g} standard Gaussian,
 * {@code ||H g||^2 = sum_j lambda_j^2 z_j^2}, so {@code Var ||H g||^2 = 2 sum_j lambda_j^4
 * <= 2 (sum_j lambda_j^2)^2}: the relative standard error of the mean of {@code m} probes is at
 * most {@code sqrt(2/m)} (attained when one eigenvalue dominates, {@code 1/sqrt(n)}-times smaller
 * for a flat spectrum). See Avron, Toledo, "Randomized algorithms for estimating the trace of an
 * implicit symmetric positive semi-definite matrix", J. ACM 58(2), 2011.
 *
 * @param squaredNorm {@code F^2_est}
 * @param relativeStandardError the bound {@code sqrt(2/m)} on {@code sd(F^2_est) / ||H||_F^2}
 * @param probes {@code m}
 */
public record FrobeniusEstimate(double squaredNorm, double relativeStandardError, int probes) {

  /**
   * @param probes the {@code g_i}, {@code n x m} standard Gaussian, drawn independently of
   *     {@code H}. Not modified.
   * @param images {@code H g_i}, {@code n x m}. Not modified.
   */
  public static FrobeniusEstimate fromProbes(ColumnMatrix probes, ColumnMatrix images) {
    int m = probes.cols();
    if (m < 1 || images.cols() != m || images.rows() != probes.rows()) {
      throw new IllegalArgumentException(
          "expected at least one probe and images of the same shape, got " + probes + " and "
              + images);
    }
    double[] y = images.data();
    double sum = 0.0;
    for (int k = 0; k < y.length; k++) {
      sum += y[k] * y[k];
    }
    return new FrobeniusEstimate(sum / m, Math.sqrt(2.0 / m), m);
  }
}
