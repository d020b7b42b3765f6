package dev.sparknewton.models;

/**
 * Least squares of one output: {@code l(z) = (z - y)^2 / 2}, {@code l' = z - y}, {@code l'' = 1};
 * the curvature is constant, so there is no per-row state.
 */
public final class SquaredLoss implements OutputLoss {
  private static final long serialVersionUID = 1L;

  public static final SquaredLoss INSTANCE = new SquaredLoss();

  private SquaredLoss() {}

  @Override
  public int numOutputs() {
    return 1;
  }

  @Override
  public double lowerBound() {
    // a square.
    return 0.0;
  }

  @Override
  public int stateWidth() {
    return 0;
  }

  @Override
  public double loss(double[] z, int offset, int stride, double label) {
    double r = z[offset] - label;
    return 0.5 * r * r;
  }

  @Override
  public double evaluate(double[] z, int offset, int stride, double label, double[] gradient,
      double[] state, int stateOffset) {
    double r = z[offset] - label;
    gradient[offset] = r;
    return 0.5 * r * r;
  }

  @Override
  public void applyCurvature(double[] state, int stateOffset, double weight, double[] u,
      int offset, int stride, double[] out) {
    out[offset] = weight * u[offset];
  }

  @Override
  public double curvature(double[] state, int stateOffset, int k, int l) {
    return 1.0;
  }

  /** {@code L = 1}. */
  @Override
  public void curvatureFactor(double[] state, int stateOffset, double weight, int m, double[] out,
      int offset, int stride) {
    out[offset] = Math.sqrt(weight);
  }

  private Object readResolve() {
    return INSTANCE;
  }

  @Override
  public String toString() {
    return "squared";
  }
}
