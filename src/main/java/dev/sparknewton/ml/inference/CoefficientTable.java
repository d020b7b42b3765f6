package dev.sparknewton.ml.inference;

import java.util.OptionalDouble;

/**
 * Wald inference for every parameter of a fitted linear model, in the model's parameter layout
 * ({@code models.LinearModel}: for {@code K = 1} outputs, {@code [w_1 .. w_d; b]}, which is the
 * order of Spark MLlib's {@code GeneralizedLinearRegressionTrainingSummary} arrays: coefficients,
 * then the intercept):
 *
 * <pre>
 *   Cov            = phi (W H)^-1        H the Hessian of the objective at theta (see hessian()),
 *                                        W = sum_i c_i, phi the dispersion
 *   se_j           = sqrt(Cov_jj)        GLR's coefficientStandardErrors
 *   s_j            = theta_j / se_j      GLR's tValues (z for binomial, t for gaussian)
 *   p_j            = P(|T| >= |s_j|)     GLR's pValues, T ~ N(0, 1) or Student's t(n - P)
 * </pre>
 *
 * Immutable: the accessors return copies.
 *
 * @param family the likelihood, and with it {@code phi} and the law of {@code s_j}
 * @param hessian which objective's Hessian was inverted
 * @param regParam {@code lambda} of the inverted Hessian's penalty (0 when unregularized)
 * @param method {@link InferenceConfig.Method#EXACT} or {@link InferenceConfig.Method#LOW_RANK}
 * @param rank eigenpairs of the sketch used by the low-rank method (0 for exact)
 * @param sketchError low rank: the eigensolver's bound of the spectral-norm error of the sketch
 *     of the Jacobi-scaled Hessian ({@link LowRankInverseDiagonal}); empty for exact
 * @param probes low rank: the Rademacher probes of the control-variate correction (0: none)
 * @param probeResidual low rank with probes: the largest relative residual of the probe solves
 * @param estimates {@code theta}
 * @param standardErrors {@code se}
 * @param statistics {@code s}
 * @param pValues {@code p}
 * @param dispersion {@code phi}: 1 for binomial, {@code sum c_i (y_i - mu_i)^2 / (n - P)} for
 *     gaussian
 * @param numRows {@code n}, the rows of the training data (zero-weight rows included, as GLR)
 * @param weightSum {@code W}
 * @param degreesOfFreedom {@code n - P} (GLR's {@code degreesOfFreedom})
 * @param passes passes over the data spent on this table
 */
public record CoefficientTable(Family family, InferenceConfig.Hessian hessian, double regParam,
    InferenceConfig.Method method, int rank, OptionalDouble sketchError, int probes,
    OptionalDouble probeResidual, double[] estimates,
    double[] standardErrors, double[] statistics, double[] pValues, double dispersion,
    long numRows, double weightSum, long degreesOfFreedom, int passes) {

  public CoefficientTable {
    int p = estimates.length;
    if (standardErrors.length != p || statistics.length != p || pValues.length != p) {
      throw new IllegalArgumentException("expected " + p + " standard errors, statistics and "
          + "p-values, got " + standardErrors.length + ", " + statistics.length + " and "
          + pValues.length);
    }
    estimates = estimates.clone();
    standardErrors = standardErrors.clone();
    statistics = statistics.clone();
    pValues = pValues.clone();
  }

  /** {@code "z"} (binomial) or {@code "t"} (gaussian). */
  public String statisticName() {
    return family.statistic();
  }

  @Override
  public double[] estimates() {
    return estimates.clone();
  }

  @Override
  public double[] standardErrors() {
    return standardErrors.clone();
  }

  @Override
  public double[] statistics() {
    return statistics.clone();
  }

  @Override
  public double[] pValues() {
    return pValues.clone();
  }

  @Override
  public String toString() {
    return "CoefficientTable(" + family + ", " + hessian + " Hessian"
        + (hessian == InferenceConfig.Hessian.REGULARIZED ? " lambda = " + regParam : "") + ", "
        + method + (rank > 0 ? " rank " + rank : "") + (probes > 0 ? " " + probes + " probes" : "")
        + ", " + estimates.length
        + " parameters, dispersion " + dispersion + ", " + passes + " passes)";
  }
}
