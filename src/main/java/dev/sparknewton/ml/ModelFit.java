package dev.sparknewton.ml;

import dev.sparknewton.data.LabelMapping;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;

/**
 * A fitted model of any {@link ModelType}: its {@code K} outputs for a feature vector, and what
 * they mean ({@link #labels()}: which raw label each class index stands for).
 */
public interface ModelFit extends Serializable {
  ModelType type();

  /** {@code K}. */
  int numOutputs();

  /** {@code d}. */
  int numFeatures();

  LabelMapping labels();

  List<String> featureNames();

  /**
   * The {@code K} outputs {@code z = f_theta(x)} the loss was applied to: the margin (binary),
   * the logits (softmax), the prediction (squared error), the reconstruction minus {@code x}
   * (autoencoder).
   */
  double[] outputs(Vector x);
}
