package dev.sparknewton.ml.inference;

import org.apache.commons.math3.special.Beta;
import org.apache.commons.math3.special.Erf;

/**
 * Two-sided p-values {@code P(|T| >= |s|)} of a Wald statistic {@code s}, as upper tails computed
 * directly (Apache Commons Math 3, which Spark ships):
 *
 * <ul>
 *   <li>standard normal: {@code erfc(|z| / sqrt 2)};
 *   <li>Student's t with {@code nu} degrees of freedom:
 *       {@code I_{nu / (nu + t^2)}(nu / 2, 1 / 2)}, the regularized incomplete beta function
 *       (Abramowitz and Stegun 26.7.1 with 26.5.27).
 * </ul>
 *
 * GLR computes the same numbers as {@code 2 (1 - cdf(|s|))}, which cancels to an absolute error
 * of about {@code 1e-16}: its p-values below about {@code 1e-10} keep fewer than six digits, these
 * keep them all.
 */
final class WaldPValues {
  private WaldPValues() {}

  /** {@code P(|Z| >= |z|)}, {@code Z} standard normal; NaN for NaN. */
  static double normal(double z) {
    return Erf.erfc(Math.abs(z) / Math.sqrt(2.0));
  }

  /**
   * {@code P(|T| >= |t|)}, {@code T} Student's t with {@code nu > 0} degrees of freedom; NaN for
   * NaN.
   */
  static double studentT(double t, double nu) {
    if (!(nu > 0.0)) {
      throw new IllegalArgumentException("degrees of freedom must be > 0, got " + nu);
    }
    if (Double.isNaN(t)) {
      return Double.NaN;
    }
    if (Double.isInfinite(t)) {
      return 0.0;
    }
    return Beta.regularizedBeta(nu / (nu + t * t), 0.5 * nu, 0.5);
  }
}
