package dev.sparknewton.ml.inference;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.Cholesky;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.models.LinearModel;
import dev.sparknewton.objective.BlockFold;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.L2Regularized;
import dev.sparknewton.objective.ModelObjective;
import dev.sparknewton.objective.SecondOrderObjective;
import dev.sparknewton.randomized.RandomizedEigenConfig;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * Standard errors, Wald statistics and two-sided p-values of the parameters of a fitted linear
 * model (binary logistic regression or least squares), from the inverse Hessian at the optimum,
 * defined exactly as Spark MLlib's {@code GeneralizedLinearRegression} (GLR) defines them for
 * {@code family = "binomial"} (logit) and {@code "gaussian"} (identity) with {@code regParam = 0}.
 *
 * <p><b>Scaling.</b> The objective is {@code f(theta) = (1/W) sum_i c_i l_i(theta)
 * (+ (lambda/2) ||theta_S||^2)} with {@code W = sum_i c_i}; {@code l_i} is the negative
 * log-likelihood of row {@code i} (logistic), or {@code (y_i - mu_i)^2 / 2}, the gaussian one up
 * to the dispersion. The instance weights are frequency-like, as in GLR: the information matrix of
 * the likelihood {@code prod_i p_i^{c_i}} is {@code W H}, {@code H} the Hessian of {@code f},
 * so {@code Cov = phi (W H)^-1}. For these canonical links {@code W H = X~^T diag(c_i v_i) X~}
 * ({@code v_i = mu_i (1 - mu_i)}, resp. 1; {@code X~ = [X, 1]}), GLR's {@code A^T W A} of its
 * last IRLS step. The dispersion {@code phi} is GLR's: 1 for binomial;
 * {@code sum_i c_i (y_i - mu_i)^2 / (n - P)} for gaussian, with {@code n} the number of rows
 * (zero-weight rows included: GLR's {@code numInstances} counts them) and {@code P} the number of
 * parameters, intercept included (GLR's {@code rank}). Statistics are {@code theta_j / se_j};
 * p-values are normal (binomial) or Student's t with {@code n - P} degrees of freedom (gaussian),
 * as GLR's, but computed as upper tails ({@link WaldPValues}). With
 * {@link InferenceConfig.Hessian#REGULARIZED} the Hessian includes {@code lambda I_S}, and the
 * table says so.
 *
 * <p><b>Methods.</b> {@link InferenceConfig.Method#EXACT}: the dense Hessian in one pass and
 * {@code diag(H^-1)} from its Cholesky factor ({@link Cholesky#inverseDiagonal()}), refused
 * with a one-line message when {@code 8 P^2} bytes exceed the budget.
 * {@link InferenceConfig.Method#LOW_RANK}: {@code diag(H)} in one pass, then a Nystrom sketch of
 * the Jacobi-scaled Hessian and a diagonal correction ({@link LowRankInverseDiagonal}), one pass
 * plus one per power iteration, then (with probes) the Hutchinson correction that uses the sketch
 * as a control variate, one pass per block-CG iteration; its accuracy is measured in
 * docs/inference.md. Either way one
 * more pass counts the rows and sums the weights.
 *
 * <p>Spark-free: works on any {@link BlockFold} (a cached RDD or blocks on the driver).
 */
public final class CoefficientInference {
  /**
   * The low-rank form used: Woodbury, the inverse of an explicit positive definite approximation
   * (the two forms are within about 10% of each other's error on the generated problems of
   * docs/inference.md, and Woodbury degrades less as the rank approaches {@code P}).
   */
  static final LowRankInverseDiagonal.Form LOW_RANK_FORM = LowRankInverseDiagonal.Form.WOODBURY;

  private final LinearModel model;
  private final Family family;
  private final BlockFold fold;
  private final InferenceConfig config;

  /**
   * @param model the fitted model's structure (features, intercept, loss); its loss fixes the
   *     {@link Family}
   * @param fold the training data the model was fitted on
   * @throws IllegalArgumentException for a model with no {@link Family} (multinomial), or when
   *     the exact method is asked for and the dense Hessian does not fit the budget
   */
  public CoefficientInference(LinearModel model, BlockFold fold, InferenceConfig config) {
    this.family = check(model, config);
    this.model = model;
    this.fold = fold;
    this.config = config;
  }

  /**
   * What the constructor checks, without data: a training run calls it before its first pass
   * so that a table it cannot compute fails the run at once, not after training.
   *
   * @return the model's {@link Family}
   * @throws IllegalArgumentException as the constructor
   */
  public static Family check(LinearModel model, InferenceConfig config) {
    Family family = Family.of(model);
    int p = model.dimension();
    if (config.method() == InferenceConfig.Method.EXACT && !config.denseFits(p)) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "exact standard errors need the dense %,d x %,d Hessian (%,d parameters): %,d bytes "
              + "(%.1f MB), more than %s = %.1f; set %s = low-rank (or auto) for the low-rank "
              + "approximation, or raise %s",
          p, p, p, 8L * p * p, 8.0 * p * p / (1 << 20), InferenceConfig.DENSE_MAX_KEY,
          config.denseMaxBytes() / (double) (1 << 20), InferenceConfig.METHOD_KEY,
          InferenceConfig.DENSE_MAX_KEY));
    }
    return family;
  }

  public Family family() {
    return family;
  }

  public InferenceConfig config() {
    return config;
  }

  /** The method {@link #at} uses: exact or low rank ({@code AUTO} resolved). */
  public InferenceConfig.Method method() {
    return switch (config.method()) {
      case EXACT, LOW_RANK -> config.method();
      case AUTO -> config.denseFits(model.dimension())
          ? InferenceConfig.Method.EXACT : InferenceConfig.Method.LOW_RANK;
    };
  }

  /**
   * The table at the fitted parameters {@code theta} (in {@code model}'s layout; they should be
   * a tight optimum of the objective whose Hessian is inverted: the formulas assume a zero
   * gradient). Passes: 2 (exact), or {@code 3 + powerIterations} plus the probe solves' block-CG
   * iterations (low rank).
   *
   * @param theta not modified
   */
  public InferenceResult at(double[] theta) {
    int p = model.dimension();
    if (theta.length != p) {
      throw new IllegalArgumentException("expected " + p + " parameters for " + model + ", got "
          + theta.length);
    }
    if (!Vectors.allFinite(theta)) {
      throw new IllegalArgumentException("the fitted parameters have NaN or infinite entries");
    }
    RowTotalsAggregator totals = fold.aggregate("row totals", new RowTotalsAggregator());
    long n = totals.rows();
    double w = totals.weightSum();
    if (!(w > 0.0)) {
      throw new IllegalArgumentException("the training data have no rows with positive weight");
    }
    long dof = n - p;
    if (family == Family.GAUSSIAN && dof <= 0) {
      throw new IllegalArgumentException("least-squares standard errors need more rows than "
          + "parameters, got " + n + " rows and " + p + " parameters");
    }
    int passes = 1;
    ModelObjective data = new ModelObjective(model, fold, 0L, 0L);
    boolean regularized = config.hessian() == InferenceConfig.Hessian.REGULARIZED;
    SecondOrderObjective objective =
        regularized ? new L2Regularized(data, config.regParam(), model.penalized()) : data;
    InferenceConfig.Method method = method();
    double[] inverseDiagonal;
    double dataValue;
    int rank = 0;
    OptionalDouble sketchError = OptionalDouble.empty();
    LowRankInverseDiagonal.ProbeReport probes = LowRankInverseDiagonal.ProbeReport.NONE;
    if (method == InferenceConfig.Method.EXACT) {
      Evaluation e = objective.evaluate(
          theta, EvaluationRequest.valueAndGradient().withDenseHessian(RowSample.all()));
      passes++;
      dataValue = dataTerm(e.value(), theta);
      ColumnMatrix h = e.curvature(RowSample.all()).denseHessian();
      if (!Vectors.allFinite(h.data())) {
        return InferenceResult.failed("the Hessian has NaN or infinite entries", passes);
      }
      Optional<Cholesky> factor = Cholesky.factor(h);
      if (factor.isEmpty()) {
        return InferenceResult.failed(notDefinite(), passes);
      }
      inverseDiagonal = factor.get().inverseDiagonal();
    } else {
      Evaluation e = objective.evaluate(theta, EvaluationRequest.valueAndGradient().withDiagonal());
      passes++;
      dataValue = dataTerm(e.value(), theta);
      int k = Math.min(config.rank(), p);
      RandomizedEigenConfig sketch = RandomizedEigenConfig
          .fixedRank(RandomizedEigenConfig.Method.NYSTROM, k)
          .withOversampling(config.oversampling())
          .withPowerIterations(config.powerIterations())
          .withSeed(config.seed());
      double[] diagonal = e.hessianDiagonal().orElseThrow();
      for (int j = 0; j < p; j++) {
        if (!(diagonal[j] > 0.0) || Double.isInfinite(diagonal[j])) {
          return InferenceResult.failed(notDefinite() + ": its diagonal entry " + j + " is "
              + diagonal[j], passes);
        }
      }
      Optional<LowRankInverseDiagonal.Estimate> estimate = LowRankInverseDiagonal.estimate(
          e.curvature(RowSample.all()), diagonal, sketch, LOW_RANK_FORM,
          new LowRankInverseDiagonal.Probes(config.probesFor(p), config.seed() + 1,
              InferenceConfig.PROBE_TOLERANCE, InferenceConfig.PROBE_MAX_ITERATIONS));
      if (estimate.isEmpty()) {
        return InferenceResult.failed("the Nystrom sketch of the Hessian or its probe solves "
            + "failed numerically (a non-finite product, a small eigenproblem that did not "
            + "converge, or a curvature p^T H p <= 0 in CG)",
            passes + 1 + config.powerIterations());
      }
      passes += estimate.get().passes();
      inverseDiagonal = estimate.get().inverseDiagonal();
      rank = estimate.get().rank();
      sketchError = OptionalDouble.of(estimate.get().sketchError());
      probes = estimate.get().probes();
    }
    double dispersion = family == Family.BINOMIAL ? 1.0 : 2.0 * w * dataValue / dof;
    double[] se = new double[p];
    double[] stat = new double[p];
    double[] pv = new double[p];
    for (int j = 0; j < p; j++) {
      se[j] = Math.sqrt(dispersion * inverseDiagonal[j] / w);
      stat[j] = theta[j] / se[j];
      pv[j] = family == Family.BINOMIAL
          ? WaldPValues.normal(stat[j]) : WaldPValues.studentT(stat[j], dof);
    }
    return InferenceResult.of(new CoefficientTable(family, config.hessian(),
        regularized ? config.regParam() : 0.0, method, rank, sketchError, probes.count(),
        probes.count() > 0 ? OptionalDouble.of(probes.maxResidual()) : OptionalDouble.empty(),
        theta, se, stat, pv,
        dispersion, n, w, dof, passes));
  }

  /** The data term {@code (1/W) sum c_i l_i} from the value of the objective evaluated. */
  private double dataTerm(double value, double[] theta) {
    if (config.hessian() == InferenceConfig.Hessian.UNREGULARIZED) {
      return value;
    }
    boolean[] penalized = model.penalized();
    double s = 0.0;
    for (int j = 0; j < theta.length; j++) {
      s += penalized[j] ? theta[j] * theta[j] : 0.0;
    }
    return value - 0.5 * config.regParam() * s;
  }

  private String notDefinite() {
    return "the " + (config.hessian() == InferenceConfig.Hessian.REGULARIZED ? "regularized"
        : "unregularized") + " Hessian is not positive definite at the fitted parameters "
        + "(collinear or never-occurring features, or separable classes)";
  }
}
