package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;

/**
 * The loss along a line for a whole vector of step sizes in one pass:
 * {@code sum c_i l(z_i + a_k u_i)} for every {@code a_k}, with {@code z_i} the outputs at
 * {@code theta} and {@code u_i = J_i p}. For a linear model the outputs are linear in the step
 * ({@code z(theta + a p) = z(theta) + a J p}), so each row costs two products however many steps
 * are tried; for any other model ({@link Model#linearInParameters()} false) each step is a
 * forward pass at {@code theta + a_k p}, all in the same Spark job.
 */
public final class LineValuesAggregator implements BlockAggregator<LineValuesAggregator> {
  private static final long serialVersionUID = 1L;

  private final Shared<double[]> parameters;
  private final Shared<double[]> direction;
  private final double[] steps;
  private final Model model;

  private double weightSum;
  private final double[] lossSums;
  private transient double[] outputs;
  private transient double[] slopes;
  private transient Model.LinePass line;

  public LineValuesAggregator(
      Shared<double[]> parameters, Shared<double[]> direction, double[] steps, Model model) {
    this.parameters = parameters;
    this.direction = direction;
    this.steps = steps.clone();
    this.model = model;
    this.lossSums = new double[steps.length];
  }

  @Override
  public LineValuesAggregator add(RowBlock block) {
    int n = block.numRows();
    if (n == 0) {
      return this;
    }
    int k = model.numOutputs();
    if (outputs == null || outputs.length < n * k) {
      outputs = new double[n * k];
      slopes = new double[n * k];
    }
    double[] theta = parameters.get();
    double[] p = direction.get();
    if (!model.linearInParameters()) {
      double[] point = new double[theta.length];
      for (int s = 0; s < steps.length; s++) {
        for (int j = 0; j < point.length; j++) {
          point[j] = theta[j] + steps[s] * p[j];
        }
        lossSums[s] += OffsetValuesAggregator.weightedLoss(model, block, point, outputs);
      }
      weightSum += block.weightSum();
      return this;
    }
    if (line == null) {
      line = model.linePass(theta, p);
    }
    line.outputsAndSlopes(block, outputs, slopes);
    weightSum += model.loss().addLineLosses(block, outputs, slopes, steps, lossSums);
    return this;
  }

  @Override
  public LineValuesAggregator emptyCopy() {
    return new LineValuesAggregator(parameters, direction, steps, model);
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

  /** {@code sum c_i l(z_i + a_k u_i)} for each step {@code a_k}. */
  public double[] lossSums() {
    return lossSums.clone();
  }
}
