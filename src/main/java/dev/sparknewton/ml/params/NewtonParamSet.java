package dev.sparknewton.ml.params;

import dev.sparknewton.ml.ConfigValues;
import dev.sparknewton.ml.SolverSettings;
import dev.sparknewton.ml.inference.InferenceConfig;
import dev.sparknewton.randomized.RandomizedEigenConfig;
import dev.sparknewton.solvers.LrsfnConfig;
import dev.sparknewton.solvers.NewtonCgConfig;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import scala.Function1;

/**
 * The params of the Newton estimators and their models, created for one owner after its uid is
 * set (Spark's {@code JavaTestParams} pattern): one name, one doc, one validator (Spark's
 * {@link ParamValidators}, so an out-of-range value fails at {@code set} with Spark's message),
 * and one default, {@code reference.conf}'s value for the same setting of the command line
 * ({@link ConfigValues#reference()}), so the estimator and {@code train} share every default.
 *
 * <p>The owner exposes them through {@link NewtonParams} (and {@link NewtonClassifierParams}).
 */
public final class NewtonParamSet implements Serializable {
  private static final long serialVersionUID = 1L;

  /** {@code family}: {@code auto} (two classes binomial, more multinomial), as MLlib's. */
  public static final String[] FAMILIES = {"auto", "binomial", "multinomial"};

  final DoubleParam regParam;
  final BooleanParam fitIntercept;
  final IntParam maxIter;
  final DoubleParam tol;
  final DoubleParam gtol;
  final Param<String> weightCol;
  final IntParam aggregationDepth;
  final DoubleParam maxBlockSizeInMB;
  final Param<String> solver;
  final DoubleParam hessianSampleFraction;
  final LongParam seed;
  final IntParam maxCgIterations;
  final IntParam driverMaxCgIterations;
  final IntParam driverMaxCgGrowth;
  final Param<String> preconditioner;
  final IntParam preconditionerRefresh;
  final Param<String> forcing;
  final IntParam rank;
  final IntParam oversampling;
  final IntParam powerIterations;
  final Param<String> eigenMethod;
  final Param<String> gamma;
  final Param<String> gammaRule;
  final DoubleParam gradientSampleFraction;
  final DoubleParam initialDamping;
  final DoubleParam minDamping;
  final DoubleParam maxDamping;
  final DoubleParam learningRate;
  final DoubleParam batchFraction;
  final IntParam lbfgsMemory;
  final IntParam warmStartIterations;
  final DoubleParam driverCurvatureMb;
  final DoubleParam curvatureCacheMb;
  final Param<String> curvatureOverBudget;
  final Param<String> fold;
  final DoubleParam denseMaxMb;
  final BooleanParam standardErrors;
  final Param<String> standardErrorsHessian;
  final Param<String> standardErrorsMethod;
  final DoubleParam standardErrorsDenseMaxMb;
  final IntParam standardErrorsRank;
  final IntParam standardErrorsProbes;
  /** Classifiers only (null otherwise). */
  final Param<String> family;
  final DoubleParam threshold;

  /**
   * Creates the params of {@code owner} and sets their defaults on it.
   *
   * @param classifier also {@code family} and {@code threshold}
   */
  public NewtonParamSet(Params owner, boolean classifier) {
    ConfigValues c = ConfigValues.reference();
    regParam = new DoubleParam(owner, "regParam", "lambda >= 0 of (1/sum c_i) sum c_i loss_i + "
        + "(lambda/2) ||W||_F^2 (intercepts unpenalized; MLlib's objective with "
        + "standardization = false, elasticNetParam = 0)", ParamValidators.gtEq(0.0));
    fitIntercept = new BooleanParam(owner, "fitIntercept", "whether to fit an intercept term");
    maxIter = new IntParam(owner, "maxIter", "maximum number of outer iterations (>= 0)",
        ParamValidators.gtEq(0.0));
    tol = new DoubleParam(owner, "tol",
        "stop when ||grad f|| <= tol ||grad f(0)|| (>= 0)", ParamValidators.gtEq(0.0));
    gtol = new DoubleParam(owner, "gtol", "stop when ||grad f|| <= gtol (>= 0; 0 is off)",
        ParamValidators.gtEq(0.0));
    weightCol = new Param<>(owner, "weightCol",
        "instance weight column name; unset or empty: all weights 1");
    aggregationDepth = new IntParam(owner, "aggregationDepth",
        "depth of treeAggregate (>= 1)", ParamValidators.gtEq(1.0));
    maxBlockSizeInMB = new DoubleParam(owner, "maxBlockSizeInMB",
        "upper bound of a row block in MB (> 0), as MLlib's", ParamValidators.gt(0.0));
    solver = new Param<>(owner, "solver", "the solver: " + String.join(", ", SolverSettings.NAMES)
        + "; auto takes exact-newton up to " + SolverSettings.AUTO_EXACT_MAX_PARAMETERS
        + " parameters when the dense Hessian fits denseMaxMb, else newton-cg",
        ParamValidators.inArray(SolverSettings.NAMES.toArray(new String[0])));
    hessianSampleFraction = new DoubleParam(owner, "hessianSampleFraction",
        "fraction of rows curvature is evaluated on, a new seeded sample every iteration, in (0, 1]",
        ParamValidators.inRange(0.0, 1.0, false, true));
    seed = new LongParam(owner, "seed", "random seed of the row samples and sketches");
    maxCgIterations = new IntParam(owner, "maxCgIterations",
        "newton-cg, trust-region, hessian-free: CG iterations per outer iteration (>= 1); for"
            + " newton-cg and trust-region, when each curvature product is a Spark job",
        ParamValidators.gtEq(1.0));
    driverMaxCgIterations = new IntParam(owner, "driverMaxCgIterations",
        "newton-cg, trust-region: CG iterations per outer iteration when the curvature products"
            + " run on a driver-held sample (>= 1)", ParamValidators.gtEq(1.0));
    driverMaxCgGrowth = new IntParam(owner, "driverMaxCgGrowth",
        "newton-cg, trust-region: the driver-side CG cap doubles, up to this many times"
            + " driverMaxCgIterations, after a step whose CG hit the cap and was taken whole, and"
            + " halves back after a step that was cut (>= 1; 1: a fixed cap)",
        ParamValidators.gtEq(1.0));
    preconditioner = choice(owner, "preconditioner",
        "newton-cg, trust-region: the CG preconditioner", NewtonCgConfig.Preconditioner.class);
    preconditionerRefresh = new IntParam(owner, "preconditionerRefresh",
        "newton-cg with nystrom: rebuild the sketch at least every this many iterations (0: only"
            + " when CG slows down)", ParamValidators.gtEq(0.0));
    forcing = choice(owner, "forcing", "newton-cg, trust-region: the CG stopping rule (auto:"
            + " quadratic-model when the products run on the driver, eisenstat-walker when each"
            + " is a Spark job)",
        NewtonCgConfig.Forcing.class);
    rank = new IntParam(owner, "rank",
        "lrsfn, newton-cg with nystrom: rank of the randomized Hessian sketch (>= 1)",
        ParamValidators.gtEq(1.0));
    oversampling = new IntParam(owner, "oversampling",
        "sketch width = rank + oversampling (>= 0)", ParamValidators.gtEq(0.0));
    powerIterations = new IntParam(owner, "powerIterations",
        "power iterations of the sketch, one pass each (>= 0)", ParamValidators.gtEq(0.0));
    eigenMethod = choice(owner, "eigenMethod", "lrsfn: the randomized eigensolver",
        RandomizedEigenConfig.Method.class);
    gamma = new Param<>(owner, "gamma",
        "lrsfn: auto (or 0), or a fixed gamma > 0 of the step -(U|L|U^T + gamma I)^-1 g",
        gammaValidator());
    gammaRule = choice(owner, "gammaRule", "lrsfn: fixed or adaptive gamma",
        LrsfnConfig.GammaRule.class);
    gradientSampleFraction = new DoubleParam(owner, "gradientSampleFraction",
        "hessian-free: fraction of rows for value and gradient, in (0, 1]",
        ParamValidators.inRange(0.0, 1.0, false, true));
    initialDamping = new DoubleParam(owner, "initialDamping",
        "hessian-free: initial Tikhonov damping (> 0)", ParamValidators.gt(0.0));
    minDamping = new DoubleParam(owner, "minDamping", "hessian-free: smallest damping (> 0)",
        ParamValidators.gt(0.0));
    maxDamping = new DoubleParam(owner, "maxDamping", "hessian-free: largest damping (> 0)",
        ParamValidators.gt(0.0));
    learningRate = new DoubleParam(owner, "learningRate", "adam: learning rate (> 0)",
        ParamValidators.gt(0.0));
    batchFraction = new DoubleParam(owner, "batchFraction",
        "adam: fraction of rows in each mini-batch, in (0, 1]",
        ParamValidators.inRange(0.0, 1.0, false, true));
    lbfgsMemory = new IntParam(owner, "lbfgsMemory",
        "lbfgs and the warm start: step and gradient-change pairs kept (>= 1)",
        ParamValidators.gtEq(1.0));
    warmStartIterations = new IntParam(owner, "warmStartIterations",
        "exact-newton, newton-cg, lrsfn: L-BFGS iterations before the Newton iterations (>= 0)",
        ParamValidators.gtEq(0.0));
    driverCurvatureMb = new DoubleParam(owner, "driverCurvatureMb",
        "curvature samples up to this many MiB run their Hessian products on the driver (>= 0)",
        ParamValidators.gtEq(0.0));
    curvatureCacheMb = new DoubleParam(owner, "curvatureCacheMb",
        "per-JVM MiB for keeping per-row curvature between the passes of an iteration (>= 0)",
        ParamValidators.gtEq(0.0));
    curvatureOverBudget = choice(owner, "curvatureOverBudget",
        "a curvature sample larger than driverCurvatureMb: a smaller seeded sample that fits is"
            + " collected (sample), or its products stay distributed (distributed)",
        dev.sparknewton.objective.OverBudgetCurvature.class);
    fold = choice(owner, "fold", "the fold over the cached row blocks (spark.fold): RDD, broadcast"
        + " and tree aggregation (rdd); the Dataset API alone (dataset); the blocks collected to"
        + " the driver once when they fit driverCurvatureMb, every pass a sweep there (driver); or"
        + " rdd with a SparkContext, dataset on Spark Connect (auto)",
        dev.sparknewton.distributed.FoldChoice.class);
    denseMaxMb = new DoubleParam(owner, "denseMaxMb",
        "exact-newton: the dense P x P Hessian must fit in this many MiB (> 0)",
        ParamValidators.gt(0.0));
    standardErrors = new BooleanParam(owner, "standardErrors", "binomial and least squares: "
        + "compute coefficient standard errors, Wald statistics and p-values after the fit "
        + "(summary.coefficientStandardErrors, tValues, pValues)");
    standardErrorsHessian = new Param<>(owner, "standardErrorsHessian", "the Hessian inverted: "
        + "unregularized (GLR's maximum-likelihood covariance) or regularized (with regParam)",
        ParamValidators.inArray(InferenceConfig.HESSIANS.toArray(new String[0])));
    standardErrorsMethod = new Param<>(owner, "standardErrorsMethod", "exact (dense Hessian, "
        + "refused beyond standardErrorsDenseMaxMb), low-rank (Nystrom sketch plus diagonal) or "
        + "auto", ParamValidators.inArray(InferenceConfig.METHODS.toArray(new String[0])));
    standardErrorsDenseMaxMb = new DoubleParam(owner, "standardErrorsDenseMaxMb",
        "exact standard errors: the dense P x P Hessian must fit in this many MiB (> 0)",
        ParamValidators.gt(0.0));
    standardErrorsRank = new IntParam(owner, "standardErrorsRank",
        "low-rank standard errors: eigenpairs of the sketch (>= 1)", ParamValidators.gtEq(1.0));
    standardErrorsProbes = new IntParam(owner, "standardErrorsProbes", "low-rank standard "
        + "errors: Rademacher probes correcting the sketch (>= 0; 0: the sketch alone)",
        ParamValidators.gtEq(0.0));
    if (classifier) {
      family = new Param<>(owner, "family", "auto (2 classes: binomial, more: multinomial), "
          + "binomial or multinomial", ParamValidators.inArray(FAMILIES));
      threshold = new DoubleParam(owner, "threshold", "binomial: predict 1 when the probability "
          + "of class 1 exceeds this, in [0, 1]", ParamValidators.inRange(0.0, 1.0));
    } else {
      family = null;
      threshold = null;
    }
    Defaults d = new Defaults(owner);
    d.set(regParam, c.number("model.regParam"));
    d.set(fitIntercept, c.bool("model.fitIntercept"));
    d.set(maxIter, c.integer("solver.maxIter"));
    d.set(tol, c.number("solver.tol"));
    d.set(gtol, c.number("solver.gtol"));
    d.set(aggregationDepth, c.integer("spark.aggregationDepth"));
    d.set(maxBlockSizeInMB, c.number("data.maxBlockSizeMb"));
    d.set(solver, c.string("solver.name"));
    d.set(hessianSampleFraction, c.number("solver.hessianSampleFraction"));
    d.set(seed, c.longValue("solver.seed"));
    d.set(maxCgIterations, c.integer("solver.maxCgIterations"));
    d.set(driverMaxCgIterations, c.integer("solver.driverMaxCgIterations"));
    d.set(driverMaxCgGrowth, c.integer("solver.driverMaxCgGrowth"));
    d.set(preconditioner, c.string("solver.preconditioner"));
    d.set(preconditionerRefresh, c.integer("solver.preconditionerRefresh"));
    d.set(forcing, c.string("solver.forcing"));
    d.set(rank, c.integer("solver.rank"));
    d.set(oversampling, c.integer("solver.oversampling"));
    d.set(powerIterations, c.integer("solver.powerIterations"));
    d.set(eigenMethod, c.string("solver.eigenMethod"));
    d.set(gamma, c.string("solver.gamma"));
    d.set(gammaRule, c.string("solver.gammaRule"));
    d.set(gradientSampleFraction, c.number("solver.gradientSampleFraction"));
    d.set(initialDamping, c.number("solver.initialDamping"));
    d.set(minDamping, c.number("solver.minDamping"));
    d.set(maxDamping, c.number("solver.maxDamping"));
    d.set(learningRate, c.number("solver.learningRate"));
    d.set(batchFraction, c.number("solver.batchFraction"));
    d.set(lbfgsMemory, c.integer("solver.lbfgsMemory"));
    d.set(warmStartIterations, c.integer("solver.warmStartIterations"));
    d.set(driverCurvatureMb, c.number("solver.driverCurvatureMb"));
    d.set(curvatureCacheMb, c.number("solver.curvatureCacheMb"));
    d.set(curvatureOverBudget, c.string("solver.curvatureOverBudget"));
    d.set(fold, c.string("spark.fold"));
    d.set(denseMaxMb, c.number("solver.denseMaxMb"));
    d.set(standardErrors, c.bool("inference.standardErrors"));
    d.set(standardErrorsHessian, c.string("inference.hessian"));
    d.set(standardErrorsMethod, c.string("inference.method"));
    d.set(standardErrorsDenseMaxMb, c.number("inference.denseMaxMb"));
    d.set(standardErrorsRank, c.integer("inference.rank"));
    d.set(standardErrorsProbes, c.integer("inference.probes"));
    if (classifier) {
      d.set(family, "auto");
      // MLlib LogisticRegression's default threshold.
      d.set(threshold, 0.5);
    }
  }

  /** Sets defaults on the owner (whose {@code setDefault} is protected in Scala, public in Java). */
  private record Defaults(Params owner) {
    <T> void set(Param<T> p, T value) {
      owner.setDefault(p, value);
    }
  }

  private static <E extends Enum<E>> Param<String> choice(Params owner, String name, String doc,
      Class<E> type) {
    List<String> allowed = SolverSettings.spellings(type);
    return new Param<>(owner, name, doc + ": " + String.join(", ", allowed),
        ParamValidators.inArray(allowed.toArray(new String[0])));
  }

  /** {@code auto} or a finite number {@code >= 0}, as {@link SolverSettings#gamma}. */
  private static Function1<String, Object> gammaValidator() {
    return (Function1<String, Object> & Serializable) v -> {
      try {
        SolverSettings.gamma(v);
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    };
  }
}
