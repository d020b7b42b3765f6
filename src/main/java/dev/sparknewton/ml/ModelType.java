package dev.sparknewton.ml;

import dev.sparknewton.data.LabelKind;
import dev.sparknewton.data.LabelMapping;
import dev.sparknewton.models.LinearModel;
import dev.sparknewton.models.LogisticLoss;
import dev.sparknewton.models.OutputLoss;
import dev.sparknewton.models.SoftmaxCrossEntropy;
import dev.sparknewton.models.SquaredLoss;
import java.util.Locale;

/**
 * The models {@code train} fits, each a {@link LinearModel} with its loss and the labels it needs
 * (the objectives are Spark MLlib's with {@code standardization = false}):
 *
 * <ul>
 *   <li>{@code binary-logistic}: {@code K = 1}, labels two values mapped to 0/1,
 *       {@code (1/sum c) sum c_i log(1 + exp(-s_i (w.x_i + b))) + (lambda/2) ||w||^2}
 *       ({@code s_i = +-1});
 *   <li>{@code multinomial-logistic}: {@code K} classes, labels mapped to {@code 0..K-1},
 *       {@code (1/sum c) sum c_i [-log softmax(W x_i + b)_{y_i}] + (lambda/2) ||W||_F^2};
 *   <li>{@code least-squares}: {@code K = 1}, real targets,
 *       {@code (1/(2 sum c)) sum c_i (y_i - w.x_i - b)^2 + (lambda/2) ||w||^2};
 *   <li>{@code mlp}: a feed-forward network ({@link NetworkSpec}) with softmax cross-entropy
 *       (class labels) or squared error (one-hot class targets, or a real target) on its outputs;
 *   <li>{@code autoencoder}: a feed-forward network whose target is its input, squared error.
 * </ul>
 *
 * Intercepts and biases are never penalized. The linear types follow from the labels
 * ({@link #of}); the network types are chosen by configuration.
 */
public enum ModelType {
  BINARY_LOGISTIC(LabelKind.BINARY),
  MULTINOMIAL_LOGISTIC(LabelKind.MULTICLASS),
  LEAST_SQUARES(LabelKind.REAL),
  MLP(LabelKind.AUTO),
  AUTOENCODER(LabelKind.AUTO);

  private final LabelKind labels;

  ModelType(LabelKind labels) {
    this.labels = labels;
  }

  /** The label kind the data loader must produce for this model. */
  public LabelKind labelKind() {
    return labels;
  }

  /** The model that fits labels of {@code mapping}'s kind. */
  public static ModelType of(LabelMapping mapping) {
    return switch (mapping.kind()) {
      case BINARY -> BINARY_LOGISTIC;
      case MULTICLASS -> MULTINOMIAL_LOGISTIC;
      case REAL -> LEAST_SQUARES;
      case AUTO -> throw new IllegalArgumentException("a label mapping is never of kind AUTO");
    };
  }

  /** Whether this is a feed-forward network type. */
  public boolean network() {
    return this == MLP || this == AUTOENCODER;
  }

  /** The linear model of {@code numFeatures} features for labels {@code mapping}. */
  public LinearModel linearModel(int numFeatures, boolean intercept, LabelMapping mapping) {
    OutputLoss loss = switch (this) {
      case BINARY_LOGISTIC -> LogisticLoss.INSTANCE;
      case MULTINOMIAL_LOGISTIC -> new SoftmaxCrossEntropy(mapping.numClasses());
      case LEAST_SQUARES -> SquaredLoss.INSTANCE;
      case MLP, AUTOENCODER -> throw new IllegalStateException(configName() + " is not linear");
    };
    return new LinearModel(numFeatures, intercept, loss);
  }

  /** {@code binary-logistic}, as in configurations and {@code model.json}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The type named {@code name} ({@code binary-logistic}, ...), or empty for {@code auto}. */
  public static java.util.Optional<ModelType> parse(String name) {
    if (name.equals("auto")) {
      return java.util.Optional.empty();
    }
    for (ModelType t : values()) {
      if (t.configName().equals(name)) {
        return java.util.Optional.of(t);
      }
    }
    throw new IllegalArgumentException("unknown model type '" + name + "'");
  }
}
