package dev.sparknewton.ml;

import dev.sparknewton.data.LabelMapping;
import dev.sparknewton.models.LogisticLoss;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * A fitted binary logistic regression: {@code P(y = 1 | x) = sigma(w . x + b)}, where label 1 is
 * {@link LabelMapping#positive()} of the training data.
 */
public final class BinaryLogisticModel implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[] coefficients;
  private final double intercept;
  private final LabelMapping labels;
  private final List<String> featureNames;

  /**
   * @param coefficients length {@code d}; copied
   */
  public BinaryLogisticModel(
      double[] coefficients, double intercept, LabelMapping labels, List<String> featureNames) {
    this.coefficients = coefficients.clone();
    this.intercept = intercept;
    this.labels = labels;
    this.featureNames = List.copyOf(featureNames);
  }

  /** A copy of {@code w}. */
  public double[] coefficients() {
    return coefficients.clone();
  }

  public double intercept() {
    return intercept;
  }

  public int numFeatures() {
    return coefficients.length;
  }

  public LabelMapping labels() {
    return labels;
  }

  public List<String> featureNames() {
    return featureNames;
  }

  /** {@code w . x + b}. */
  public double margin(Vector x) {
    if (x.size() != coefficients.length) {
      throw new IllegalArgumentException(
          "model has " + coefficients.length + " features but the vector has " + x.size());
    }
    double m = intercept;
    if (x instanceof SparseVector sv) {
      int[] indices = sv.indices();
      double[] values = sv.values();
      for (int k = 0; k < indices.length; k++) {
        m += coefficients[indices[k]] * values[k];
      }
    } else {
      double[] values = x.toArray();
      for (int j = 0; j < values.length; j++) {
        m += coefficients[j] * values[j];
      }
    }
    return m;
  }

  /** {@code P(y = 1 | x)}. */
  public double probability(Vector x) {
    return LogisticLoss.sigmoid(margin(x));
  }
}
