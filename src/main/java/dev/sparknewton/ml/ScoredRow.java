package dev.sparknewton.ml;

import java.io.Serializable;

/**
 * One scored test row: a model's outputs for the row, its label and its instance weight. The
 * input of {@link MulticlassMetrics} and {@link RegressionMetrics}, independent of any model
 * class.
 *
 * <p>A final class rather than a record: Spark's Kryo serializer (Kryo 4) cannot serialize
 * records, and a scored row may be shuffled or cached under {@code spark.serializer = Kryo}.
 *
 * @param outputs the model's outputs. Multinomial logistic regression with K classes: the K
 *     linear scores {@code z} (not probabilities; the probabilities are {@code softmax(z)}).
 *     Least squares: one element, the prediction. Not copied and not modified.
 * @param label the class index {@code 0..K-1} (as a double), or the real-valued target
 * @param weight the instance weight {@code c >= 0}
 * @throws IllegalArgumentException if {@code outputs} is null, {@code label} is not finite or
 *     {@code weight} is negative, NaN or infinite
 */
public final class ScoredRow implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] outputs;
  private final double label;
  private final double weight;

  public ScoredRow(double[] outputs, double label, double weight) {
    if (outputs == null) {
      throw new IllegalArgumentException("outputs must not be null");
    }
    if (!Double.isFinite(label)) {
      throw new IllegalArgumentException("label must be finite, got " + label);
    }
    if (!(weight >= 0.0) || weight == Double.POSITIVE_INFINITY) {
      throw new IllegalArgumentException("weight must be finite and >= 0, got " + weight);
    }
    this.outputs = outputs;
    this.label = label;
    this.weight = weight;
  }

  /** The outputs, not copied; not to be modified. */
  public double[] outputs() {
    return outputs;
  }

  public double label() {
    return label;
  }

  public double weight() {
    return weight;
  }
}
