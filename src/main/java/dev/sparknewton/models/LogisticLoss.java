package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;

/**
 * Binary logistic loss of one output, the margin {@code m}, for labels {@code y} in {0, 1}:
 * {@code l(m) = log(1 + exp(m)) - y m}, which equals {@code log(1 + exp(-s m))} for
 * {@code s = 2y - 1} in {-1, +1}.
 *
 * <p>{@code l'(m) = sigma(m) - y} and {@code l''(m) = sigma(m) (1 - sigma(m))}, the curvature
 * state. {@link #evaluate} takes one {@code exp(-|m|)} for all three. The forms branch on the sign
 * of {@code m} so that no {@code exp} of a large positive number is ever taken: the naive forms
 * overflow to infinity for margins above ~709 and lose all digits of {@code 1 - sigma} for
 * margins above ~37.
 */
public final class LogisticLoss implements OutputLoss {
  private static final long serialVersionUID = 1L;

  public static final LogisticLoss INSTANCE = new LogisticLoss();

  private LogisticLoss() {}

  @Override
  public int numOutputs() {
    return 1;
  }

  @Override
  public double lowerBound() {
    // log(1 + exp(-m)) > 0.
    return 0.0;
  }

  @Override
  public int stateWidth() {
    return 1;
  }

  @Override
  public double loss(double[] z, int offset, int stride, double label) {
    return loss(z[offset], label);
  }

  /** {@link LogisticKernels}: the vector form where the JVM has it, else the row-by-row loop. */
  @Override
  public double evaluateRows(
      RowBlock block, int from, int to, double[] z, double[] gradient, double[] state) {
    return LogisticKernels.VECTOR
        ? LogisticKernelsVector.evaluateRows(block, from, to, z, gradient, state)
        : OutputLoss.super.evaluateRows(block, from, to, z, gradient, state);
  }

  /** {@link LogisticKernels}: the vector form where the JVM has it, else the row-by-row loop. */
  @Override
  public double addLineLosses(
      RowBlock block, double[] z, double[] u, double[] steps, double[] lossSums) {
    return LogisticKernels.VECTOR
        ? LogisticKernelsVector.addLineLosses(block, z, u, steps, lossSums)
        : OutputLoss.super.addLineLosses(block, z, u, steps, lossSums);
  }

  @Override
  public double evaluate(double[] z, int offset, int stride, double label, double[] gradient,
      double[] state, int stateOffset) {
    double m = z[offset];
    double e = Math.exp(-Math.abs(m));
    // sigma(m) and sigma(-m) = 1 - sigma(m), each without cancellation, from the one exp.
    double sigma = m >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    double sigmaNeg = -m >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    gradient[offset] = sigma - label;
    state[stateOffset] = sigma * sigmaNeg;
    return (m > 0.0 ? m + Math.log1p(e) : Math.log1p(e)) - label * m;
  }

  @Override
  public void applyCurvature(double[] state, int stateOffset, double weight, double[] u,
      int offset, int stride, double[] out) {
    out[offset] = u[offset] * (weight * state[stateOffset]);
  }

  @Override
  public double curvature(double[] state, int stateOffset, int k, int l) {
    return state[stateOffset];
  }

  /** {@code L = sqrt(p (1 - p))}. */
  @Override
  public void curvatureFactor(double[] state, int stateOffset, double weight, int m, double[] out,
      int offset, int stride) {
    out[offset] = Math.sqrt(weight * state[stateOffset]);
  }

  /** {@code l(m; y)}. */
  public double loss(double margin, double label) {
    return log1pExp(margin) - label * margin;
  }

  /** {@code dl/dm}. */
  public double derivative(double margin, double label) {
    return sigmoid(margin) - label;
  }

  /** {@code d^2 l / dm^2}. */
  public double curvature(double margin, double label) {
    // sigma(m) (1 - sigma(m)) = sigma(m) sigma(-m), each factor computed without cancellation.
    return sigmoid(margin) * sigmoid(-margin);
  }

  /** {@code log(1 + exp(x))} without overflow or loss of digits. */
  public static double log1pExp(double x) {
    return x > 0.0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
  }

  /** {@code 1 / (1 + exp(-x))} without overflow. */
  public static double sigmoid(double x) {
    if (x >= 0.0) {
      return 1.0 / (1.0 + Math.exp(-x));
    }
    double e = Math.exp(x);
    return e / (1.0 + e);
  }

  private Object readResolve() {
    return INSTANCE;
  }

  @Override
  public String toString() {
    return "logistic";
  }
}
