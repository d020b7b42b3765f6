package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;

/**
 * The loss at several points near {@code theta} in one pass: {@code sum c_i l(z_i(theta + d_j))}
 * for every column {@code d_j} of a {@code P x m} block {@code D} (Hessian-free's CG
 * backtracking evaluates every stored CG iterate this way, in one Spark job). For a model linear
 * in its parameters the outputs are {@code z + J D}: two products for all {@code m} points;
 * otherwise one forward pass per point. Only the rows of a {@link RowSample} count when one is
 * given.
 */
public final class OffsetValuesAggregator implements BlockAggregator<OffsetValuesAggregator> {
  private static final long serialVersionUID = 1L;

  private final Shared<double[]> parameters;
  private final Shared<ColumnMatrix> offsets;
  private final Model model;
  private final RowSample sample;

  private double weightSum;
  private double[] lossSums;
  private transient double[] outputs;

  /** Over the rows of {@code sample} ({@link RowSample#all()}: every row). */
  public OffsetValuesAggregator(Shared<double[]> parameters, Shared<ColumnMatrix> offsets,
      Model model, RowSample sample) {
    this.parameters = parameters;
    this.offsets = offsets;
    this.model = model;
    this.sample = sample;
  }

  @Override
  public OffsetValuesAggregator add(RowBlock rows) {
    RowBlock block = sample.apply(rows);
    int n = block.numRows();
    if (n == 0) {
      return this;
    }
    double[] theta = parameters.get();
    ColumnMatrix d = offsets.get();
    int m = d.cols();
    int k = model.numOutputs();
    if (lossSums == null) {
      lossSums = new double[m];
    }
    if (outputs == null || outputs.length < n * k) {
      outputs = new double[n * k];
    }
    if (model.linearInParameters()) {
      double[] moves = new double[n * k * m];
      model.outputs(block, theta, outputs);
      model.jacobianTimes(block, theta, d, moves);
      OutputLoss loss = model.loss();
      double[] row = new double[k];
      for (int j = 0; j < m; j++) {
        int base = j * k * n;
        double sum = 0.0;
        for (int i = 0; i < n; i++) {
          double c = block.weight(i);
          if (c == 0.0) {
            continue;
          }
          for (int o = 0; o < k; o++) {
            row[o] = outputs[o * n + i] + moves[base + o * n + i];
          }
          sum += c * loss.loss(row, 0, 1, block.label(i));
        }
        lossSums[j] += sum;
      }
    } else {
      double[] point = new double[theta.length];
      for (int j = 0; j < m; j++) {
        for (int t = 0; t < point.length; t++) {
          point[t] = theta[t] + d.get(t, j);
        }
        lossSums[j] += weightedLoss(model, block, point, outputs);
      }
    }
    weightSum += block.weightSum();
    return this;
  }

  /**
   * {@code sum c_i l(f_theta(x_i); y_i)} over the rows of {@code block}: one forward pass.
   *
   * @param outputs scratch of at least {@code n K} doubles. Modified.
   */
  static double weightedLoss(Model model, RowBlock block, double[] theta, double[] outputs) {
    int n = block.numRows();
    model.outputs(block, theta, outputs);
    OutputLoss loss = model.loss();
    double sum = 0.0;
    for (int i = 0; i < n; i++) {
      double c = block.weight(i);
      if (c != 0.0) {
        sum += c * loss.loss(outputs, i, n, block.label(i));
      }
    }
    return sum;
  }

  @Override
  public OffsetValuesAggregator emptyCopy() {
    return new OffsetValuesAggregator(parameters, offsets, model, sample);
  }

  @Override
  public OffsetValuesAggregator merge(OffsetValuesAggregator other) {
    weightSum += other.weightSum;
    if (other.lossSums != null) {
      if (lossSums == null) {
        lossSums = other.lossSums.clone();
      } else {
        for (int j = 0; j < lossSums.length; j++) {
          lossSums[j] += other.lossSums[j];
        }
      }
    }
    return this;
  }

  public double weightSum() {
    return weightSum;
  }

  /** {@code sum c_i l(z_i(theta + d_j))} for each column {@code d_j} (zeros when no row was seen). */
  public double[] lossSums(int m) {
    return lossSums == null ? new double[m] : lossSums.clone();
  }
}
