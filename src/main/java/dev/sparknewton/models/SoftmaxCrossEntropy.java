package dev.sparknewton.models;

/**
 * Multinomial (softmax) cross-entropy of {@code K} outputs for a label {@code y} in
 * {@code 0..K-1}: with {@code p = softmax(z)},
 *
 * <pre>  l(z) = log sum_k exp(z_k) - z_y,   dl/dz = p - e_y,   H_l = diag(p) - p p^T.</pre>
 *
 * The curvature state is {@code p}; {@code H_l u = p o u - p (p . u)} costs {@code 2K} flops and
 * is positive semidefinite ({@code H_l 1 = 0}: softmax does not change when every output is
 * shifted by the same amount). Stable forms: the largest output {@code z_max} is subtracted before
 * each {@code exp}, so every exponent is {@code <= 0} and the sum is in {@code [1, K]}.
 */
public final class SoftmaxCrossEntropy implements OutputLoss {
  private static final long serialVersionUID = 1L;

  private final int numClasses;

  /** @param numClasses {@code K >= 2} */
  public SoftmaxCrossEntropy(int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException("softmax needs at least 2 classes, got " + numClasses);
    }
    this.numClasses = numClasses;
  }

  @Override
  public int numOutputs() {
    return numClasses;
  }

  @Override
  public double lowerBound() {
    // -log p_y >= 0 for p_y <= 1.
    return 0.0;
  }

  @Override
  public int stateWidth() {
    return numClasses;
  }

  @Override
  public double loss(double[] z, int offset, int stride, double label) {
    double max = max(z, offset, stride);
    double sum = 0.0;
    for (int k = 0; k < numClasses; k++) {
      sum += Math.exp(z[offset + k * stride] - max);
    }
    return Math.log(sum) + max - z[offset + (int) label * stride];
  }

  @Override
  public double evaluate(double[] z, int offset, int stride, double label, double[] gradient,
      double[] state, int stateOffset) {
    double max = max(z, offset, stride);
    double sum = 0.0;
    for (int k = 0; k < numClasses; k++) {
      double e = Math.exp(z[offset + k * stride] - max);
      state[stateOffset + k] = e;
      sum += e;
    }
    double inverse = 1.0 / sum;
    int y = (int) label;
    for (int k = 0; k < numClasses; k++) {
      double p = state[stateOffset + k] * inverse;
      state[stateOffset + k] = p;
      gradient[offset + k * stride] = k == y ? p - 1.0 : p;
    }
    return Math.log(sum) + max - z[offset + y * stride];
  }

  @Override
  public void applyCurvature(double[] state, int stateOffset, double weight, double[] u,
      int offset, int stride, double[] out) {
    double pu = 0.0;
    for (int k = 0; k < numClasses; k++) {
      pu += state[stateOffset + k] * u[offset + k * stride];
    }
    for (int k = 0; k < numClasses; k++) {
      int at = offset + k * stride;
      out[at] = weight * state[stateOffset + k] * (u[at] - pu);
    }
  }

  @Override
  public double curvature(double[] state, int stateOffset, int k, int l) {
    double pk = state[stateOffset + k];
    return (k == l ? pk : 0.0) - pk * state[stateOffset + l];
  }

  /**
   * {@code L e_m = sqrt(p_m) (e_m - p)}: then {@code L L^T = diag(p) - 2 p p^T + p p^T sum_m p_m},
   * which is {@code H_l} since the {@code p_m} sum to 1.
   */
  @Override
  public void curvatureFactor(double[] state, int stateOffset, double weight, int m, double[] out,
      int offset, int stride) {
    double s = Math.sqrt(weight * state[stateOffset + m]);
    for (int k = 0; k < numClasses; k++) {
      out[offset + k * stride] = s * ((k == m ? 1.0 : 0.0) - state[stateOffset + k]);
    }
  }

  private double max(double[] z, int offset, int stride) {
    double m = z[offset];
    for (int k = 1; k < numClasses; k++) {
      m = Math.max(m, z[offset + k * stride]);
    }
    return m;
  }

  @Override
  public String toString() {
    return "softmax cross-entropy (" + numClasses + " classes)";
  }
}
