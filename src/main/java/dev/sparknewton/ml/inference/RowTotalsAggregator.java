package dev.sparknewton.ml.inference;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.models.BlockAggregator;

/**
 * The number of rows {@code n} (zero-weight rows included) and the weight sum
 * {@code W = sum_i c_i} of the blocks it is folded over.
 */
final class RowTotalsAggregator implements BlockAggregator<RowTotalsAggregator> {
  private static final long serialVersionUID = 1L;

  private long rows;
  private double weights;

  @Override
  public RowTotalsAggregator add(RowBlock block) {
    rows += block.numRows();
    weights += block.weightSum();
    return this;
  }

  @Override
  public RowTotalsAggregator merge(RowTotalsAggregator other) {
    rows += other.rows;
    weights += other.weights;
    return this;
  }

  @Override
  public RowTotalsAggregator emptyCopy() {
    return new RowTotalsAggregator();
  }

  long rows() {
    return rows;
  }

  double weightSum() {
    return weights;
  }
}
