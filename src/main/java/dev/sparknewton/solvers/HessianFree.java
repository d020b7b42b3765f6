package dev.sparknewton.solvers;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.CurvatureOperator;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Hessian-free optimization (J. Martens, "Deep learning via Hessian-free optimization", ICML
 * 2010; J. Martens, I. Sutskever, "Training deep and recurrent networks with Hessian-free
 * optimization", Neural Networks: Tricks of the Trade, 2012; the constants and their sources are
 * in {@link HessianFreeConfig}). Outer iteration {@code k} at {@code theta_k}:
 *
 * <ol>
 *   <li><b>One evaluation</b> at {@code theta_k}: value, gradient {@code g} and the empirical
 *       Fisher diagonal {@code F = (1 / sum c_i) sum c_i g_i^2} (squared per-row gradients,
 *       {@link EvaluationRequest#withGradientSquares()}), on all rows or on a seeded sample of
 *       {@code gradientSampleFraction} of them. This is the accepted point's evaluation of
 *       iteration {@code k - 1}'s line search, so it costs no pass of its own.
 *   <li><b>Curvature</b> {@code C = evaluation.curvature(RowSample.of(hessianSampleFraction,
 *       RowSample.iterationSeed(seed, k)))}, a separate seeded sample. Which matrix that is, the
 *       Gauss-Newton matrix or the exact Hessian, is the objective's choice (a
 *       {@link dev.sparknewton.objective.ModelObjective} is built with its
 *       {@link dev.sparknewton.models.Curvature}); this solver does not know. Tikhonov damping
 *       gives {@code A = C + lambda I} ({@link TikhonovDamped}).
 *   <li><b>Preconditioned CG</b> ({@link HessianFreeCg}) on {@code A d = -g} with
 *       {@code M = (diag(F) + lambda I)^0.75} (Martens 2010, Sec. 4.7), Martens'
 *       relative-progress stop, the iteration cap {@code maxCgIterations}, and a stop at
 *       non-positive curvature; it starts from {@code 0.95 d_{k-1}}, where {@code d_{k-1}} is the
 *       <em>final</em> CG iterate of iteration {@code k - 1}, not the backtracked one (Martens
 *       2010, Sec. 4.6: the final iterate has gone furthest along the low-curvature directions,
 *       which CG resolves last), or from 0 at {@code k = 0} and after a
 *       rejected step. A nonzero start costs one product for the initial residual. The iterates
 *       at the iterations {@code ceil(1.3^j)} and the final one are kept.
 *   <li><b>CG backtracking</b> (Martens 2010, Sec. 4.6): the losses {@code f(theta_k + x_i)} of
 *       all kept iterates; starting at the final iterate, step back while the previous kept
 *       iterate has a lower loss ({@link #backtrack}). The chosen iterate is the step {@code d}.
 *       Where the curvature is sampled ({@code hessianSampleFraction < 1}), a sample of that
 *       size can be held on the driver and the gradient covers all rows, the losses are those of a second seeded sample of that size,
 *       independent of the curvature's ({@link CurvatureOperator#sampleValuesAt}; one collecting
 *       pass, then no pass for all the iterates): backtracking only ranks nearby points, which a
 *       sample does up to sampling noise, at a fraction of the cost (on MNIST's 784-128-10
 *       network the all-rows pass, 14 forward passes over 60,000 rows, was the most expensive
 *       part of an iteration; docs/networks.md). Not the curvature sample itself: CG fits its
 *       iterates to that sample's quadratic model, so its losses favour the later iterates (on
 *       MNIST it kept the final iterate where the data preferred an earlier one, and the next
 *       steps failed). Otherwise all the losses come from one pass over all rows
 *       ({@link Evaluation#valuesAt}), which with a sampled gradient also gives
 *       {@code f(theta_k)} on all rows, so that the comparisons below are on one set of rows.
 *   <li><b>Damping</b> by the {@link LevenbergMarquardtRule} from the reduction ratio
 *       <pre>  rho = (f(theta_k + d) - f(theta_k)) / (q(d) - q(0)),   q(d) - q(0) = g.d + d.C d / 2</pre>
 *       of the backtracked {@code d}, with the <em>undamped</em> quadratic model: the damping is
 *       left out of {@code q} (Martens and Sutskever 2012, Sec. 8.2), so that {@code rho}
 *       measures how well {@code C} models {@code f}, not how much {@code lambda} shortened the
 *       step. No extra product: {@code q(d) - q(0) = phi(d) - lambda ||d||^2 / 2} with CG's
 *       tracked damped model {@code phi}. (Public implementations differ here: PyTorchHessianFree
 *       and a gnumpy {@code HF} class take the damped model. On a quadratic {@code f} with exact
 *       curvature the undamped model gives {@code rho = 1}, the damped one {@code rho > 1}.)
 *       {@code lambda} is left alone when
 *       the predicted change is below what {@code f} resolves
 *       ({@link ConvergenceCheck#belowPrecision}): {@code rho} is rounding noise there.
 *   <li><b>Armijo line search</b> on {@code d} with {@code c = 1e-2} and steps
 *       {@code 1, 0.8, 0.8^2, ..., 0.8^30} (Martens and Sutskever 2012, Sec. 8.8). The full step
 *       is evaluated with the next iteration's request (value, gradient and squares at
 *       {@code theta_k + d} in one pass); when it satisfies Armijo that evaluation is iteration
 *       {@code k + 1}'s, and no line-search pass is spent. When the backtracking pass ran on all
 *       rows, {@code f(theta_k + d)} is known from it and the full step is tested without a
 *       pass. Otherwise one {@link Evaluation#valuesAlong} pass evaluates all the shorter steps
 *       and the largest that satisfies Armijo is taken ({@link LineSearch}). The rho above takes
 *       {@code f(theta_k + d)} on all rows from whichever pass measured it.
 * </ol>
 *
 * So an iteration costs 1 evaluation (at the accepted point), the collection of the curvature
 * sample or the CG products, 1 backtracking pass (collecting its sample, or over all rows), and
 * at most 1 line-search pass. When no step satisfies Armijo, the iteration takes no step: its state repeats
 * {@code theta_k} with step size 0, {@code lambda} grows by {@link LevenbergMarquardtRule#INCREASE},
 * the next CG starts from 0, and the next iteration uses the same evaluation with a new curvature
 * sample; after {@link HessianFreeConfig#MAX_REJECTED_STEPS} such iterations in a row the run
 * ends with {@link Termination#LINE_SEARCH_FAILED} (or {@link Termination#CONVERGED_AT_PRECISION}
 * when the model promised a decrease below what {@code f} resolves). Non-finite values end it
 * with {@link Termination#NON_FINITE}. Convergence is tested by {@link ConvergenceCheck}; with a
 * sampled gradient, the state's value and gradient norm are the sample's.
 *
 * <p>Each state's {@code damping} is the {@code lambda} its step used, {@code innerIterations}
 * its CG iterations, and {@code detail} says how CG stopped, the backtracked iterate, the line
 * search step and {@code rho}.
 */
public final class HessianFree implements Solver {
  private static final double[] NO_EIGENVALUES = new double[0];
  /** Mixed into the seed for the backtracking samples' stream. */
  private static final long BACKTRACKING_SEED_STREAM = 0x6A09E667F3BCC909L;

  private final HessianFreeConfig config;

  public HessianFree(HessianFreeConfig config) {
    this.config = config;
  }

  public HessianFreeConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "hessian-free";
  }

  @Override
  public SolverRun iterations(SecondOrderObjective objective, double[] w0) {
    return new Iterations(objective, w0);
  }

  /**
   * Besides the iterate and the convergence test: the damping {@code lambda}, the warm start
   * (the last step's final CG iterate) and the count of rejected steps in a row; after rejected
   * steps the iterate is re-evaluated with the gradient sample of the iteration that evaluated it.
   */
  @Override
  public SolverRun resume(SecondOrderObjective objective, SolverSnapshot snapshot) {
    Iterations run = new Iterations(objective, snapshot.point());
    run.restore(snapshot);
    return run;
  }

  /**
   * CG backtracking (Martens 2010, Sec. 4.6): from the last of the kept iterates' losses, step
   * back while the previous one is lower; returns the index of the chosen one. A NaN loss counts
   * as {@code +infinity}.
   *
   * @param losses {@code f(theta + x_i)} of the kept iterates in CG order, at least one. Not
   *     modified.
   */
  static int backtrack(double[] losses) {
    int i = losses.length - 1;
    while (i > 0 && lower(losses[i - 1], losses[i])) {
      i--;
    }
    return i;
  }

  private static boolean lower(double a, double b) {
    return !Double.isNaN(a) && (Double.isNaN(b) || a < b);
  }

  /**
   * The diagonal of Martens' preconditioner, {@code (F_j + lambda)^0.75}.
   *
   * @param squares the empirical Fisher diagonal {@code F}. Not modified.
   */
  static double[] preconditionerDiagonal(double[] squares, double lambda) {
    double[] m = new double[squares.length];
    for (int j = 0; j < m.length; j++) {
      m[j] = Math.pow(squares[j] + lambda, HessianFreeConfig.PRECONDITIONER_EXPONENT);
    }
    return m;
  }

  private final class Iterations extends OuterLoop {
    private final LineSearch lineSearch = new LineSearch(config.lineSearch());
    private double damping = config.initialDamping();
    /** The final CG iterate of the last step taken; null: start CG from 0. */
    private double[] warmStart;
    private int rejected;

    Iterations(SecondOrderObjective objective, double[] w0) {
      super(name(), objective, w0,
          new ConvergenceCheck(config.maxIter(), config.tol(), config.gtol()));
    }

    /**
     * {@code hessianFree.damping} ({@code lambda}), {@code hessianFree.rejected} (rejected steps
     * in a row) and, when CG is to start warm, {@code hessianFree.warmStart}.
     */
    @Override
    protected void saveState(SnapshotFields.Builder out) {
      out.put("hessianFree.damping", damping).put("hessianFree.rejected", rejected);
      if (warmStart != null) {
        out.put("hessianFree.warmStart", warmStart);
      }
    }

    @Override
    protected void restoreState(SnapshotFields in) {
      damping = in.doubleValue("hessianFree.damping");
      rejected = in.intValue("hessianFree.rejected");
      warmStart = in.has("hessianFree.warmStart")
          ? in.doubles("hessianFree.warmStart", objective.dimension()) : null;
    }

    private boolean gradientSampled() {
      return config.gradientSampleFraction() < 1.0;
    }

    @Override
    protected EvaluationRequest request(int k) {
      EvaluationRequest r = EvaluationRequest.valueAndGradient().withGradientSquares();
      // The gradient samples' seeds come from the bitwise complement of the seed: a stream apart
      // from the curvature samples'.
      return gradientSampled() ? r.onSample(RowSample.of(config.gradientSampleFraction(),
          RowSample.iterationSeed(~config.seed(), k))) : r;
    }

    /**
     * The rows iteration {@code k}'s CG backtracking ranks the kept iterates on: as many as the
     * curvature sample, from a third seed stream (the curvature's is {@code seed}, the
     * gradient's {@code ~seed}), so independent of the rows CG fitted its iterates to.
     */
    private RowSample backtrackingSample(int k) {
      return RowSample.of(config.hessianSampleFraction(),
          RowSample.iterationSeed(config.seed() ^ BACKTRACKING_SEED_STREAM, k));
    }

    @Override
    protected SolverState step() {
      int k = iteration;
      double lambda = damping;
      Optional<Double> used = Optional.of(lambda);
      double[] g = current.gradient();
      double[] squares = current.gradientSquares().orElseThrow(
          () -> new IllegalStateException("the objective ignored the gradient-squares request"));
      CurvatureOperator a = new TikhonovDamped(current.curvature(RowSample.of(
          config.hessianSampleFraction(), RowSample.iterationSeed(config.seed(), k))), lambda);
      CgPreconditioner m =
          DiagonalPreconditioner.ofDiagonal(preconditionerDiagonal(squares, lambda));
      double[] start = warmStart == null
          ? new double[g.length] : Vectors.times(HessianFreeConfig.WARM_START_DECAY, warmStart);
      HessianFreeCgResult cg =
          HessianFreeCg.solve(a, g, m, start, config.maxCgIterations());
      String detail = String.format(Locale.ROOT, "cg %d (%s%s)", cg.iterations(),
          cg.exit().description(), warmStart == null ? ", from 0" : "");
      if (cg.exit() == CgResult.Exit.NON_FINITE) {
        return end(Termination.NON_FINITE, cg.iterations(), used, detail);
      }
      warmStart = cg.last();

      // CG backtracking: on a second sample, independent of the curvature's, when the curvature
      // is sampled, the sample can be held on the driver and the gradient covers all rows (one
      // collecting pass); otherwise on all
      // rows in one pass, which also gives f(theta) on all rows when the gradient pass saw a
      // sample.
      ColumnMatrix iterates = cg.iterates();
      Optional<double[]> onSample = gradientSampled() || config.hessianSampleFraction() == 1.0
          ? Optional.empty() : current.curvature(backtrackingSample(k)).sampleValuesAt(iterates);
      double[] losses;
      double f0 = current.value();
      if (onSample.isPresent()) {
        losses = onSample.get();
      } else if (gradientSampled()) {
        ColumnMatrix offsets = ColumnMatrix.zeros(g.length, iterates.cols() + 1);
        System.arraycopy(iterates.data(), 0, offsets.data(), g.length, iterates.data().length);
        double[] values = current.valuesAt(offsets);
        f0 = values[0];
        losses = Arrays.copyOfRange(values, 1, values.length);
      } else {
        losses = current.valuesAt(iterates);
      }
      int j = backtrack(losses);
      double[] d = iterates.column(j);
      detail += String.format(Locale.ROOT, ", backtracked to %d%s", cg.storedAt()[j],
          onSample.isPresent() ? " on a sample" : "");

      // The undamped model's change, q(d) - q(0) = phi(d) - lambda ||d||^2 / 2.
      double predicted = cg.dampedModel()[j] - 0.5 * lambda * Vectors.dot(d, d);
      boolean resolved = !ConvergenceCheck.belowPrecision(predicted, f0);

      // With sample backtracking f(theta + d) on all rows is the line search's first value (the
      // full step, evaluated with the next iteration's request): rho follows the search.
      LineSearchResult result = onSample.isPresent()
          ? lineSearch.search(objective, current, d, request(k + 1))
          : lineSearch.search(objective, current, d, f0, losses[j], request(k + 1));
      double rho = (result.fullStepValue() - f0) / predicted;
      if (result instanceof LineSearchResult.Failed failed) {
        detail += String.format(Locale.ROOT, ", rho %.3g; %s", rho, failed.detail());
        if (failed.reason() == Termination.NON_FINITE) {
          return end(Termination.NON_FINITE, cg.iterations(), used, detail);
        }
        if (!resolved) {
          return end(Termination.CONVERGED_AT_PRECISION, cg.iterations(), used,
              detail + "; the model promised a decrease below rounding of f");
        }
        rejected++;
        // A rejected step counts as rho = -infinity: lambda grows.
        damping = LevenbergMarquardtRule.next(lambda, Double.NEGATIVE_INFINITY,
            config.minDamping(), config.maxDamping());
        warmStart = null;
        if (rejected >= HessianFreeConfig.MAX_REJECTED_STEPS) {
          return end(Termination.LINE_SEARCH_FAILED, cg.iterations(), used,
              detail + "; " + rejected + " rejected steps in a row");
        }
        return noStep(cg.iterations(), used, String.format(Locale.ROOT,
            "%s; no step, lambda raised to %.3g", detail, damping));
      }
      LineSearchResult.Accepted accepted = (LineSearchResult.Accepted) result;
      rejected = 0;
      if (resolved) {
        damping = LevenbergMarquardtRule.next(lambda, rho, config.minDamping(),
            config.maxDamping());
      }
      detail += String.format(Locale.ROOT, ", step %.3g, rho %.3g%s", accepted.stepSize(), rho,
          resolved ? "" : " (rounding, lambda kept)");
      if (accepted.steepestDescentFallback()) {
        detail += "; not a descent direction, searched -g";
      }
      Evaluation next = accepted.next();
      if (!Double.isFinite(next.value()) || !Vectors.allFinite(next.gradient())) {
        return end(Termination.NON_FINITE, cg.iterations(), used,
            detail + "; non-finite value or gradient at the accepted point");
      }
      return advance(next, accepted.stepSize(), cg.iterations(), used, NO_EIGENVALUES, detail);
    }

    private SolverState end(
        Termination reason, int cgIterations, Optional<Double> damping, String detail) {
      return stop(reason, cgIterations, damping, NO_EIGENVALUES, detail);
    }
  }
}
