package dev.sparknewton.models;

/**
 * Squared error of {@code K} outputs against a target {@code t} that the row's label determines:
 *
 * <pre>  l(z) = |z - t|^2 / 2,   dl/dz = z - t,   H_l = I</pre>
 *
 * <ul>
 *   <li>{@link #oneHot}: {@code t = e_y} for a class label {@code y} in {@code 0..K-1} (squared
 *       error on class labels);
 *   <li>{@link #ofResidual}: {@code t = 0}, the label unused, for outputs that already are a
 *       residual: a {@link FeedForwardNetwork#autoencoder} presents {@code z = f(x) - x}, whose
 *       target (the row itself) one label per row cannot carry.
 * </ul>
 *
 * The curvature is constant, so there is no per-row state; {@code L = I} factors it. For
 * {@code K = 1} with a real label use {@link SquaredLoss}.
 */
public final class SquaredNormLoss implements OutputLoss {
  private static final long serialVersionUID = 1L;

  private final int numOutputs;
  private final boolean oneHot;

  private SquaredNormLoss(int numOutputs, boolean oneHot) {
    this.numOutputs = numOutputs;
    this.oneHot = oneHot;
  }

  /** {@code |z - e_y|^2 / 2} for labels {@code y} in {@code 0..K-1}; {@code K >= 2}. */
  public static SquaredNormLoss oneHot(int numClasses) {
    if (numClasses < 2) {
      throw new IllegalArgumentException(
          "squared error on class labels needs at least 2 classes, got " + numClasses);
    }
    return new SquaredNormLoss(numClasses, true);
  }

  /** {@code |z|^2 / 2}, whatever the label; {@code K >= 1}. */
  public static SquaredNormLoss ofResidual(int numOutputs) {
    if (numOutputs < 1) {
      throw new IllegalArgumentException("a residual needs at least 1 output, got " + numOutputs);
    }
    return new SquaredNormLoss(numOutputs, false);
  }

  /** Whether the target is {@code e_y} (else 0). */
  public boolean oneHotTargets() {
    return oneHot;
  }

  @Override
  public int numOutputs() {
    return numOutputs;
  }

  @Override
  public int stateWidth() {
    return 0;
  }

  @Override
  public double lowerBound() {
    // a sum of squares.
    return 0.0;
  }

  @Override
  public double loss(double[] z, int offset, int stride, double label) {
    int y = target(label);
    double sum = 0.0;
    for (int k = 0; k < numOutputs; k++) {
      double r = z[offset + k * stride] - (k == y ? 1.0 : 0.0);
      sum += r * r;
    }
    return 0.5 * sum;
  }

  @Override
  public double evaluate(double[] z, int offset, int stride, double label, double[] gradient,
      double[] state, int stateOffset) {
    int y = target(label);
    double sum = 0.0;
    for (int k = 0; k < numOutputs; k++) {
      int at = offset + k * stride;
      double r = z[at] - (k == y ? 1.0 : 0.0);
      gradient[at] = r;
      sum += r * r;
    }
    return 0.5 * sum;
  }

  /** The index of the output whose target is 1, or -1 for a residual. */
  private int target(double label) {
    if (!oneHot) {
      return -1;
    }
    int y = (int) label;
    if (y != label || y < 0 || y >= numOutputs) {
      throw new IllegalArgumentException(
          "label " + label + " is not a class index in 0.." + (numOutputs - 1));
    }
    return y;
  }

  @Override
  public void applyCurvature(double[] state, int stateOffset, double weight, double[] u,
      int offset, int stride, double[] out) {
    for (int k = 0; k < numOutputs; k++) {
      int at = offset + k * stride;
      out[at] = weight * u[at];
    }
  }

  @Override
  public double curvature(double[] state, int stateOffset, int k, int l) {
    return k == l ? 1.0 : 0.0;
  }

  /** {@code L = I}: column {@code m} is {@code sqrt(c) e_m}. */
  @Override
  public void curvatureFactor(double[] state, int stateOffset, double weight, int m, double[] out,
      int offset, int stride) {
    double s = Math.sqrt(weight);
    for (int k = 0; k < numOutputs; k++) {
      out[offset + k * stride] = k == m ? s : 0.0;
    }
  }

  @Override
  public String toString() {
    return oneHot ? "squared error on one-hot targets (" + numOutputs + " classes)"
        : "squared norm of " + numOutputs + " outputs";
  }
}
