package dev.sparknewton.data;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A seeded Bernoulli sample of rows for sub-sampled curvature (Roosta-Khorasani and Mahoney,
 * "Sub-sampled Newton methods", 2019).
 *
 * <p>Each row is kept with probability {@code fraction}, independently: row {@code i} of a block
 * is kept when {@code u(seed, rowKey_i) < fraction}, with {@code u} a SplitMix64 hash of the seed
 * and the row's key ({@link RowBlock#rowKey}, its position in the input) mapped to
 * {@code [0, 1)}. The sample is thus a function of the seed and the rows alone: the same rows
 * whatever the partitioning (4 or 8 partitions, any block size), scheduling or order of
 * evaluation. Testing a row costs one hash (a few nanoseconds), far below the cost of the
 * products over the rows that are kept.
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

  /**
   * Each row independently with probability {@code fraction} in (0, 1]. At fraction 1 the sample
   * is every row (equal to {@link #all()}) but keeps its seed, for a smaller sample drawn from it
   * ({@code of(f, s.seed())}); samples of one seed are nested: a row kept at fraction {@code f}
   * is kept at every larger fraction.
   */
  public static RowSample of(double fraction, long seed) {
    if (!(fraction > 0.0 && fraction <= 1.0)) {
      throw new IllegalArgumentException(
          "sample fraction must be in (0, 1], got " + fraction);
    }
    return new RowSample(fraction, seed);
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
    return block.select(selectedRows(block));
  }

  /** Increasing indices in {@code [0, block.numRows())} of the rows of {@code block} kept. */
  public int[] selectedRows(RowBlock block) {
    int n = block.numRows();
    int[] rows = new int[n];
    int count = 0;
    for (int i = 0; i < n; i++) {
      if (isAll() || keeps(block.rowKey(i))) {
        rows[count++] = i;
      }
    }
    return count == n ? rows : Arrays.copyOf(rows, count);
  }

  /** True when the row with key {@code rowKey} is in the sample. */
  public boolean keeps(long rowKey) {
    // The top 53 bits of the hash as a double in [0, 1).
    return (mix(seed, rowKey) >>> 11) * 0x1.0p-53 < fraction;
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
