package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;

/**
 * How well a model's outputs at {@code theta} predict the labels of held-out rows, in one pass:
 * the weighted mean loss and, for class labels, the weighted accuracy of the predicted class
 * ({@code argmax_k z_k} for {@code K > 1} outputs; {@code z >= 0} means class 1 for a single
 * logistic output).
 */
public final class PredictionAggregator implements BlockAggregator<PredictionAggregator> {
  private static final long serialVersionUID = 1L;

  private final Shared<double[]> parameters;
  private final Model model;

  private double weightSum;
  private double lossSum;
  private double correctSum;
  private transient double[] outputs;

  public PredictionAggregator(Shared<double[]> parameters, Model model) {
    this.parameters = parameters;
    this.model = model;
  }

  @Override
  public PredictionAggregator add(RowBlock block) {
    int n = block.numRows();
    if (n == 0) {
      return this;
    }
    int k = model.numOutputs();
    if (outputs == null || outputs.length < n * k) {
      outputs = new double[n * k];
    }
    model.outputs(block, parameters.get(), outputs);
    OutputLoss loss = model.loss();
    for (int i = 0; i < n; i++) {
      double c = block.weight(i);
      double y = block.label(i);
      weightSum += c;
      lossSum += c * loss.loss(outputs, i, n, y);
      if (predictedClass(outputs, i, n, k) == y) {
        correctSum += c;
      }
    }
    return this;
  }

  /** {@code argmax_k z_k} of row {@code i}, the first on ties; for one output, {@code z >= 0}. */
  static int predictedClass(double[] z, int i, int n, int k) {
    if (k == 1) {
      return z[i] >= 0.0 ? 1 : 0;
    }
    int best = 0;
    for (int o = 1; o < k; o++) {
      if (z[o * n + i] > z[best * n + i]) {
        best = o;
      }
    }
    return best;
  }

  @Override
  public PredictionAggregator emptyCopy() {
    return new PredictionAggregator(parameters, model);
  }

  @Override
  public PredictionAggregator merge(PredictionAggregator other) {
    weightSum += other.weightSum;
    lossSum += other.lossSum;
    correctSum += other.correctSum;
    return this;
  }

  /** The weighted mean loss (the data term, without regularization). */
  public double meanLoss() {
    return lossSum / weightSum;
  }

  /** The weighted share of rows whose predicted class is their label (class labels only). */
  public double accuracy() {
    return correctSum / weightSum;
  }
}
