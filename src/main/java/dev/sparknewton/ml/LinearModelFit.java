package dev.sparknewton.ml;

import dev.sparknewton.data.LabelMapping;
import dev.sparknewton.models.LogisticLoss;
import java.util.List;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * A fitted linear model {@code z = W x + b} with {@code K} outputs ({@code W} is {@code K x d}):
 * binary logistic regression ({@code K = 1}, {@code P(label 1 | x) = sigma(z)}), multinomial
 * logistic regression ({@code P(class k | x) = softmax(z)_k}) or least squares (prediction
 * {@code z}); {@link #labels()} says which raw label each class index stands for.
 */
public final class LinearModelFit implements ModelFit {
  private static final long serialVersionUID = 1L;

  private final ModelType type;
  private final double[][] coefficients;
  private final double[] intercepts;
  private final LabelMapping labels;
  private final List<String> featureNames;

  /**
   * @param coefficients {@code K} rows of {@code d}; copied
   * @param intercepts {@code K}; copied
   */
  public LinearModelFit(ModelType type, double[][] coefficients, double[] intercepts,
      LabelMapping labels, List<String> featureNames) {
    if (coefficients.length == 0 || coefficients.length != intercepts.length) {
      throw new IllegalArgumentException(coefficients.length + " coefficient rows but "
          + intercepts.length + " intercepts");
    }
    this.type = type;
    this.coefficients = new double[coefficients.length][];
    for (int k = 0; k < coefficients.length; k++) {
      if (coefficients[k].length != coefficients[0].length) {
        throw new IllegalArgumentException("coefficient rows of different lengths");
      }
      this.coefficients[k] = coefficients[k].clone();
    }
    this.intercepts = intercepts.clone();
    this.labels = labels;
    this.featureNames = List.copyOf(featureNames);
  }

  @Override
  public ModelType type() {
    return type;
  }

  /** {@code K}. */
  @Override
  public int numOutputs() {
    return intercepts.length;
  }

  @Override
  public int numFeatures() {
    return coefficients[0].length;
  }

  /** A copy of row {@code k} of {@code W}. */
  public double[] coefficients(int k) {
    return coefficients[k].clone();
  }

  /** A copy of {@code W}, {@code K x d}. */
  public double[][] coefficientMatrix() {
    double[][] w = new double[coefficients.length][];
    for (int k = 0; k < w.length; k++) {
      w[k] = coefficients[k].clone();
    }
    return w;
  }

  /** {@code W} as a Spark ML matrix, {@code K x d}. */
  public org.apache.spark.ml.linalg.DenseMatrix mlCoefficientMatrix() {
    int rows = coefficients.length;
    int cols = numFeatures();
    double[] values = new double[rows * cols];
    for (int k = 0; k < rows; k++) {
      for (int j = 0; j < cols; j++) {
        values[j * rows + k] = coefficients[k][j]; // column-major
      }
    }
    return new org.apache.spark.ml.linalg.DenseMatrix(rows, cols, values);
  }

  /** A copy of {@code b}. */
  public double[] intercepts() {
    return intercepts.clone();
  }

  @Override
  public LabelMapping labels() {
    return labels;
  }

  @Override
  public List<String> featureNames() {
    return featureNames;
  }

  /** The {@code K} outputs {@code W x + b}. */
  @Override
  public double[] outputs(Vector x) {
    if (x.size() != numFeatures()) {
      throw new IllegalArgumentException(
          "model has " + numFeatures() + " features but the vector has " + x.size());
    }
    double[] z = intercepts.clone();
    if (x instanceof SparseVector sv) {
      int[] indices = sv.indices();
      double[] values = sv.values();
      for (int k = 0; k < z.length; k++) {
        double[] w = coefficients[k];
        double m = z[k];
        for (int j = 0; j < indices.length; j++) {
          m += w[indices[j]] * values[j];
        }
        z[k] = m;
      }
    } else {
      double[] values = x.toArray();
      for (int k = 0; k < z.length; k++) {
        double[] w = coefficients[k];
        double m = z[k];
        for (int j = 0; j < values.length; j++) {
          m += w[j] * values[j];
        }
        z[k] = m;
      }
    }
    return z;
  }

  /** Binary logistic regression's {@code P(y = 1 | x)}. */
  public double probability(Vector x) {
    if (type != ModelType.BINARY_LOGISTIC) {
      throw new IllegalStateException("probability(x) is for binary models; this is " + type);
    }
    return LogisticLoss.sigmoid(outputs(x)[0]);
  }
}
