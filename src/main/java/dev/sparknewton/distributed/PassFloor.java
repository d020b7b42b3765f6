package dev.sparknewton.distributed;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.models.BlockAggregator;
import dev.sparknewton.models.Shared;
import dev.sparknewton.objective.BlockFold;
import java.util.Arrays;

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
 *       the arithmetic of a gradient pass ({@code X w}, then {@code X^T s}).
 * </ul>
 *
 * @param emptySeconds median seconds of an empty pass
 * @param streamingSeconds median seconds of a streaming pass
 * @param checksum the streaming pass's sum, {@code sum_i sum_j x_ij}: the proof it read the data
 */
public record PassFloor(double emptySeconds, double streamingSeconds, double checksum) {

  /** Runs {@code repeats} empty and streaming passes on {@code fold} (after one warm-up each). */
  public static PassFloor measure(BlockFold fold, int numFeatures, int repeats) {
    if (repeats < 1) {
      throw new IllegalArgumentException("repeats must be >= 1, got " + repeats);
    }
    double[] ones = new double[numFeatures];
    Arrays.fill(ones, 1.0);
    double[] empty = new double[repeats];
    double[] streaming = new double[repeats];
    double checksum = 0.0;
    try (Shared<double[]> shared = fold.share(ones)) {
      for (int r = -1; r < repeats; r++) {
        long start = System.nanoTime();
        fold.aggregate("floor: empty pass", new Sum(null));
        long middle = System.nanoTime();
        checksum = fold.aggregate("floor: streaming pass", new Sum(shared)).total;
        long end = System.nanoTime();
        if (r >= 0) {
          empty[r] = (middle - start) / 1e9;
          streaming[r] = (end - middle) / 1e9;
        }
      }
    }
    return new PassFloor(median(empty), median(streaming), checksum);
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
