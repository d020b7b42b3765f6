package dev.sparknewton.randomized;

/**
 * The leading eigenpairs of a (sub-sampled) Hessian and how much of it they capture.
 *
 * @param eigen the rank-{@code k} part {@code U diag(lambda) U^T}
 * @param trace {@code trace(H)}
 * @param traceSource how {@link #trace} was obtained
 * @param frobeniusSquared {@code ||H||_F^2}, exact or estimated
 * @param frobeniusSource how {@link #frobeniusSquared} was obtained
 * @param frobeniusRelativeError 0 when exact; otherwise the bound {@code sqrt(2/m)} on the
 *     relative standard error of the estimate ({@link FrobeniusEstimate})
 */
public record HessianSpectrum(
    LowRankEigen eigen, double trace, String traceSource, double frobeniusSquared,
    String frobeniusSource, double frobeniusRelativeError) {

  /** {@code sum_j lambda_j / trace(H)}: the fraction of the trace in the rank-{@code k} part. */
  public double capturedTraceFraction() {
    return eigen.trace() / trace;
  }

  /**
   * {@code sum_j lambda_j^2 / ||H||_F^2 = ||U diag(lambda) U^T||_F^2 / ||H||_F^2} (orthonormal
   * {@code U}); with exact eigenpairs the rest, {@code ||H - U diag(lambda) U^T||_F^2}, is the
   * remaining fraction.
   */
  public double capturedFrobeniusFraction() {
    double s = 0.0;
    for (double l : eigen.values()) {
      s += l * l;
    }
    return s / frobeniusSquared;
  }
}
