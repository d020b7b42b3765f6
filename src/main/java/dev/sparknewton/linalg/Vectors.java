package dev.sparknewton.linalg;

/**
 * Level-1 operations on dense vectors stored as {@code double[]}.
 *
 * <p>Plain loops: for the vector lengths of a driver-side solver (up to a few million) they run at
 * memory bandwidth, and they keep the solvers free of any BLAS dependency. Every method says which
 * arguments it modifies.
 */
public final class Vectors {
  private Vectors() {}

  /** Returns {@code x . y}. Not modified. */
  public static double dot(double[] x, double[] y) {
    checkSameLength(x, y);
    double s = 0.0;
    for (int i = 0; i < x.length; i++) {
      s += x[i] * y[i];
    }
    return s;
  }

  /**
   * Returns {@code sum_j x[xOffset + j] y[j]} over {@code j < length} in four partial sums (terms
   * {@code j mod 4}), added as {@code (s0 + s1) + (s2 + s3)}: four independent add chains, where
   * one chain waits an add's latency per term (JMH, binary gradient pass over dense blocks of 100
   * features: 176 to 192-198 passes/s; docs/benchmarks.md "Row products in four partial sums").
   * Not modified.
   */
  public static double dot4(double[] x, int xOffset, double[] y, int length) {
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int j = 0;
    for (; j + 3 < length; j += 4) {
      s0 += x[xOffset + j] * y[j];
      s1 += x[xOffset + j + 1] * y[j + 1];
      s2 += x[xOffset + j + 2] * y[j + 2];
      s3 += x[xOffset + j + 3] * y[j + 3];
    }
    for (; j < length; j++) {
      s0 += x[xOffset + j] * y[j];
    }
    return (s0 + s1) + (s2 + s3);
  }

  /** Returns the Euclidean norm of {@code x}, scaled to avoid overflow. Not modified. */
  public static double norm(double[] x) {
    double scale = 0.0;
    for (double v : x) {
      scale = Math.max(scale, Math.abs(v));
    }
    if (scale == 0.0 || !Double.isFinite(scale)) {
      return scale;
    }
    double s = 0.0;
    for (double v : x) {
      double t = v / scale;
      s += t * t;
    }
    return scale * Math.sqrt(s);
  }

  /** {@code y += a x}. {@code y} modified. */
  public static void axpy(double a, double[] x, double[] y) {
    checkSameLength(x, y);
    for (int i = 0; i < x.length; i++) {
      y[i] += a * x[i];
    }
  }

  /** {@code x *= a}. {@code x} modified. */
  public static void scale(double a, double[] x) {
    for (int i = 0; i < x.length; i++) {
      x[i] *= a;
    }
  }

  /** Returns a new vector {@code x + a y}. Not modified. */
  public static double[] plus(double[] x, double a, double[] y) {
    double[] out = x.clone();
    axpy(a, y, out);
    return out;
  }

  /** Returns a new vector {@code a x}. Not modified. */
  public static double[] times(double a, double[] x) {
    double[] out = x.clone();
    scale(a, out);
    return out;
  }

  /** True when every entry is finite. */
  public static boolean allFinite(double[] x) {
    for (double v : x) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static void checkSameLength(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "vector lengths differ: " + x.length + " and " + y.length);
    }
  }
}
