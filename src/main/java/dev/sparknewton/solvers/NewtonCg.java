package dev.sparknewton.solvers;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.ClassSumGroups;
import dev.sparknewton.objective.CurvatureOperator;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;
import dev.sparknewton.randomized.LowRankEigen;
import dev.sparknewton.randomized.RandomizedEigenConfig;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Inexact (truncated) Newton with preconditioned CG, globalized by Armijo backtracking or a trust region:
 *
 * <pre>  H_k p_k ~ -g_k  (PCG, truncated),   w_{k+1} = w_k + a_k p_k</pre>
 *
 * <ul>
 *   <li>Curvature: {@code H_k} on a fresh row sample each iteration,
 *       {@code RowSample.of(fraction, RowSample.iterationSeed(seed, k))} (sub-sampled Newton,
 *       Roosta-Khorasani and Mahoney 2019; Byrd, Chin, Neveitt, Nocedal 2011); every CG iteration
 *       is one Hessian-vector product.
 *   <li>Preconditioner: the full-data Hessian diagonal, fused into the gradient pass; or the
 *       randomized Nystrom preconditioner ({@link NystromPreconditioner}, Frangella, Tropp, Udell
 *       2021) of a rank-{@code k} Nystrom sketch of {@code H_j} taken at an earlier iteration
 *       {@code j}, whose product {@code H_j Omega_j} is fused into iterate {@code j}'s gradient
 *       pass (no extra pass when no power iterations are asked for). The sketch is reused while
 *       it still works: iterate {@code k} rebuilds it when CG at iterate {@code k - 1} took more
 *       than {@link #REBUILD_GROWTH} times the CG iterations of iterate {@code j} plus
 *       {@link #REBUILD_SLACK}, or when {@code k - j >= solver.preconditionerRefresh} (if
 *       positive). The shift {@code mu} of the preconditioner is the regularization, which is
 *       already inside the sketched Hessian; see {@link NystromPreconditioner}.
 *   <li>CG stop: Eisenstat-Walker forcing or LIBLINEAR 2.40's quadratic-model rule
 *       ({@link CgStoppingRule}); by default ({@link NewtonCgConfig.Forcing#AUTO}) the
 *       quadratic-model rule, capped at {@code driverMaxCgIterations} (a cap that may grow while
 *       capped steps are taken whole, {@code driverMaxCgGrowth}: {@code Systems.taken}), when the
 *       products run on a driver-held sample, and Eisenstat-Walker, capped at
 *       {@code maxCgIterations}, when each is a pass; negative curvature ends CG with the last
 *       iterate (Nocedal and Wright, "Numerical Optimization", 2nd ed., Algorithm 7.1). Besides,
 *       CG stops at the first iterate whose model decrease {@code -Q(s_j)} reaches
 *       {@code f - lowerBound(f)} ({@link SecondOrderObjective#lowerBound()}: 0 for the
 *       cross-entropy and squared losses):
 *       no step can decrease {@code f} that much, so the model is wrong there and further CG
 *       iterations only extend the step where it is wrong. On logistic regression with
 *       confidently misclassified rows (curvature {@code p(1 - p) ≈ 0} beside a real gradient)
 *       this removes the long CG runs whose steps the line search then cut to 1/256 (news20
 *       binary, every product distributed: about 1,700 passes to 1e-6 with the Nystrom
 *       preconditioner before, 413 after; docs/benchmarks.md). With the line search the stop
 *       applies only when products cost passes ({@link CurvatureOperator#productsArePasses()}):
 *       with a driver-side sample the long direction, cut back, took fewer passes (112 against
 *       183); the trust region always applies it (534 passes against 415).
 *   <li>Step ({@link NewtonCgConfig.Globalization}): {@link LineSearch} along the CG step, an
 *       accepted full step costing no pass beyond the next gradient; or a trust region
 *       ({@link TrustRegionIterations}, TRON's rules), CG then being Steihaug-Toint CG in the
 *       preconditioner's norm ({@link ConjugateGradient#solveWithin}).
 * </ul>
 *
 * The state's {@code innerIterations} is the number of CG iterations of that step (of all its
 * trials, for the trust region).
 */
public final class NewtonCg implements LineSearchSolver {
  /** Rebuild the Nystrom sketch when CG needs more than this many times its iterations at the build. */
  public static final int REBUILD_GROWTH = 2;
  /** Added to the CG iterations at the build before comparing, so that 1 -> 3 is no slowdown. */
  public static final int REBUILD_SLACK = 2;
  /**
   * The Nystrom preconditioner's guard shift relative to the largest sketched eigenvalue, as
   * {@link DiagonalPreconditioner#FLOOR}: {@code cond(M) <= 1e10} even for a rank-deficient sketch.
   */
  public static final double NYSTROM_SHIFT = DiagonalPreconditioner.FLOOR;

  private final NewtonCgConfig config;

  public NewtonCg(NewtonCgConfig config) {
    this.config = config;
  }

  public NewtonCgConfig config() {
    return config;
  }

  @Override
  public String name() {
    return config.globalization() == NewtonCgConfig.Globalization.TRUST_REGION
        ? "trust-region" : "newton-cg";
  }

  @Override
  public SolverRun iterations(SecondOrderObjective objective, double[] w0) {
    if (config.globalization() == NewtonCgConfig.Globalization.TRUST_REGION) {
      ConvergenceCheck check = new ConvergenceCheck(config.maxIter(), config.tol(), config.gtol());
      return new TrustRegionIterations(name(), objective, w0, new Systems(check, objective), check);
    }
    return iterations(objective, w0, UnaryOperator.identity());
  }

  /**
   * @throws IllegalStateException with the trust region, whose outer loop is not a line search
   */
  @Override
  public LineSearchIterations iterations(
      SecondOrderObjective objective, double[] w0, UnaryOperator<DirectionRule> wrap) {
    if (config.globalization() != NewtonCgConfig.Globalization.LINE_SEARCH) {
      throw new IllegalStateException(name() + " has no line search whose rule can be wrapped");
    }
    ConvergenceCheck check = new ConvergenceCheck(config.maxIter(), config.tol(), config.gtol());
    return new LineSearchIterations(name(), objective, w0,
        wrap.apply(new CgDirection(new Systems(check, objective))), check,
        new LineSearch(config.lineSearch()));
  }

  /**
   * Besides the iterate: the convergence test, the Eisenstat-Walker memory, the CG counts of the
   * sketch reuse rule, the initial diagonal ({@code initial-diagonal}) and the point the Nystrom
   * sketch in use was built at, from which it is rebuilt (one evaluation, plus the sketch's power
   * iterations); the trust region adds its radius.
   */
  @Override
  public SolverRun resume(SecondOrderObjective objective, SolverSnapshot snapshot) {
    SolverRun run = iterations(objective, snapshot.point());
    if (run instanceof TrustRegionIterations t) {
      return t.resumedFrom(snapshot);
    }
    return ((LineSearchIterations) run).resumedFrom(snapshot);
  }

  private RowSample sample(int iteration) {
    return RowSample.of(
        config.hessianSampleFraction(), RowSample.iterationSeed(config.seed(), iteration));
  }

  /** The line-search direction: one unconstrained truncated PCG solve per iterate. */
  private static final class CgDirection implements DirectionRule {
    private final Systems systems;
    /** Whether the last direction's CG stopped at its cap (read when its step is accepted). */
    private boolean capped;

    CgDirection(Systems systems) {
      this.systems = systems;
    }

    @Override
    public EvaluationRequest request(int iteration) {
      return systems.request(iteration);
    }

    @Override
    public Direction direction(Evaluation at, int iteration) {
      NewtonSystem system = systems.at(at, iteration);
      // With free products a longer CG direction, cut back by the line search, measured better
      // than a capped one at a full step (docs/benchmarks.md, news20 binary).
      double cap = system.curvature().productsArePasses()
          ? system.maxDecrease() : Double.POSITIVE_INFINITY;
      CgResult result = system.cg().solveWithin(system.curvature(), at.gradient(),
          system.preconditioner(), system.rule(), Double.POSITIVE_INFINITY, cap);
      systems.solved(iteration, result.iterations());
      capped = result.exit() == CgResult.Exit.MAX_ITERATIONS;
      String detail = String.format("CG: %s after %d its, model decrease %.3e%s",
          result.exit().description(), result.iterations(), result.modelDecrease(),
          system.note());
      if (result.exit() == CgResult.Exit.NON_FINITE) {
        return Direction.failed(Termination.NON_FINITE, result.iterations(), Optional.empty(),
            detail);
      }
      return Direction.of(result.step(), result.iterations(), Optional.empty(), detail)
          .withEigenvalues(system.eigenvalues());
    }

    @Override
    public void accepted(int iteration, double stepSize) {
      systems.taken(capped, stepSize == 1.0);
    }

    @Override
    public void saveTo(SnapshotFields.Builder out, Evaluation at) {
      systems.saveTo(out);
    }

    @Override
    public void restoreFrom(SnapshotFields in) {
      systems.restoreFrom(in);
    }
  }

  /**
   * The curvature, preconditioner and CG stopping rule of each iterate, shared by both
   * globalizations: the fused request (diagonal or Nystrom sketch), the sketch reuse rule of the
   * class comment, and the forcing terms.
   */
  private final class Systems implements NewtonSystem.Source {
    /** {@code nystrom.source} when no sketch was tried yet. */
    private static final int NO_SKETCH = -2;
    /** {@code nystrom.source} when the first sketch failed and the identity stands in. */
    private static final int IDENTITY = -1;

    private final ConvergenceCheck check;
    private final SecondOrderObjective objective;
    private final double lowerBound;
    private final FusedSketch sketch;
    /** The objective's groups, asked once per run (L2Regularized builds their penalty array). */
    private final Optional<ClassSumGroups> classSumGroups;
    private EisenstatWalkerForcing forcing;
    private CgPreconditioner nystrom;
    /** The iteration whose sketch {@link #nystrom} is, or {@link #NO_SKETCH}, {@link #IDENTITY}. */
    private int nystromSource = NO_SKETCH;
    /** The iterate that sketch was taken at (to rebuild it on resume). */
    private double[] nystromPoint;
    private CgPreconditioner initial;
    private double[] initialDiagonal;
    private int builtAt = -1;
    private int cgAtBuild;
    private int lastCg;
    /** The CG cap of the next system whose products run on the driver. */
    private int driverCap = config.driverMaxCgIterations();
    /** Whether the last system's products ran on the driver (its cap was {@link #driverCap}). */
    private boolean lastOnDriver;
    /** The iteration whose rebuild decision {@link #decidedRebuild} is (decided once). */
    private int decidedFor = -1;
    private boolean decidedRebuild;

    Systems(ConvergenceCheck check, SecondOrderObjective objective) {
      this.check = check;
      this.objective = objective;
      this.lowerBound = objective.lowerBound();
      this.sketch = new FusedSketch(config.sketch(), RandomizedEigenConfig.Method.NYSTROM,
          config.seed(), objective.dimension());
      this.classSumGroups =
          config.preconditioner() == NewtonCgConfig.Preconditioner.SOFTMAX_DIAGONAL
              ? objective.classSumGroups() : Optional.empty();
    }

    @Override
    public EvaluationRequest request(int iteration) {
      EvaluationRequest r = EvaluationRequest.valueAndGradient();
      switch (config.preconditioner()) {
        case DIAGONAL:
        case SOFTMAX_DIAGONAL:
          return r.withDiagonal();
        case INITIAL_DIAGONAL:
          return initial == null ? r.withDiagonal() : r;
        case NYSTROM:
          return rebuildDue(iteration) ? sketch.fuse(r, iteration, sample(iteration)) : r;
        default:
          return r;
      }
    }

    /**
     * The reuse rule of the class comment, decided once per iteration, when its evaluation is
     * requested (so the evaluation fuses {@code H Omega} exactly when the sketch is rebuilt, and
     * the decision does not depend on when the question is asked); it depends only on iterations
     * before {@code iteration}.
     */
    private boolean rebuildDue(int iteration) {
      if (iteration != decidedFor) {
        int refresh = config.preconditionerRefresh();
        decidedRebuild = nystrom == null
            || (refresh > 0 && iteration - builtAt >= refresh)
            || lastCg > REBUILD_GROWTH * cgAtBuild + REBUILD_SLACK;
        decidedFor = iteration;
      }
      return decidedRebuild;
    }

    @Override
    public NewtonSystem at(Evaluation at, int iteration) {
      double[] g = at.gradient();
      CurvatureOperator h = at.curvature(sample(iteration));
      double[] eigenvalues = new double[0];
      String note = "";
      CgPreconditioner m;
      switch (config.preconditioner()) {
        case DIAGONAL:
          m = diagonal(at);
          break;
        case SOFTMAX_DIAGONAL:
          m = classSumGroups
              .map(groups -> SoftmaxDiagonalPreconditioner.of(hessianDiagonal(at), groups))
              .orElseGet(() -> diagonal(at));
          break;
        case INITIAL_DIAGONAL:
          if (initial == null) {
            initialDiagonal = hessianDiagonal(at);
            initial = DiagonalPreconditioner.fromHessianDiagonal(initialDiagonal);
          }
          m = initial;
          break;
        case NYSTROM:
          if (rebuildDue(iteration)) {
            Optional<LowRankEigen> eigen = sketch.decompose(h, iteration);
            if (usable(eigen)) {
              double[] l = eigen.get().values();
              nystrom = nystrom(eigen.get());
              nystromSource = iteration;
              nystromPoint = at.point();
              eigenvalues = l;
              note = String.format("; Nystrom sketch rank %d built", l.length);
            } else {
              // Keep the previous preconditioner (or none) and try again next iteration.
              if (nystrom == null) {
                nystrom = DiagonalPreconditioner.identity(g.length);
                nystromSource = IDENTITY;
              }
              note = "; Nystrom sketch failed, previous preconditioner kept";
            }
            builtAt = iteration;
          } else {
            note = "; Nystrom sketch of iteration " + builtAt + " reused";
          }
          m = nystrom;
          break;
        default:
          m = DiagonalPreconditioner.identity(g.length);
      }
      boolean passes = h.productsArePasses();
      lastOnDriver = !passes;
      ConjugateGradient cg = new ConjugateGradient(passes ? config.maxCgIterations() : driverCap);
      return new NewtonSystem(h, m, stoppingRule(Vectors.norm(g), passes), cg, eigenvalues, note,
          at.value() - lowerBound);
    }

    private CgPreconditioner diagonal(Evaluation at) {
      return DiagonalPreconditioner.fromHessianDiagonal(hessianDiagonal(at));
    }

    private double[] hessianDiagonal(Evaluation at) {
      return at.hessianDiagonal().orElseThrow(
          () -> new IllegalStateException("the objective ignored the diagonal request"));
    }

    private boolean usable(Optional<LowRankEigen> eigen) {
      return eigen.isPresent() && eigen.get().rank() > 0 && eigen.get().values()[0] > 0.0;
    }

    private CgPreconditioner nystrom(LowRankEigen eigen) {
      return NystromPreconditioner.of(eigen, NYSTROM_SHIFT * eigen.values()[0]);
    }

    /**
     * Fields: {@code cg.last} (CG iterations of the last step); {@code cg.driverCap} (the
     * driver-side CG cap, when it grew from {@code driverMaxCgIterations}); with Eisenstat-Walker
     * forcing after its first term, {@code forcing.previousEta} and
     * {@code forcing.previousGradientNorm}; with {@code initial-diagonal} once taken,
     * {@code initialDiagonal}; with {@code nystrom}, {@code nystrom.builtAt},
     * {@code nystrom.cgAtBuild}, {@code nystrom.decidedFor} and {@code nystrom.decidedRebuild}
     * (the reuse rule), {@code nystrom.source} (the iteration of the sketch in use; -1 the identity
     * after a failed first sketch, -2 none yet) and, for a sketch, {@code nystrom.point} (where it
     * was built: {@link #restoreFrom} rebuilds it there, bit for bit, instead of storing its
     * {@code n x k} vectors).
     */
    @Override
    public void saveTo(SnapshotFields.Builder out) {
      out.put("cg.last", lastCg);
      if (driverCap != config.driverMaxCgIterations()) {
        out.put("cg.driverCap", driverCap);
      }
      if (forcing != null) {
        forcing.saveTo(out, "forcing.");
      }
      if (initialDiagonal != null) {
        out.put("initialDiagonal", initialDiagonal);
      }
      if (config.preconditioner() == NewtonCgConfig.Preconditioner.NYSTROM) {
        out.put("nystrom.builtAt", builtAt).put("nystrom.cgAtBuild", cgAtBuild)
            .put("nystrom.decidedFor", decidedFor)
            .put("nystrom.decidedRebuild", decidedRebuild ? 1 : 0)
            .put("nystrom.source", nystromSource);
        if (nystromSource >= 0) {
          out.put("nystrom.point", nystromPoint);
        }
      }
    }

    @Override
    public void restoreFrom(SnapshotFields in) {
      lastCg = in.intValue("cg.last");
      driverCap = in.has("cg.driverCap")
          ? in.intValue("cg.driverCap") : config.driverMaxCgIterations();
      if (in.has("forcing.previousEta")) {
        forcing = new EisenstatWalkerForcing(check.targetGradientNorm());
        forcing.restoreFrom(in, "forcing.");
      }
      if (in.has("initialDiagonal")) {
        initialDiagonal = in.doubles("initialDiagonal", objective.dimension());
        initial = DiagonalPreconditioner.fromHessianDiagonal(initialDiagonal);
      }
      if (config.preconditioner() == NewtonCgConfig.Preconditioner.NYSTROM) {
        builtAt = in.intValue("nystrom.builtAt");
        cgAtBuild = in.intValue("nystrom.cgAtBuild");
        decidedFor = in.intValue("nystrom.decidedFor");
        decidedRebuild = in.intValue("nystrom.decidedRebuild") != 0;
        nystromSource = in.intValue("nystrom.source");
        if (nystromSource == IDENTITY) {
          nystrom = DiagonalPreconditioner.identity(objective.dimension());
        } else if (nystromSource >= 0) {
          nystromPoint = in.doubles("nystrom.point", objective.dimension());
          nystrom = rebuild(nystromSource, nystromPoint);
        }
      }
    }

    /**
     * The sketch of iteration {@code j} at {@code point}, made again as it was made then: the
     * evaluation with iteration {@code j}'s fused request, the decomposition of its curvature.
     */
    private CgPreconditioner rebuild(int j, double[] point) {
      Evaluation at = objective.evaluate(point,
          sketch.fuse(EvaluationRequest.valueAndGradient(), j, sample(j)));
      Optional<LowRankEigen> eigen = sketch.decompose(at.curvature(sample(j)), j);
      if (!usable(eigen)) {
        throw new IllegalStateException("rebuilding the Nystrom sketch of iteration " + j
            + " failed where the original run's succeeded: the objective's evaluations are not "
            + "deterministic");
      }
      return nystrom(eigen.get());
    }

    /**
     * The driver-side cap ({@link NewtonCgConfig#driverMaxCgGrowth()}): near the optimum the Newton
     * system hardly changes from one iterate to the next, so a CG truncated at its cap whose step
     * the model got right (taken whole) is better continued than restarted, which spends its
     * products on the same slow directions again (news20 multinomial, lambda 1e-5: one CG run of
     * about 1,800 products cut the suboptimality 47x where four runs of 500 cut it 6x;
     * docs/benchmarks.md). A step the globalization cut says the model was wrong that far: the
     * cap halves back.
     */
    @Override
    public void taken(boolean capped, boolean whole) {
      if (!lastOnDriver) {
        return;
      }
      int base = config.driverMaxCgIterations();
      if (capped && whole) {
        long ceiling = Math.min((long) base * config.driverMaxCgGrowth(), Integer.MAX_VALUE);
        driverCap = (int) Math.min(2L * driverCap, ceiling);
      } else if (!whole) {
        driverCap = Math.max(base, driverCap / 2);
      }
    }

    @Override
    public void solved(int iteration, int cgIterations) {
      lastCg = cgIterations;
      if (builtAt == iteration) {
        cgAtBuild = cgIterations;
      }
    }

    /**
     * The CG stop of an iterate whose gradient norm is {@code gradientNorm}; {@code passes}: each
     * of its products is a pass ({@link NewtonCgConfig.Forcing#AUTO} chooses by it).
     */
    private CgStoppingRule stoppingRule(double gradientNorm, boolean passes) {
      NewtonCgConfig.Forcing rule = config.forcing();
      if (rule == NewtonCgConfig.Forcing.AUTO) {
        rule = passes
            ? NewtonCgConfig.Forcing.EISENSTAT_WALKER : NewtonCgConfig.Forcing.QUADRATIC_MODEL;
      }
      if (rule == NewtonCgConfig.Forcing.QUADRATIC_MODEL) {
        return new CgStoppingRule.QuadraticModel(CgStoppingRule.QuadraticModel.LIBLINEAR_EPS_CG);
      }
      if (forcing == null) {
        forcing = new EisenstatWalkerForcing(check.targetGradientNorm());
      }
      return new CgStoppingRule.ResidualForcing(forcing.next(gradientNorm));
    }
  }
}
