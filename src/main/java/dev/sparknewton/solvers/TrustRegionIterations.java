package dev.sparknewton.solvers;

import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;
import java.util.Optional;

/**
 * The lazy outer loop of trust-region Newton-CG, TRON's design (C.-J. Lin, R. C. Weng, S. S.
 * Keerthi, "Trust region Newton method for large-scale logistic regression", JMLR 9, 2008,
 * Algorithm 2 and Section 2.1; C.-J. Lin and J. J. More, "Newton's method for large
 * bound-constrained optimization problems", SIAM J. Optim. 9(4), 1999, for the radius update).
 * At iterate {@code w_k} with gradient {@code g}, system {@link NewtonSystem} and radius
 * {@code Delta_k}:
 *
 * <ol>
 *   <li>{@code s} = Steihaug-Toint CG for {@code min Q(s) = g.s + s.H s / 2},
 *       {@code ||s||_M <= Delta_k} ({@link ConjugateGradient#solveWithin}).
 *   <li>{@code f(w_k + s)} is evaluated with the next iterate's fused request (one pass), so an
 *       accepted step costs no pass beyond the next gradient, as in {@link LineSearch}.
 *   <li>{@code rho = actred / prered} with {@code actred = f(w_k) - f(w_k + s)} and
 *       {@code prered = -Q(s)}; the step is accepted when {@code actred > ETA0 prered}.
 *   <li>The radius moves by the rule of TRON ({@code tron.cpp}), with {@code alpha} the minimizer
 *       of the quadratic through {@code f(w_k)}, {@code g.s} and {@code f(w_k + s)} along
 *       {@code s} (or {@code SIGMA3} when that quadratic is not convex), and {@code alpha} at
 *       least {@code SIGMA1}:
 *       <pre>
 *   rho <  ETA0: Delta = min(alpha ||s||, SIGMA2 Delta)
 *   rho <  ETA1: Delta = max(SIGMA1 Delta, min(alpha ||s||, SIGMA2 Delta))
 *   rho <  ETA2: Delta = max(SIGMA1 Delta, min(alpha ||s||, SIGMA3 Delta))
 *   otherwise:   Delta = SIGMA3 Delta on the boundary, else max(Delta, min(alpha ||s||, SIGMA3 Delta))
 *       </pre>
 *   <li>A rejected step is solved again, at the same point, with the smaller radius: the same
 *       curvature operator (same row sample) and preconditioner.
 * </ol>
 *
 * The first radius is {@code ||g_0||_{M^-1}}, the {@code M}-norm of the Newton step when
 * {@code M = H}; while no step has been accepted, {@code Delta = min(Delta, ||s||_M)} before the
 * update (TRON does the same with its first radius {@code ||g_0||}). Norms are those of the
 * iterate's preconditioner {@code M}, which changes between iterates as TRON's diagonal does.
 *
 * <p>Termination, besides {@link ConvergenceCheck}: a rejected step whose actual and predicted
 * decrease are both within {@link ConvergenceCheck#PRECISION_RELATIVE}{@code |f|} (TRON's own
 * stop) ends as {@link Termination#CONVERGED_AT_PRECISION} when CG ended inside the region (the model's
 * minimum itself promises less than the sum over the data resolves), and as
 * {@link Termination#TRUST_REGION_FAILED} when the radius had to collapse to get there, or after
 * {@link #MAX_REJECTIONS} rejections in a row. Each state is an accepted iterate; its
 * {@code innerIterations} counts the CG iterations of every trial, rejected ones included.
 */
public final class TrustRegionIterations extends OuterLoop {
  /** Accept the step when {@code actred > ETA0 prered}. */
  public static final double ETA0 = 1e-4;
  /** Below {@code ETA1 prered} the radius shrinks. */
  public static final double ETA1 = 0.25;
  /** Above {@code ETA2 prered} the radius may grow. */
  public static final double ETA2 = 0.75;
  /** Smallest radius factor. */
  public static final double SIGMA1 = 0.25;
  /** Shrink factor of a poor step. */
  public static final double SIGMA2 = 0.5;
  /** Growth factor of a very successful step. */
  public static final double SIGMA3 = 4.0;
  /** Rejections in a row (each shrinks the radius at least by {@code SIGMA2}) before failing. */
  public static final int MAX_REJECTIONS = 60;

  private final NewtonSystem.Source systems;
  private double radius = Double.NaN;
  private boolean anyAccepted;

  /**
   * @param solver the solver's name, recorded in snapshots
   * @param w0 the start point. Not modified.
   */
  public TrustRegionIterations(String solver,
      SecondOrderObjective objective, double[] w0, NewtonSystem.Source systems,
      ConvergenceCheck check) {
    super(solver, objective, w0, check);
    this.systems = systems;
  }

  @Override
  protected EvaluationRequest request(int iteration) {
    return systems.request(iteration);
  }

  /**
   * The radius ({@code trustRegion.radius}, NaN before the first step) and whether a step was
   * accepted ({@code trustRegion.anyAccepted}, 0 or 1), then the systems' state.
   */
  @Override
  protected void saveState(SnapshotFields.Builder out) {
    out.put("trustRegion.radius", radius).put("trustRegion.anyAccepted", anyAccepted ? 1 : 0);
    systems.saveTo(out);
  }

  @Override
  protected void restoreState(SnapshotFields in) {
    radius = in.doubleValue("trustRegion.radius");
    anyAccepted = in.intValue("trustRegion.anyAccepted") != 0;
    systems.restoreFrom(in);
  }

  /** Continues from {@code snapshot} (see {@link Solver#resume}); this loop must be fresh. */
  TrustRegionIterations resumedFrom(SolverSnapshot snapshot) {
    restore(snapshot);
    return this;
  }

  @Override
  protected SolverState step() {
    int k = iteration + 1;
    NewtonSystem system = systems.at(current, iteration);
    double[] w = current.point();
    double[] g = current.gradient();
    double f = current.value();
    if (Double.isNaN(radius)) {
      radius = dualNorm(g, system.preconditioner());
    }
    int cgIterations = 0;
    StringBuilder trials = new StringBuilder();
    for (int rejected = 0; ; rejected++) {
      double before = radius;
      CgResult result = system.cg().solveWithin(system.curvature(), g, system.preconditioner(),
          system.rule(), radius, system.maxDecrease());
      cgIterations += result.iterations();
      String cgNote = String.format("CG: %s after %d its", result.exit().description(),
          result.iterations());
      if (result.exit() == CgResult.Exit.NON_FINITE) {
        return failed(system, Termination.NON_FINITE, cgIterations, trials + cgNote);
      }
      double prered = result.modelDecrease();
      double[] s = result.step();
      Evaluation trial = objective.evaluate(Vectors.plus(w, 1.0, s), systems.request(k));
      double actred = f - trial.value();
      boolean finite = Double.isFinite(trial.value()) && Vectors.allFinite(trial.gradient());
      if (!anyAccepted) {
        radius = Math.min(radius, result.stepNorm());
      }
      radius = finite
          ? nextRadius(radius, result, Vectors.dot(g, s), actred, prered)
          : SIGMA1 * Math.min(radius, result.stepNorm());
      String note = String.format("%s, radius %.3e -> %.3e, rho %.3f", cgNote, before, radius,
          actred / prered);
      if (finite && actred > ETA0 * prered) {
        systems.solved(iteration, result.iterations());
        systems.taken(result.exit() == CgResult.Exit.MAX_ITERATIONS, actred >= ETA2 * prered);
        anyAccepted = true;
        return advance(trial, 1.0, cgIterations, Optional.empty(), system.eigenvalues(),
            trials + note + system.note());
      }
      trials.append(note).append(" rejected; ");
      boolean unresolved = ConvergenceCheck.belowPrecision(actred, f)
          && prered <= ConvergenceCheck.PRECISION_RELATIVE * Math.abs(f);
      if (unresolved && result.exit() != CgResult.Exit.BOUNDARY) {
        systems.solved(iteration, result.iterations());
        return failed(system, Termination.CONVERGED_AT_PRECISION, cgIterations,
            trials + "decrease below rounding of f");
      }
      if (unresolved || rejected + 1 >= MAX_REJECTIONS || !(radius > 0.0)) {
        return failed(system, Termination.TRUST_REGION_FAILED, cgIterations,
            trials + (unresolved ? "radius collapsed to rounding level"
                : (rejected + 1) + " rejected steps in a row"));
      }
    }
  }

  /** TRON's radius update of the class comment. */
  static double nextRadius(
      double radius, CgResult result, double gs, double actred, double prered) {
    double snorm = result.stepNorm();
    // f(w + t s) ~ f + t gs + t^2 (fnew - f - gs): its minimizer is at t = -gs / (2 curvature).
    double curvature = -actred - gs;
    double alpha = curvature <= 0.0 ? SIGMA3 : Math.max(SIGMA1, -0.5 * gs / curvature);
    if (actred < ETA0 * prered) {
      return Math.min(alpha * snorm, SIGMA2 * radius);
    } else if (actred < ETA1 * prered) {
      return Math.max(SIGMA1 * radius, Math.min(alpha * snorm, SIGMA2 * radius));
    } else if (actred < ETA2 * prered) {
      return Math.max(SIGMA1 * radius, Math.min(alpha * snorm, SIGMA3 * radius));
    } else if (result.exit() == CgResult.Exit.BOUNDARY) {
      return SIGMA3 * radius;
    }
    return Math.max(radius, Math.min(alpha * snorm, SIGMA3 * radius));
  }

  /** {@code ||g||_{M^-1} = sqrt(g.M^-1 g)}. */
  private static double dualNorm(double[] g, CgPreconditioner m) {
    double[] z = new double[g.length];
    m.solve(g, z);
    return Math.sqrt(Vectors.dot(g, z));
  }

  private SolverState failed(NewtonSystem system, Termination reason, int cgIterations,
      String detail) {
    return stop(reason, cgIterations, Optional.empty(), system.eigenvalues(),
        detail + system.note());
  }
}
