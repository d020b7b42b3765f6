package dev.sparknewton.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * The rows of a {@link SyntheticSpec}, generated chunk by chunk without Spark: chunk {@code c}
 * (rows {@code c * chunkRows ...}) is drawn from its own {@link SplittableRandom} seeded by a
 * mix of {@code (seed, c)}, so any partitioning of the chunks gives the same rows. Everything
 * that belongs to a feature (its scale, its true weights, its place in the popularity order) is a
 * hash of {@code (seed, feature)}: nothing of size {@code d} is shipped or stored except the
 * power-law sampling table ({@link PowerLawRanks}, {@code 8 d} bytes, built per instance).
 *
 * <p>A row: {@code nnzPerRow} distinct popularity ranks drawn from the power law (a repeat is
 * drawn again), each mapped to a feature by the seeded bijection
 * {@code j = (a r + b) mod d} with {@code gcd(a, d) = 1}, which spreads the popular features over
 * the index range without a stored permutation (an affine map, not a uniformly random
 * permutation); indices sorted; value {@code x_j = scale_j * m} with {@code m = 1} (binary) or
 * {@code |N(0, 1)|} (gaussian) and {@code scale_j = 10^u_j}, {@code u_j} uniform in
 * {@code [-decades/2, decades/2]}.
 *
 * <p>True model: {@code W*[k][j] = signal * g_kj / (scale_j * sqrt(nnzPerRow))} with
 * {@code g_kj ~ N(0, 1)}, so each term {@code W*[k][j] x_j = signal g_kj m / sqrt(nnz)} has
 * variance {@code signal^2 / nnz} whatever the scales and the margin {@code z_k = W*[k] . x} is
 * about {@code N(0, signal^2)}. Binary ({@code K = 2}, one output): {@code P(y = +1) =
 * sigmoid(z_0)}; multiclass: {@code P(y = k) = softmax(z)_k}. Label noise: with probability
 * {@code labelNoise} a binary label is flipped, a multiclass label replaced by a uniform class.
 * The random numbers a row consumes do not depend on {@code labelNoise} (the noise draws are
 * always made), so two specs that differ only in {@code labelNoise} give the same features and
 * noiseless labels.
 */
public final class SyntheticRows {
  private static final long GOLDEN = 0x9E3779B97F4A7C15L;
  private static final long CHUNK_STREAM = 0x243F6A8885A308D3L;
  private static final long SCALE_STREAM = 0x13198A2E03707344L;
  private static final long WEIGHT_STREAM = 0xA4093822299F31D0L;
  private static final long MAPPING_STREAM = 0x082EFA98EC4E6C89L;
  private static final double LN_10 = Math.log(10.0);

  private final SyntheticSpec spec;
  private final PowerLawRanks ranks;
  private final long multiplier;
  private final long offset;
  private final double weightFactor;

  /** Builds the sampling table: {@code O(features)} when {@code powerLaw > 0}. */
  public SyntheticRows(SyntheticSpec spec) {
    this.spec = spec;
    this.ranks = new PowerLawRanks(spec.features(), spec.powerLaw());
    long d = spec.features();
    SplittableRandom rng = new SplittableRandom(key(spec.seed(), MAPPING_STREAM, 0));
    long a = 1;
    if (d > 2) {
      do {
        a = 1 + rng.nextLong(d - 1);
      } while (gcd(a, d) != 1);
    }
    this.multiplier = a;
    this.offset = rng.nextLong(d);
    this.weightFactor = spec.signal() / Math.sqrt(spec.nnzPerRow());
  }

  public SyntheticSpec spec() {
    return spec;
  }

  /** The feature index of popularity rank {@code r} (0 is the most frequent): a bijection. */
  public int featureOfRank(int r) {
    return (int) ((multiplier * r + offset) % spec.features());
  }

  /** {@code scale_j = 10^u_j}, {@code u_j} uniform in {@code [-decades/2, decades/2]}. */
  public double scale(int j) {
    if (spec.scaleDecades() == 0.0) {
      return 1.0;
    }
    double u = unit(key(spec.seed(), SCALE_STREAM, j));
    return Math.exp(LN_10 * spec.scaleDecades() * (u - 0.5));
  }

  /** The true weight {@code W*[k][j]} of output {@code k} ({@code 0} only, for binary). */
  public double trueWeight(int k, int j) {
    return trueWeight(k, j, scale(j));
  }

  /** {@link #trueWeight(int, int)} given {@code scale = scale(j)}: the same value, bit for bit. */
  private double trueWeight(int k, int j, double scale) {
    long h = key(spec.seed(), WEIGHT_STREAM, (long) k * spec.features() + j);
    // Box-Muller from two hashed uniforms; 1 - u is in (0, 1], so the log is finite.
    double radius = Math.sqrt(-2.0 * Math.log(1.0 - unit(h)));
    double g = radius * Math.cos(2.0 * Math.PI * unit(mix64(h + GOLDEN)));
    return weightFactor * g / scale;
  }

  /** {@code W*}: {@link SyntheticSpec#outputs()} rows of {@code features}; a new array. */
  public double[][] trueWeights() {
    double[][] w = new double[spec.outputs()][spec.features()];
    for (int k = 0; k < w.length; k++) {
      for (int j = 0; j < w[k].length; j++) {
        w[k][j] = trueWeight(k, j);
      }
    }
    return w;
  }

  /** The rows of chunks {@code [from, to)}, lazily, in order. */
  public Iterator<SyntheticRow> rows(long from, long to) {
    return new Iterator<>() {
      private long chunk = from;
      private Iterator<SyntheticRow> current = null;

      @Override
      public boolean hasNext() {
        while ((current == null || !current.hasNext()) && chunk < to) {
          current = chunk(chunk++);
        }
        return current != null && current.hasNext();
      }

      @Override
      public SyntheticRow next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return current.next();
      }
    };
  }

  /** The rows of chunk {@code c}, lazily. */
  public Iterator<SyntheticRow> chunk(long c) {
    int count = spec.rowsInChunk(c);
    SplittableRandom rng = new SplittableRandom(key(spec.seed(), CHUNK_STREAM, c));
    return new Iterator<>() {
      private final RowDraw draw = new RowDraw();
      private int made = 0;

      @Override
      public boolean hasNext() {
        return made < count;
      }

      @Override
      public SyntheticRow next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        made++;
        return draw.next(rng);
      }
    };
  }

  /** Scratch space of one chunk's rows, reused from row to row. */
  private final class RowDraw {
    private final int nnz = spec.nnzPerRow();
    private final DistinctInts chosen = new DistinctInts(nnz);
    private final double[] margins = new double[spec.outputs()];
    /** A row fails after this many draws ({@link SyntheticSpec#checkSamplingCost()}: rare). */
    private final long maxDraws = 1000L * nnz + 1000;

    SyntheticRow next(SplittableRandom rng) {
      int[] indices = new int[nnz];
      chosen.clear();
      int m = 0;
      for (long draws = 0; m < nnz; draws++) {
        if (draws == maxDraws) {
          throw new IllegalStateException("drew " + draws + " features without finding "
              + nnz + " distinct ones; nnzPerRow is too large for powerLaw " + spec.powerLaw());
        }
        int j = featureOfRank(ranks.sample(rng));
        if (chosen.add(j)) {
          indices[m++] = j;
        }
      }
      Arrays.sort(indices);
      double[] values = new double[nnz];
      boolean gaussian = spec.values() == SyntheticSpec.Values.GAUSSIAN;
      Arrays.fill(margins, 0.0);
      for (int i = 0; i < nnz; i++) {
        int j = indices[i];
        double scale = scale(j);
        double v = scale * (gaussian ? Math.abs(rng.nextGaussian()) : 1.0);
        values[i] = v;
        for (int k = 0; k < margins.length; k++) {
          margins[k] += trueWeight(k, j, scale) * v;
        }
      }
      double u = rng.nextDouble();
      boolean replace = rng.nextDouble() < spec.labelNoise();
      return spec.binary()
          ? binaryRow(u, replace, indices, values)
          : multiclassRow(u, replace, rng.nextInt(spec.classes()), indices, values);
    }

    private SyntheticRow binaryRow(double u, boolean flip, int[] indices, double[] values) {
      double z = margins[0];
      // P(+1) = sigmoid(z) = 1 / (1 + exp(-z)); an exp overflowing to infinity gives 0, rightly.
      double clean = u < 1.0 / (1.0 + Math.exp(-z)) ? 1.0 : -1.0;
      return new SyntheticRow(flip ? -clean : clean, clean, z >= 0 ? 1.0 : -1.0, indices, values);
    }

    private SyntheticRow multiclassRow(double u, boolean replace, int uniformClass, int[] indices,
        double[] values) {
      int best = 0;
      for (int k = 1; k < margins.length; k++) {
        if (margins[k] > margins[best]) {
          best = k;
        }
      }
      // softmax(z)_k = exp(z_k - max z) / sum: the shift keeps every exp in (0, 1].
      double max = margins[best];
      double sum = 0.0;
      for (int k = 0; k < margins.length; k++) {
        margins[k] = Math.exp(margins[k] - max);
        sum += margins[k];
      }
      double target = u * sum;
      int clean = margins.length - 1;
      double cumulative = 0.0;
      for (int k = 0; k < margins.length; k++) {
        cumulative += margins[k];
        if (target < cumulative) {
          clean = k;
          break;
        }
      }
      return new SyntheticRow(replace ? uniformClass : clean, clean, best, indices, values);
    }
  }

  /** A set of ints in {@code [0, 2^31)} of at most {@code capacity} elements, cleared per row. */
  private static final class DistinctInts {
    private final int[] slots;
    private final int mask;

    DistinctInts(int capacity) {
      int size = Integer.highestOneBit(Math.max(8, capacity) * 2 - 1) << 1;
      slots = new int[size];
      mask = size - 1;
      clear();
    }

    void clear() {
      Arrays.fill(slots, -1);
    }

    /** Adds {@code v}; false when it was already there. */
    boolean add(int v) {
      int i = (int) mix64(v) & mask;
      while (slots[i] != -1) {
        if (slots[i] == v) {
          return false;
        }
        i = (i + 1) & mask;
      }
      slots[i] = v;
      return true;
    }
  }

  /** A 64-bit key of element {@code i} of the stream {@code stream} under {@code seed}. */
  static long key(long seed, long stream, long i) {
    return mix64(mix64(seed ^ stream) + (i + 1) * GOLDEN);
  }

  /** SplitMix64's finalizer (Steele, Lea, Flood 2014): a bijective 64-bit mixing function. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** The top 53 bits of {@code h} as a double in {@code [0, 1)}. */
  private static double unit(long h) {
    return (h >>> 11) * 0x1.0p-53;
  }

  private static long gcd(long a, long b) {
    while (b != 0) {
      long t = a % b;
      a = b;
      b = t;
    }
    return a;
  }
}
