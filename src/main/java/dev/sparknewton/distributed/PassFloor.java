package dev.sparknewton.distributed;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.models.BlockAggregator;
import dev.sparknewton.models.Shared;
import dev.sparknewton.objective.BlockFold;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * What a pass over cached blocks costs at the least, measured on the same blocks and the same
 * {@code treeAggregate} as the solvers' passes, so that a solver's seconds per pass can be read
 * as a multiple of it:
 *
 * <ul>
 *   <li>an empty pass: a job whose tasks visit every block without reading its values (the
 *       latency of scheduling a job and aggregating a scalar);
 *   <li>a streaming pass: {@code X 1} for every block, summed, with the vector of ones shipped
 *       as a shared value as the solvers ship their point: it reads every stored value once, half
 *       the arithmetic of a gradient pass ({@code X w}, then {@code X^T s});
 *   <li>optionally, a gradient pass as the solvers run it (the caller's aggregator: the model's
 *       loss and gradient at a point), to set against a baseline's time per iteration.
 * </ul>
 *
 * <p>Each kind is measured after {@link #WARM_UPS} unmeasured passes: the first passes of a JVM
 * pay JIT compilation and first use (tens of milliseconds each at a9a's size), and the floor is
 * meant as the steady state that a solver's later passes run at.
 *
 * @param emptySeconds median seconds of an empty pass
 * @param streamingSeconds median seconds of a streaming pass
 * @param gradientSeconds median seconds of the gradient pass, NaN when none was measured
 * @param checksum the streaming pass's sum, {@code sum_i sum_j x_ij}: the proof it read the data
 */
public record PassFloor(double emptySeconds, double streamingSeconds, double gradientSeconds,
    double checksum) {

  /** Unmeasured passes of each kind before the measured ones. */
  public static final int WARM_UPS = 10;

  /** Runs {@code repeats} empty and streaming passes on {@code fold}, after the warm-ups. */
  public static PassFloor measure(BlockFold fold, int numFeatures, int repeats) {
    return measure(fold, numFeatures, repeats, null);
  }

  /**
   * The same, and {@code repeats} gradient passes, each one {@link BlockFold#aggregate} of a new
   * {@code gradient.get()}.
   *
   * @param gradient a fresh gradient aggregator per pass, or null for none
   */
  public static <G extends BlockAggregator<G>> PassFloor measure(BlockFold fold, int numFeatures,
      int repeats, Supplier<G> gradient) {
    if (repeats < 1) {
      throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
    }
    double[] ones = new double[numFeatures];
    Arrays.fill(ones, 1.0);
    double[] empty = new double[repeats];
    double[] streaming = new double[repeats];
    double[] gradients = new double[repeats];
    double checksum = 0.0;
    try (Shared<double[]> shared = fold.share(ones)) {
      for (int r = -WARM_UPS; r < repeats; r++) {
        long start = System.nanoTime();
        fold.aggregate("floor: empty pass", new Sum(null));
        long middle = System.nanoTime();
        checksum = fold.aggregate("floor: streaming pass", new Sum(shared)).total;
        long end = System.nanoTime();
        if (gradient != null) {
          fold.aggregate("floor: gradient pass", gradient.get());
        }
        long last = System.nanoTime();
        if (r >= 0) {
          empty[r] = (middle - start) / 1e9;
          streaming[r] = (end - middle) / 1e9;
          gradients[r] = (last - end) / 1e9;
        }
      }
    }
    return new PassFloor(median(empty), median(streaming),
        gradient == null ? Double.NaN : median(gradients), checksum);
  }

  private static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  /** Rows visited (no vector), or the sum of {@code X 1} (with the vector of ones). */
  private static final class Sum implements BlockAggregator<Sum> {
    private final Shared<double[]> ones;
    private double total;
    private transient double[] rowSums;

    Sum(Shared<double[]> ones) {
      this.ones = ones;
    }

    @Override
    public Sum add(RowBlock block) {
      if (ones == null) {
        total += block.numRows();
        return this;
      }
      if (rowSums == null || rowSums.length < block.numRows()) {
        rowSums = new double[block.numRows()];
      }
      block.multiply(ones.get(), false, rowSums);
      for (int i = 0; i < block.numRows(); i++) {
        total += rowSums[i];
      }
      return this;
    }

    @Override
    public Sum merge(Sum other) {
      total += other.total;
      return this;
    }

    @Override
    public Sum emptyCopy() {
      return new Sum(ones);
    }
  }
}
