package dev.sparknewton.ml;

import dev.sparknewton.data.LabelKind;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.api.java.function.FilterFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Complete separation: a classification problem whose unregularized loss has no minimum.
 *
 * <p>The logistic loss {@code log(1 + exp(-s z))} and the softmax cross-entropy
 * {@code -log softmax(z)_y} are positive and fall to 0 only as the margin of the true class grows
 * without bound. If a model {@code theta} classifies every training row of positive weight
 * strictly right (binary: {@code s_i z_i > 0}; {@code K} classes: {@code z_{y_i} > max_{k != y_i}
 * z_k}), then scaling its output layer by {@code t > 1} lowers every loss term, so with
 * {@code lambda = 0} the infimum 0 is approached only as {@code ||theta|| -> infinity} (Albert and
 * Anderson, "On the existence of maximum likelihood estimates in logistic regression models",
 * Biometrika 1984). A solver that stops there has stopped on its tolerance at an arbitrary point
 * of a divergent path, not at a minimum: at lambda = 0 a final point that separates the
 * training rows is proof that the data are separable.
 */
public final class Separation {
  private Separation() {}

  /**
   * True when {@code model} is a classifier (binary or multinomial logistic, or a network with a
   * softmax output) that classifies every row of {@code train} with positive weight strictly
   * right. One job over {@code train} (columns label, features, weight).
   */
  public static boolean separates(ModelFit model, Dataset<Row> train) {
    boolean classifier = model.type() == ModelType.BINARY_LOGISTIC
        || model.type() == ModelType.MULTINOMIAL_LOGISTIC
        || (model.type() == ModelType.MLP && model.labels().kind() != LabelKind.REAL);
    if (!classifier) {
      return false;
    }
    // A typed filter (the Dataset API alone), so it runs on a Spark Connect session too.
    long misclassified = train.select("label", "features", "weight")
        .filter((FilterFunction<Row>) r -> r.getDouble(2) > 0.0
            && !(margin(model.outputs((Vector) r.get(1)), (int) r.getDouble(0)) > 0.0))
        .count();
    return misclassified == 0;
  }

  /**
   * The margin of class {@code y}: {@code s z} with {@code s = 2y - 1} for one output, else
   * {@code z_y - max_{k != y} z_k}.
   *
   * @param z the model's outputs. Not modified.
   */
  static double margin(double[] z, int y) {
    if (z.length == 1) {
      return y == 1 ? z[0] : -z[0];
    }
    double other = Double.NEGATIVE_INFINITY;
    for (int k = 0; k < z.length; k++) {
      if (k != y) {
        other = Math.max(other, z[k]);
      }
    }
    return z[y] - other;
  }
}
