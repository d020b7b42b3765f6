package dev.sparknewton.models;

/** Least squares: {@code l(m) = (m - y)^2 / 2}, {@code l' = m - y}, {@code l'' = 1}. */
public final class SquaredLoss implements MarginLoss {
  private static final long serialVersionUID = 1L;

  public static final SquaredLoss INSTANCE = new SquaredLoss();

  private SquaredLoss() {}

  @Override
  public double loss(double margin, double label) {
    double r = margin - label;
    return 0.5 * r * r;
  }

  @Override
  public double derivative(double margin, double label) {
    return margin - label;
  }

  @Override
  public double curvature(double margin, double label) {
    return 1.0;
  }

  private Object readResolve() {
    return INSTANCE;
  }

  @Override
  public String toString() {
    return "squared";
  }
}
