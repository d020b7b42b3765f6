package dev.sparknewton.ml;

import java.io.Serializable;
import java.util.List;

/**
 * The architecture of a feed-forward network as configured: {@code model.type} ({@link
 * ModelType#MLP} or {@link ModelType#AUTOENCODER}), {@code model.layers} (hidden widths, input to
 * output), {@code model.activation} of every hidden layer, {@code model.output} ({@code softmax}
 * or {@code squared}; an autoencoder's is {@code squared}), and the seed of the Glorot
 * initialization ({@code model.initSeed}).
 */
public record NetworkSpec(ModelType type, List<Integer> hidden, String activation, String output,
    long initSeed) implements Serializable {

  /** Output names. */
  public static final List<String> OUTPUTS = List.of("softmax", "squared");

  public NetworkSpec {
    if (!type.network()) {
      throw new IllegalArgumentException(type.configName() + " is not a network type");
    }
    hidden = List.copyOf(hidden);
    for (int h : hidden) {
      if (h < 1) {
        throw new IllegalArgumentException("model.layers: every hidden width must be >= 1, got "
            + hidden);
      }
    }
    if (type == ModelType.AUTOENCODER && hidden.isEmpty()) {
      throw new IllegalArgumentException("model.layers: an autoencoder needs a hidden layer");
    }
    if (!OUTPUTS.contains(output)) {
      throw new IllegalArgumentException(
          "model.output must be one of " + OUTPUTS + ", got '" + output + "'");
    }
    if (type == ModelType.AUTOENCODER && !output.equals("squared")) {
      throw new IllegalArgumentException("model.output of an autoencoder is squared, got '"
          + output + "'");
    }
  }
}
