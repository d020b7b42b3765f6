package dev.sparknewton.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A seeded Bernoulli sample of rows for sub-sampled curvature (Roosta-Khorasani and Mahoney,
 * "Sub-sampled Newton methods", 2019).
 *
 * <p>Each row is kept with probability {@code fraction}, independently. Rows are drawn by
 * skip-sampling: the gap to the next kept row is geometric, so a 5% sample of a block costs time
 * proportional to the 5% of rows it keeps, not to the whole block. The random stream of a block
 * is seeded by {@code (seed, block id)} only, so the same seed gives the same rows whatever the
 * partitioning, scheduling or order of evaluation.
 */
public final class RowSample implements Serializable {
  private static final long serialVersionUID = 1L;

  private static final RowSample ALL = new RowSample(1.0, 0L);

  private final double fraction;
  private final long seed;

  private RowSample(double fraction, long seed) {
    this.fraction = fraction;
    this.seed = seed;
  }

  /** Every row. */
  public static RowSample all() {
    return ALL;
  }

  /** Each row independently with probability {@code fraction} in (0, 1]. */
  public static RowSample of(double fraction, long seed) {
    if (!(fraction > 0.0 && fraction <= 1.0)) {
      throw new IllegalArgumentException(
          "sample fraction must be in (0, 1], got " + fraction);
    }
    return fraction == 1.0 ? ALL : new RowSample(fraction, seed);
  }

  public double fraction() {
    return fraction;
  }

  public long seed() {
    return seed;
  }

  public boolean isAll() {
    return fraction == 1.0;
  }

  /** The sampled rows of {@code block}: the block itself when every row is kept. */
  public RowBlock apply(RowBlock block) {
    if (isAll()) {
      return block;
    }
    return block.select(selectedRows(block.id(), block.numRows()));
  }

  /** Increasing indices in {@code [0, numRows)} of the rows kept in block {@code blockId}. */
  public int[] selectedRows(long blockId, int numRows) {
    if (isAll()) {
      int[] all = new int[numRows];
      Arrays.setAll(all, i -> i);
      return all;
    }
    SplittableRandom random = new SplittableRandom(mix(seed, blockId));
    double logKeepNot = Math.log1p(-fraction);
    int[] rows = new int[Math.max(4, (int) (numRows * fraction * 1.25) + 4)];
    int count = 0;
    long i = -1;
    while (true) {
      // Gap G >= 0 with P(G = g) = (1 - f)^g f: the number of rows skipped before the next kept one.
      double u = 1.0 - random.nextDouble(); // in (0, 1]
      long gap = (long) Math.floor(Math.log(u) / logKeepNot);
      i += gap + 1;
      if (i >= numRows || i < 0) {
        break;
      }
      if (count == rows.length) {
        rows = Arrays.copyOf(rows, rows.length * 2);
      }
      rows[count++] = (int) i;
    }
    return Arrays.copyOf(rows, count);
  }

  /** A derived seed for outer iteration {@code iteration}, so each iteration draws new rows. */
  public static long iterationSeed(long seed, int iteration) {
    return mix(seed, 0x5DEECE66DL + iteration);
  }

  private static long mix(long a, long b) {
    // SplitMix64 finalizer over a combination of the two inputs.
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RowSample other && other.fraction == fraction
        && (isAll() || other.seed == seed);
  }

  @Override
  public int hashCode() {
    return isAll() ? 1 : Double.hashCode(fraction) * 31 + Long.hashCode(seed);
  }

  @Override
  public String toString() {
    return isAll() ? "all rows" : String.format("%.4g%% of rows (seed %d)", 100 * fraction, seed);
  }
}
