package dev.sparknewton.models;

/**
 * The elementwise activation {@code a = phi(s)} of a network's hidden units, with its first and
 * second derivatives (the second for the exact Hessian's R-operator):
 *
 * <pre>
 *   sigmoid   phi = 1 / (1 + e^-s)       phi' = phi (1 - phi)     phi'' = phi' (1 - 2 phi)
 *   tanh      phi = tanh s               phi' = 1 - phi^2         phi'' = -2 phi phi'
 *   relu      phi = max(s, 0)            phi' = [s > 0]           phi'' = 0
 *   softplus  phi = log(1 + e^s)         phi' = sigmoid(s)        phi'' = sigmoid(s) sigmoid(-s)
 * </pre>
 *
 * ReLU has a kink at 0: its derivative there is taken as 0 (the left one), and its second
 * derivative is 0 everywhere else, so for ReLU networks the exact Hessian's activation term
 * vanishes and only the terms through the weights remain. Sigmoid and softplus take one
 * {@code exp(-|s|)} for value and both derivatives, in forms that never exponentiate a large
 * positive number (the naive {@code 1 / (1 + e^-s)} is fine, but {@code log(1 + e^s)} overflows
 * above {@code s ~ 709} and {@code phi (1 - phi)} loses every digit above {@code s ~ 37}).
 */
public enum Activation {
  SIGMOID("sigmoid") {
    @Override
    public double value(double s) {
      return LogisticLoss.sigmoid(s);
    }

    @Override
    void apply(double[] s, int length, double[] first, double[] second) {
      for (int t = 0; t < length; t++) {
        double e = Math.exp(-Math.abs(s[t]));
        double inverse = 1.0 / (1.0 + e);
        double a = s[t] >= 0.0 ? inverse : e * inverse;
        // sigma(s) sigma(-s) = e / (1 + e)^2 for either sign of s: no cancellation.
        double d1 = e * inverse * inverse;
        s[t] = a;
        if (first != null) {
          first[t] = d1;
        }
        if (second != null) {
          second[t] = d1 * (1.0 - 2.0 * a);
        }
      }
    }
  },
  TANH("tanh") {
    @Override
    public double value(double s) {
      return Math.tanh(s);
    }

    @Override
    void apply(double[] s, int length, double[] first, double[] second) {
      for (int t = 0; t < length; t++) {
        double a = Math.tanh(s[t]);
        double d1 = 1.0 - a * a;
        s[t] = a;
        if (first != null) {
          first[t] = d1;
        }
        if (second != null) {
          second[t] = -2.0 * a * d1;
        }
      }
    }
  },
  RELU("relu") {
    @Override
    public double value(double s) {
      return s > 0.0 ? s : 0.0;
    }

    @Override
    void apply(double[] s, int length, double[] first, double[] second) {
      for (int t = 0; t < length; t++) {
        boolean on = s[t] > 0.0;
        if (!on) {
          s[t] = 0.0;
        }
        if (first != null) {
          first[t] = on ? 1.0 : 0.0;
        }
      }
      if (second != null) {
        java.util.Arrays.fill(second, 0, length, 0.0);
      }
    }
  },
  SOFTPLUS("softplus") {
    @Override
    public double value(double s) {
      return LogisticLoss.log1pExp(s);
    }

    @Override
    void apply(double[] s, int length, double[] first, double[] second) {
      for (int t = 0; t < length; t++) {
        double x = s[t];
        double e = Math.exp(-Math.abs(x));
        double inverse = 1.0 / (1.0 + e);
        s[t] = (x > 0.0 ? x : 0.0) + Math.log1p(e);
        if (first != null) {
          first[t] = x >= 0.0 ? inverse : e * inverse;
        }
        if (second != null) {
          second[t] = e * inverse * inverse;
        }
      }
    }
  };

  private final String configName;

  Activation(String configName) {
    this.configName = configName;
  }

  /** {@code phi(s)}. */
  public abstract double value(double s);

  /** {@code phi'(s)}. */
  public double derivative(double s) {
    double[] a = {s};
    double[] first = new double[1];
    apply(a, 1, first, null);
    return first[0];
  }

  /** {@code phi''(s)}. */
  public double secondDerivative(double s) {
    double[] a = {s};
    double[] second = new double[1];
    apply(a, 1, null, second);
    return second[0];
  }

  /**
   * Applies {@code phi} in place to {@code s[0 ..< length]}, and writes {@code phi'} and
   * {@code phi''} of the same entries, from one transcendental call per entry.
   *
   * @param s pre-activations in, activations out. Modified.
   * @param first {@code phi'(s)}, or null when not needed. Modified.
   * @param second {@code phi''(s)}, or null when not needed. Modified.
   */
  abstract void apply(double[] s, int length, double[] first, double[] second);

  /** The configuration name: {@code sigmoid}, {@code tanh}, {@code relu} or {@code softplus}. */
  public String configName() {
    return configName;
  }

  /** From {@link #configName()}, ignoring case and surrounding blanks. */
  public static Activation parse(String name) {
    for (Activation a : values()) {
      if (a.configName.equalsIgnoreCase(name.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown activation '" + name + "'; expected sigmoid, tanh, relu or softplus");
  }
}
