package dev.sparknewton.objective;

import dev.sparknewton.data.RowBlock;

/**
 * The largest row fraction whose curvature sample fits a driver byte budget, from the sizes of
 * {@link RowBytesAggregator}: a Bernoulli sample keeping each row with probability {@code f} has
 * at most
 *
 * <pre>  bound(f) = 64 m + f S + z sqrt(f (1 - f) Q)</pre>
 *
 * bytes but with probability about {@code 3e-5} ({@code m} blocks, {@code S = sum_i s_i},
 * {@code Q = sum_i s_i^2} over the per-row bytes {@code s_i}, {@code z = }{@link #SPREAD}
 * standard deviations, the normal approximation of a sum of many independent rows). The fraction
 * is chosen on a grid of two significant digits (0.99, 0.98, ..., 0.10, 0.099, ...), so that the
 * same data give the same fraction, and so the same rows for the same seed
 * ({@link dev.sparknewton.data.RowSample}), whatever small differences the partitioning makes to
 * {@code m}.
 */
record DriverSampleBudget(
    long budgetBytes, long blocks, long largestBlockBytes, double rowBytes, double squaredRowBytes) {
  /**
   * Standard deviations of the sample's bytes kept free below the budget: a normal variable
   * exceeds its mean by 4 sd with probability 3.2e-5. A sample that still overshoots is cut down
   * on the driver ({@link ModelObjective}).
   */
  static final double SPREAD = 4.0;
  /** Below this fraction the grid ends: no sample is drawn. */
  static final double SMALLEST_FRACTION = 1e-6;

  /** An upper bound of the mean bytes of a sample at fraction {@code f}. */
  double expectedBytes(double f) {
    return RowBlock.BLOCK_OVERHEAD_BYTES * (double) blocks + f * rowBytes;
  }

  /** {@code bound(f)} of the class comment. */
  double boundBytes(double f) {
    return expectedBytes(f) + SPREAD * Math.sqrt(f * (1.0 - f) * squaredRowBytes);
  }

  /** The budget cannot hold the largest block: a sample would be smaller than one block. */
  boolean belowOneBlock() {
    return largestBlockBytes > budgetBytes;
  }

  /**
   * The largest fraction {@code f <= requested} of the grid with {@code bound(f) <= budget};
   * {@code requested} itself when it fits; 0 when the budget is below one block
   * ({@link #belowOneBlock()}) or no fraction down to {@link #SMALLEST_FRACTION} fits.
   */
  double fractionWithin(double requested) {
    if (belowOneBlock()) {
      return 0.0;
    }
    if (boundBytes(requested) <= budgetBytes) {
      return requested;
    }
    for (double f = gridBelow(requested); f >= SMALLEST_FRACTION; f = gridBelow(f)) {
      if (boundBytes(f) <= budgetBytes) {
        return f;
      }
    }
    return 0.0;
  }

  /**
   * The largest value of two significant digits strictly below {@code f} in (0, 1]: 0.99 below
   * 1, 0.29 below 0.3 (or below 0.2999), 0.099 below 0.1.
   */
  static double gridBelow(double f) {
    double decade = Math.pow(10, Math.floor(Math.log10(f)) - 1); // 0.01 for f in [0.1, 1)
    double q = f / decade;
    long nearest = Math.round(q);
    long steps = Math.abs(q - nearest) < 1e-6 ? nearest - 1 : (long) Math.floor(q);
    if (steps < 10) { // below the decade's first value: the next decade down
      decade /= 10;
      steps = 99;
    }
    return steps * decade;
  }
}
