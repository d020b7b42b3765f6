package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;

/**
 * The loss along a line for a whole vector of step sizes in one pass:
 * {@code sum c_i l(z_i.w + a_k z_i.p)} for every {@code a_k}, using that margins are linear in the
 * step ({@code z.(w + a p) = z.w + a z.p}), so each row costs two inner products however many
 * steps are tried.
 */
public final class LineValuesAggregator implements BlockAggregator<LineValuesAggregator> {
  private static final long serialVersionUID = 1L;

  private final Shared<double[]> coefficients;
  private final Shared<double[]> direction;
  private final double[] steps;
  private final MarginLoss loss;
  private final boolean intercept;

  private double weightSum;
  private final double[] lossSums;
  private transient double[] margins;
  private transient double[] slopes;

  public LineValuesAggregator(
      Shared<double[]> coefficients, Shared<double[]> direction, double[] steps,
      MarginLoss loss, boolean intercept) {
    this.coefficients = coefficients;
    this.direction = direction;
    this.steps = steps.clone();
    this.loss = loss;
    this.intercept = intercept;
    this.lossSums = new double[steps.length];
  }

  @Override
  public LineValuesAggregator add(RowBlock block) {
    int n = block.numRows();
    if (n == 0) {
      return this;
    }
    if (margins == null || margins.length < n) {
      margins = new double[n];
      slopes = new double[n];
    }
    block.multiply(coefficients.get(), intercept, margins);
    block.multiply(direction.get(), intercept, slopes);
    for (int i = 0; i < n; i++) {
      double c = block.weight(i);
      if (c == 0.0) {
        continue;
      }
      double y = block.label(i);
      weightSum += c;
      for (int k = 0; k < steps.length; k++) {
        lossSums[k] += c * loss.loss(margins[i] + steps[k] * slopes[i], y);
      }
    }
    return this;
  }

  @Override
  public LineValuesAggregator merge(LineValuesAggregator other) {
    weightSum += other.weightSum;
    for (int k = 0; k < lossSums.length; k++) {
      lossSums[k] += other.lossSums[k];
    }
    return this;
  }

  public double weightSum() {
    return weightSum;
  }

  /** {@code sum c_i l(m_i + a_k q_i)} for each step {@code a_k}. */
  public double[] lossSums() {
    return lossSums.clone();
  }
}
