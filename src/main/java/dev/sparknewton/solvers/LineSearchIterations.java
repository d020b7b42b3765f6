package dev.sparknewton.solvers;

import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;

/**
 * The lazy outer loop of a line-search solver: state 0 is the start point; each {@link #next()}
 * asks the {@link DirectionRule} for a direction at the current evaluation, runs the
 * {@link LineSearch} (whose accepted evaluation is the next iterate's fused gradient pass), and
 * tests the {@link ConvergenceCheck}. The last state carries its {@link Termination}.
 *
 * <p>A line search that fails along a direction whose full step promised a decrease within
 * {@link ConvergenceCheck#PRECISION_RELATIVE}{@code |f|} ends as
 * {@link Termination#CONVERGED_AT_PRECISION}: there is nothing left that {@code f} resolves.
 *
 * <p>When an iteration fails (no direction, line search failed, non-finite values) the last state
 * repeats the last good iterate (point, value, gradient norm) under the failed iteration's number,
 * with step size 0, so {@code minimize} always returns a finite point when there was one.
 */
public final class LineSearchIterations extends OuterLoop {
  private final DirectionRule rule;
  private final LineSearch lineSearch;

  /**
   * @param solver the solver's name, recorded in snapshots
   * @param w0 the start point. Not modified.
   */
  public LineSearchIterations(String solver,
      SecondOrderObjective objective, double[] w0, DirectionRule rule, ConvergenceCheck check,
      LineSearch lineSearch) {
    super(solver, objective, w0, check);
    this.rule = rule;
    this.lineSearch = lineSearch;
  }

  @Override
  protected EvaluationRequest request(int iteration) {
    return rule.request(iteration);
  }

  /** The line search keeps nothing between iterations; the rule may. */
  @Override
  protected void saveState(SnapshotFields.Builder out) {
    rule.saveTo(out, current);
  }

  @Override
  protected void restoreState(SnapshotFields in) {
    rule.restoreFrom(in);
  }

  /** Continues from {@code snapshot} (see {@link Solver#resume}); this loop must be fresh. */
  public LineSearchIterations resumedFrom(SolverSnapshot snapshot) {
    restore(snapshot);
    return this;
  }

  @Override
  protected SolverState step() {
    int k = iteration + 1;
    Direction direction = rule.direction(current, iteration);
    if (direction.failure().isPresent()) {
      return failed(direction, direction.failure().get(), direction.detail());
    }
    LineSearchResult result =
        lineSearch.search(objective, current, direction.vector(), rule.request(k));
    if (result instanceof LineSearchResult.Failed failed) {
      String detail = direction.detail() + "; " + failed.detail();
      if (failed.reason() == Termination.LINE_SEARCH_FAILED && withinPrecision(direction)) {
        return failed(direction, Termination.CONVERGED_AT_PRECISION,
            detail + "; the full step promised a decrease below rounding of f");
      }
      return failed(direction, failed.reason(), detail);
    }
    LineSearchResult.Accepted accepted = (LineSearchResult.Accepted) result;
    if (!accepted.steepestDescentFallback()) {
      rule.accepted(iteration, accepted.stepSize());
    }
    Evaluation next = accepted.next();
    String detail = direction.detail();
    if (accepted.steepestDescentFallback()) {
      detail += "; not a descent direction, searched -g";
    }
    if (accepted.extraPasses() > 0) {
      detail += "; backtracked to step " + accepted.stepSize() + " in "
          + (accepted.extraPasses() - 1) + " line-value evaluation(s)";
    }
    if (!Double.isFinite(next.value()) || !Vectors.allFinite(next.gradient())) {
      return failed(direction, Termination.NON_FINITE,
          detail + "; non-finite value or gradient at the accepted point");
    }
    return advance(next, accepted.stepSize(), direction.innerIterations(), direction.damping(),
        direction.eigenvalues(), detail);
  }

  /**
   * The first-order decrease of the full step, {@code -g.p / 2} (the quadratic model's decrease
   * for a Newton step {@code p = -H^-1 g}), is within
   * {@link ConvergenceCheck#PRECISION_RELATIVE}{@code |f|}.
   */
  private boolean withinPrecision(Direction direction) {
    double promised = -0.5 * Vectors.dot(current.gradient(), direction.vector());
    return ConvergenceCheck.belowPrecision(promised, current.value());
  }

  private SolverState failed(Direction direction, Termination reason, String detail) {
    return stop(reason, direction.innerIterations(), direction.damping(), direction.eigenvalues(),
        detail);
  }
}
