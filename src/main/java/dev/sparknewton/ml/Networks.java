package dev.sparknewton.ml;

import dev.sparknewton.data.LabelKind;
import dev.sparknewton.data.LabelMapping;
import dev.sparknewton.models.Activation;
import dev.sparknewton.models.FeedForwardNetwork;
import java.util.Arrays;
import java.util.List;

/** Builds the {@link FeedForwardNetwork} of a {@link NetworkSpec} for the data's features and labels. */
public final class Networks {
  /** Hidden activations by configuration name. */
  public static final List<String> ACTIVATIONS =
      Arrays.stream(Activation.values()).map(Activation::configName).toList();

  private Networks() {}

  /**
   * {@code mlp} with {@code softmax}: cross-entropy over the classes (binary labels give two
   * outputs); {@code mlp} with {@code squared}: squared error on one-hot class targets, or on a
   * real target with one output; {@code autoencoder}: squared error of the reconstruction, labels
   * unused.
   *
   * @throws IllegalArgumentException softmax on real targets
   */
  public static FeedForwardNetwork build(NetworkSpec spec, int numFeatures, LabelMapping labels) {
    int[] hidden = spec.hidden().stream().mapToInt(Integer::intValue).toArray();
    Activation activation = Activation.parse(spec.activation());
    if (spec.type() == ModelType.AUTOENCODER) {
      return FeedForwardNetwork.autoencoder(numFeatures, hidden, activation);
    }
    boolean real = labels.kind() == LabelKind.REAL;
    if (spec.output().equals("softmax")) {
      if (real) {
        throw new IllegalArgumentException("model.output = softmax needs class labels, but the "
            + "labels are real targets; use model.output = squared");
      }
      return FeedForwardNetwork.classifier(numFeatures, hidden, activation, labels.numClasses());
    }
    return FeedForwardNetwork.squaredError(
        numFeatures, hidden, activation, real ? 1 : labels.numClasses());
  }
}
