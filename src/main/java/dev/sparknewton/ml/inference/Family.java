package dev.sparknewton.ml.inference;

import dev.sparknewton.models.LinearModel;
import dev.sparknewton.models.LogisticLoss;
import dev.sparknewton.models.SquaredLoss;

/**
 * The generalized linear model family whose negative log-likelihood a linear model's loss is, in
 * the sense of Spark MLlib's {@code GeneralizedLinearRegression} (GLR): it fixes the dispersion
 * {@code phi} and the reference distribution of the Wald statistics.
 */
public enum Family {
  /**
   * Binary logistic regression: GLR {@code family = "binomial"}, {@code link = "logit"}.
   * {@code phi = 1}; {@code z = theta_j / se_j} against the standard normal.
   */
  BINOMIAL("z"),
  /**
   * Least squares: GLR {@code family = "gaussian"}, {@code link = "identity"}. {@code phi}
   * estimated as GLR does, {@code sum_i c_i (y_i - mu_i)^2 / (n - P)} with {@code n} the number
   * of rows (zero-weight rows included, as GLR's {@code numInstances}) and {@code P} the number
   * of parameters (GLR's {@code rank}); {@code t = theta_j / se_j} against Student's t with
   * {@code n - P} degrees of freedom.
   */
  GAUSSIAN("t");

  private final String statistic;

  Family(String statistic) {
    this.statistic = statistic;
  }

  /** {@code "z"} or {@code "t"}: the name of the Wald statistic and its reference law. */
  public String statistic() {
    return statistic;
  }

  /**
   * The family of {@code model}'s loss: {@link LogisticLoss} gives {@link #BINOMIAL},
   * {@link SquaredLoss} {@link #GAUSSIAN}.
   *
   * @throws IllegalArgumentException for any other loss (a multinomial model's softmax
   *     parameters are not identifiable: its unregularized Hessian is singular along
   *     {@code (v, ..., v)}, so there is no covariance to report)
   */
  public static Family of(LinearModel model) {
    if (model.loss() instanceof LogisticLoss) {
      return BINOMIAL;
    }
    if (model.loss() instanceof SquaredLoss) {
      return GAUSSIAN;
    }
    throw new IllegalArgumentException("coefficient standard errors are defined for binary "
        + "logistic regression and least squares (GLR's binomial and gaussian families), not for "
        + model);
  }
}
