package dev.sparknewton.objective;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.models.BlockAggregator;

/**
 * The sizes a curvature sample is budgeted from, in one pass: the number of blocks, the largest
 * block's {@link RowBlock#sizeInBytes()}, and over all rows the sum and the sum of squares of
 * {@code s_i = }{@link RowBlock#selectedRowBytes(int)}, the bytes row {@code i} adds to a sample.
 * A Bernoulli sample keeping each row with probability {@code f} then has
 * {@code E[bytes] <= 64 m + f sum s_i} and {@code Var[bytes] = f (1 - f) sum s_i^2} (m blocks).
 */
final class RowBytesAggregator implements BlockAggregator<RowBytesAggregator> {
  private static final long serialVersionUID = 1L;

  private long blocks;
  private long largestBlock;
  private double rowBytes;
  private double squaredRowBytes;

  @Override
  public RowBytesAggregator add(RowBlock block) {
    blocks++;
    largestBlock = Math.max(largestBlock, block.sizeInBytes());
    double sum = 0.0;
    double squares = 0.0;
    for (int i = 0, n = block.numRows(); i < n; i++) {
      double s = block.selectedRowBytes(i);
      sum += s;
      squares += s * s;
    }
    rowBytes += sum;
    squaredRowBytes += squares;
    return this;
  }

  @Override
  public RowBytesAggregator merge(RowBytesAggregator other) {
    blocks += other.blocks;
    largestBlock = Math.max(largestBlock, other.largestBlock);
    rowBytes += other.rowBytes;
    squaredRowBytes += other.squaredRowBytes;
    return this;
  }

  @Override
  public RowBytesAggregator emptyCopy() {
    return new RowBytesAggregator();
  }

  /**
   * The sums as a budget rule for {@code budgetBytes}, less {@link #HEADROOM}: a collected sample
   * travels serialized, with framing, next to the partial sums of the iteration's other passes,
   * and Spark counts all of it.
   */
  DriverSampleBudget budget(long budgetBytes) {
    return new DriverSampleBudget(
        (long) (HEADROOM * budgetBytes), blocks, largestBlock, rowBytes, squaredRowBytes);
  }

  /**
   * The share of the budget a drawn-down sample is sized to: measured, a sample sized to the
   * whole budget made an iteration's bytes as Spark's task metrics count them 0.4-1.7% larger
   * (d = 30, 3 partitions, 50 KB blocks: CurvatureBudgetCommandSuite).
   */
  static final double HEADROOM = 0.95;
}
