package dev.sparknewton.data;

import java.util.SplittableRandom;

/**
 * Draws popularity ranks {@code r} in {@code [0, d)} with probability proportional to
 * {@code (r + 1)^-s} (a Zipf law; {@code s = 0} is uniform), by inversion of the cumulative
 * weights: a table of {@code d} doubles built once ({@code d} power evaluations), then a binary
 * search per draw. With {@code s = 0} there is no table and a draw is one {@code nextInt}.
 */
final class PowerLawRanks {
  private final int d;
  /** {@code cumulative[r] = sum_{i <= r} (i + 1)^-s}; null when {@code s = 0}. */
  private final double[] cumulative;

  /**
   * @param d number of ranks, {@code >= 1}
   * @param s exponent, {@code >= 0}
   */
  PowerLawRanks(int d, double s) {
    this.d = d;
    if (s == 0.0) {
      cumulative = null;
    } else {
      cumulative = new double[d];
      double sum = 0.0;
      for (int r = 0; r < d; r++) {
        sum += Math.pow(r + 1.0, -s);
        cumulative[r] = sum;
      }
    }
  }

  /** One rank; advances {@code rng}. */
  int sample(SplittableRandom rng) {
    if (cumulative == null) {
      return rng.nextInt(d);
    }
    double u = rng.nextDouble() * cumulative[d - 1];
    // The first r with cumulative[r] > u.
    int lo = 0;
    int hi = d - 1;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (cumulative[mid] > u) {
        hi = mid;
      } else {
        lo = mid + 1;
      }
    }
    return lo;
  }

  /** The probability that one draw is among the {@code m} most frequent ranks. */
  double massOfTop(int m) {
    if (m <= 0) {
      return 0.0;
    }
    return cumulative == null ? (double) m / d : cumulative[m - 1] / cumulative[d - 1];
  }
}
