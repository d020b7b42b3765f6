package dev.sparknewton.solvers;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.CurvatureOperator;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;
import dev.sparknewton.randomized.LowRankEigen;
import dev.sparknewton.randomized.RandomizedEigenConfig;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Low-rank saddle-free Newton (LRSFN; O'Leary-Roseberry, Alger, Ghattas, "Low rank saddle free
 * Newton", arXiv:2002.02881): at each iterate a rank-{@code k} randomized eigendecomposition
 * {@code H_k ~ U diag(l) U^T} of the (sub-sampled) Hessian, then
 *
 * <pre>  p_k = -(U |diag(l)| U^T + gamma_k I)^-1 g_k,   w_{k+1} = w_k + a_k p_k</pre>
 *
 * ({@link SaddleFreeStep}) with Armijo backtracking ({@link LineSearch}).
 *
 * <p><b>Passes.</b> The evaluation of iterate {@code k} fuses value, gradient and
 * {@code H_k Omega_k} (a fresh seeded test matrix and row sample per iteration, {@link
 * FusedSketch}) into one pass. With {@link RandomizedEigenConfig.Method#NYSTROM} and no power
 * iterations the eigendecomposition needs nothing more, so an iteration whose full step is
 * accepted costs exactly one pass; {@link RandomizedEigenConfig.Method#RAYLEIGH_RITZ} adds one
 * block pass ({@code H Q}), and each power iteration one more. The state's
 * {@code innerIterations} is the number of block passes beyond the fused one, its
 * {@code eigenvalues} the {@code l_i}, its {@code damping} {@code gamma_k}.
 *
 * <p><b>Choosing gamma.</b> Outside the range of {@code U} the step is {@code -g / gamma}, a
 * gradient step of length {@code 1 / gamma}; inside, {@code gamma} damps the Newton step. For
 * L2-regularized logistic regression the curvature the sketch misses lies between {@code lambda}
 * and about {@code l_{k+1}}, so a {@code gamma} equal to a tiny {@code lambda} makes the
 * complement step enormous (and the line search pays for it), while a {@code gamma} of the size of
 * the missed curvature makes it a safe scaled gradient step. {@code solver.gamma = auto} therefore
 * estimates the missed curvature from the sketch itself:
 *
 * <pre>  gamma_k = max(GAMMA_FLOOR |l_1|, min(e_k, |l_k|))</pre>
 *
 * with {@code e_k} the eigensolver's probabilistic bound of {@code ||H_k - U diag(l) U^T||} and
 * {@code l_k} the smallest kept eigenvalue (the missed eigenvalues are at most about
 * {@code |l_k|}, and {@code e_k} is a deliberately pessimistic bound: the smaller of the two).
 * For Nystrom the missed part {@code H - U diag(l) U^T} is positive semidefinite, so with
 * {@code gamma >= ||H - U diag(l) U^T||} the model matrix dominates {@code H} and the full step
 * decreases a quadratic objective (a majorization step). When {@code U} spans the whole space
 * ({@code k = n}) nothing is missed ({@code e_k} only measures rounding in the products),
 * {@code gamma} is the floor and the step is Newton's. A positive {@code solver.gamma} fixes {@code gamma_k} to that number instead.
 *
 * <p>{@link LrsfnConfig.GammaRule#ADAPTIVE} multiplies that base value by {@code m_k}: after each
 * step {@code s = w_{k+1} - w_k}, with {@code rho = (f_k - f_{k+1}) / -(g_k.s + s.M_k s / 2)}
 * ({@code M_k} the model matrix), {@code m} moves by the {@link LevenbergMarquardtRule} (grows
 * by 3/2 when {@code rho < 1/4}, shrinks by 2/3 when {@code rho > 3/4}; Martens, "Deep learning
 * via Hessian-free optimization", ICML 2010, Sec. 4.1),
 * within {@code [MULTIPLIER_MIN, MULTIPLIER_MAX]}; {@code m} is left alone when the predicted
 * decrease is below {@link LineSearch#ROUNDING_SLACK}{@code |f_k|}, where {@code rho} is noise.
 */
public final class LowRankSaddleFreeNewton implements LineSearchSolver {
  /**
   * {@code gamma >= 1e-15 |l_1|}, about 5 units in the last place of the largest eigenvalue: only
   * keeps the model matrix invertible. Not larger: covtype's Hessian at {@code lambda = 1e-6} has
   * {@code l_1 / l_n ~ 4e12}, and a floor of {@code 1e-10 |l_1|} damped its Newton step 350-fold
   * along the smallest eigenvector (measured: no 1e-6 suboptimality in 100 iterations).
   */
  public static final double GAMMA_FLOOR = 1e-15;
  /** Bounds of the adaptive multiplier {@code m_k}. */
  public static final double MULTIPLIER_MIN = 1e-6;
  public static final double MULTIPLIER_MAX = 1e6;

  private final LrsfnConfig config;

  public LowRankSaddleFreeNewton(LrsfnConfig config) {
    this.config = config;
  }

  public LrsfnConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "lrsfn";
  }

  @Override
  public LineSearchIterations iterations(
      SecondOrderObjective objective, double[] w0, UnaryOperator<DirectionRule> wrap) {
    return new LineSearchIterations(name(), objective, w0,
        wrap.apply(new SaddleFreeDirection(objective.dimension())),
        new ConvergenceCheck(config.maxIter(), config.tol(), config.gtol()),
        new LineSearch(config.lineSearch()));
  }

  /**
   * Besides the iterate and the convergence test: with the adaptive gamma rule, the multiplier
   * {@code m} and what the next update needs of the last step's model (its predicted decrease,
   * computed at the snapshot, and {@code f} before the step). The sketch is fresh every
   * iteration, seeded by the iteration number: nothing of it is kept.
   */
  @Override
  public SolverRun resume(SecondOrderObjective objective, SolverSnapshot snapshot) {
    return LineSearchSolver.super.resume(objective, snapshot);
  }

  /**
   * {@code gamma} of {@code solver.gamma = auto} for a decomposition:
   * {@code max(GAMMA_FLOOR |l_1|, min(estimatedError, |l_k|))} (only the floor when {@code k = n}),
   * or {@code 1} when the
   * decomposition has no positive scale at all (zero curvature).
   */
  public static double autoGamma(LowRankEigen eigen) {
    double[] l = eigen.values();
    if (l.length == 0) {
      return Double.isFinite(eigen.estimatedError()) && eigen.estimatedError() > 0.0
          ? eigen.estimatedError() : 1.0;
    }
    double largest = Math.abs(l[0]);
    // When U spans R^n nothing is missed; the error estimate is then rounding in the products.
    double missed = l.length == eigen.dimension()
        ? 0.0 : Math.min(eigen.estimatedError(), Math.abs(l[l.length - 1]));
    double gamma = Math.max(GAMMA_FLOOR * largest, missed);
    return gamma > 0.0 && Double.isFinite(gamma) ? gamma : 1.0;
  }

  private RowSample sample(int iteration) {
    return RowSample.of(
        config.hessianSampleFraction(), RowSample.iterationSeed(config.seed(), iteration));
  }

  private final class SaddleFreeDirection implements DirectionRule {
    private final FusedSketch sketch;
    private double multiplier = 1.0;
    // The previous step's model, for the adaptive rule.
    private double[] previousPoint;
    private double previousValue;
    private double[] previousGradient;
    private ColumnMatrix previousVectors;
    private double[] previousValues;
    private double previousGamma;
    // Whether there was a previous step, and, in a resumed run, its predicted decrease as the
    // snapshot computed it (used once, instead of the previous model, which is not stored).
    private boolean stepped;
    private boolean predictionRestored;
    private double restoredPrediction;

    SaddleFreeDirection(int n) {
      this.sketch = new FusedSketch(config.sketch(), config.eigenMethod(), config.seed(), n);
    }

    @Override
    public EvaluationRequest request(int iteration) {
      return sketch.fuse(EvaluationRequest.valueAndGradient(), iteration, sample(iteration));
    }

    @Override
    public Direction direction(Evaluation at, int iteration) {
      String rho = adapt(at);
      CurvatureOperator h = at.curvature(sample(iteration));
      Optional<LowRankEigen> decomposed = sketch.decompose(h, iteration);
      if (decomposed.isEmpty()) {
        return Direction.failed(Termination.EIGENSOLVER_FAILED, 0, Optional.empty(),
            "randomized eigendecomposition failed (non-finite product or small eigenproblem)");
      }
      LowRankEigen eigen = decomposed.get();
      double[] l = eigen.values();
      ColumnMatrix u = eigen.vectors();
      double base = config.gamma() == LrsfnConfig.AUTO_GAMMA ? autoGamma(eigen) : config.gamma();
      double gamma = base;
      if (config.gammaRule() == LrsfnConfig.GammaRule.ADAPTIVE) {
        double floor = l.length == 0 ? 0.0 : GAMMA_FLOOR * Math.abs(l[0]);
        gamma = Math.max(floor, multiplier * base);
      }
      double[] g = at.gradient();
      double[] p = SaddleFreeStep.of(u, l, gamma, g);
      int extraPasses = eigen.passes() - 1;
      if (!Vectors.allFinite(p)) {
        return Direction.failed(Termination.NON_FINITE, extraPasses, Optional.of(gamma),
            "LRSFN step is not finite");
      }
      stepped = true;
      previousPoint = at.point();
      previousValue = at.value();
      previousGradient = g;
      previousVectors = u;
      previousValues = l;
      previousGamma = gamma;
      String detail = String.format(Locale.ROOT,
          "%s rank %d, gamma %.3e, |l| in [%.3e, %.3e], error estimate %.3e%s",
          config.eigenMethod() == RandomizedEigenConfig.Method.NYSTROM ? "Nystrom" : "Rayleigh-Ritz",
          l.length, gamma, l.length == 0 ? 0.0 : Math.abs(l[l.length - 1]),
          l.length == 0 ? 0.0 : Math.abs(l[0]), eigen.estimatedError(), rho);
      return new Direction(p, extraPasses, Optional.of(gamma), l, detail, Optional.empty());
    }

    /**
     * The previous step's model decrease at {@code point}: {@code -(g.s + s.M s / 2)} with
     * {@code s = point - previousPoint}.
     */
    private double predictedDecrease(double[] point) {
      if (predictionRestored) {
        return restoredPrediction;
      }
      double[] s = Vectors.plus(point, -1.0, previousPoint);
      return -(Vectors.dot(previousGradient, s)
          + 0.5 * SaddleFreeStep.curvature(previousVectors, previousValues, previousGamma, s));
    }

    private boolean adaptive() {
      return config.gammaRule() == LrsfnConfig.GammaRule.ADAPTIVE;
    }

    /**
     * With the adaptive rule: {@code lrsfn.multiplier} ({@code m}); after a step,
     * {@code lrsfn.previousValue} ({@code f} before it) and {@code lrsfn.predicted} (its model
     * decrease at {@code at}, the iterate it reached: what {@link #adapt} computes next, computed
     * here so that the {@code n x k} model need not be stored).
     */
    @Override
    public void saveTo(SnapshotFields.Builder out, Evaluation at) {
      if (!adaptive()) {
        return;
      }
      out.put("lrsfn.multiplier", multiplier);
      if (stepped) {
        out.put("lrsfn.previousValue", previousValue)
            .put("lrsfn.predicted", predictedDecrease(at.point()));
      }
    }

    @Override
    public void restoreFrom(SnapshotFields in) {
      if (!adaptive()) {
        return;
      }
      multiplier = in.doubleValue("lrsfn.multiplier");
      stepped = in.has("lrsfn.predicted");
      if (stepped) {
        previousValue = in.doubleValue("lrsfn.previousValue");
        restoredPrediction = in.doubleValue("lrsfn.predicted");
        predictionRestored = true;
      }
    }

    /** Updates the adaptive multiplier from the previous step; returns a note for the detail. */
    private String adapt(Evaluation at) {
      if (!adaptive() || !stepped) {
        return "";
      }
      double predicted = predictedDecrease(at.point());
      predictionRestored = false;
      double actual = previousValue - at.value();
      double rho = actual / predicted;
      if (!(predicted > LineSearch.ROUNDING_SLACK * Math.abs(previousValue))) {
        // The predicted decrease is at the rounding level of f: rho is noise, keep m.
        return String.format(Locale.ROOT, ", rho %.3f (rounding, m kept)", rho);
      }
      multiplier = LevenbergMarquardtRule.next(multiplier, rho, MULTIPLIER_MIN, MULTIPLIER_MAX);
      return String.format(Locale.ROOT, ", rho %.3f", rho);
    }
  }
}
