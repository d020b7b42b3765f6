package dev.sparknewton.ml;

import dev.sparknewton.data.DenseRowBlock;
import dev.sparknewton.data.LabelMapping;
import dev.sparknewton.models.Model;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;

/**
 * A fitted network ({@link ModelType#MLP} or {@link ModelType#AUTOENCODER}): the model and its
 * parameters {@code theta} in the model's own layout; outputs are computed by the model's forward
 * pass, so there is one implementation of the network's arithmetic.
 */
public final class NetworkFit implements ModelFit {
  private static final long serialVersionUID = 1L;

  private final ModelType type;
  private final Model model;
  private final double[] theta;
  private final int numFeatures;
  private final LabelMapping labels;
  private final List<String> featureNames;

  /** @param theta copied */
  public NetworkFit(ModelType type, Model model, double[] theta, int numFeatures,
      LabelMapping labels, List<String> featureNames) {
    if (theta.length != model.dimension()) {
      throw new IllegalArgumentException(
          theta.length + " parameters for a model of dimension " + model.dimension());
    }
    this.type = type;
    this.model = model;
    this.theta = theta.clone();
    this.numFeatures = numFeatures;
    this.labels = labels;
    this.featureNames = List.copyOf(featureNames);
  }

  @Override
  public ModelType type() {
    return type;
  }

  public Model model() {
    return model;
  }

  /** A copy of {@code theta}. */
  public double[] parameters() {
    return theta.clone();
  }

  @Override
  public int numOutputs() {
    return model.numOutputs();
  }

  @Override
  public int numFeatures() {
    return numFeatures;
  }

  @Override
  public LabelMapping labels() {
    return labels;
  }

  @Override
  public List<String> featureNames() {
    return featureNames;
  }

  @Override
  public double[] outputs(Vector x) {
    if (x.size() != numFeatures) {
      throw new IllegalArgumentException(
          "model has " + numFeatures + " features but the vector has " + x.size());
    }
    DenseRowBlock row = new DenseRowBlock(0L, numFeatures, new double[1], new double[] {1.0},
        x.toArray());
    double[] z = new double[model.numOutputs()];
    model.outputs(row, theta, z);
    return z;
  }
}
