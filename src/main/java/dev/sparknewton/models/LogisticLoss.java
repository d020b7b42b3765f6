package dev.sparknewton.models;

/**
 * Binary logistic loss for labels {@code y} in {0, 1}:
 * {@code l(m) = log(1 + exp(m)) - y m}, which equals {@code log(1 + exp(-s m))} for
 * {@code s = 2y - 1} in {-1, +1}.
 *
 * <p>{@code l'(m) = sigma(m) - y} and {@code l''(m) = sigma(m) (1 - sigma(m))}. Both
 * {@link #log1pExp} and {@link #sigmoid} branch on the sign of {@code m} so that no
 * {@code exp} of a large positive number is ever taken: the naive forms overflow to infinity for
 * margins above ~709 and lose all digits of {@code 1 - sigma} for margins above ~37.
 */
public final class LogisticLoss implements MarginLoss {
  private static final long serialVersionUID = 1L;

  public static final LogisticLoss INSTANCE = new LogisticLoss();

  private LogisticLoss() {}

  @Override
  public double loss(double margin, double label) {
    return log1pExp(margin) - label * margin;
  }

  @Override
  public double derivative(double margin, double label) {
    return sigmoid(margin) - label;
  }

  @Override
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
