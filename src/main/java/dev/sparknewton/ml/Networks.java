package dev.sparknewton.ml;

import dev.sparknewton.data.LabelMapping;
import dev.sparknewton.models.Model;
import java.util.List;

/** Builds the network model of a {@link NetworkSpec} for the data's features and labels. */
public final class Networks {
  /** Hidden activations by configuration name. */
  public static final List<String> ACTIVATIONS = List.of("sigmoid", "tanh", "relu", "softplus");

  private Networks() {}

  public static Model build(NetworkSpec spec, int numFeatures, LabelMapping labels) {
    throw new UnsupportedOperationException("network models arrive with the models/ network class");
  }
}
