package dev.sparknewton.solvers;

import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.SecondOrderObjective;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * The lazy outer loop of a line-search solver: state 0 is the start point; each {@link #next()}
 * asks the {@link DirectionRule} for a direction at the current evaluation, runs the
 * {@link LineSearch} (whose accepted evaluation is the next iterate's fused gradient pass), and
 * tests the {@link ConvergenceCheck}. The last state carries its {@link Termination}.
 *
 * <p>When an iteration fails (no direction, line search failed, non-finite values) the last state
 * repeats the last good iterate (point, value, gradient norm) under the failed iteration's number,
 * with step size 0, so {@code minimize} always returns a finite point when there was one.
 */
public final class LineSearchIterations implements Iterator<SolverState> {
  private static final double[] NO_EIGENVALUES = new double[0];

  private final SecondOrderObjective objective;
  private final double[] start;
  private final DirectionRule rule;
  private final ConvergenceCheck check;
  private final LineSearch lineSearch;

  private Evaluation current;
  private int iteration;
  private boolean finished;

  /** @param w0 the start point. Not modified. */
  public LineSearchIterations(
      SecondOrderObjective objective, double[] w0, DirectionRule rule, ConvergenceCheck check,
      LineSearch lineSearch) {
    if (w0.length != objective.dimension()) {
      throw new IllegalArgumentException("start point has " + w0.length
          + " entries, the objective has dimension " + objective.dimension());
    }
    this.objective = objective;
    this.start = w0.clone();
    this.rule = rule;
    this.check = check;
    this.lineSearch = lineSearch;
  }

  @Override
  public boolean hasNext() {
    return !finished;
  }

  @Override
  public SolverState next() {
    if (finished) {
      throw new NoSuchElementException("the solver has terminated");
    }
    return current == null ? first() : step();
  }

  private SolverState first() {
    current = objective.evaluate(start, rule.request(0));
    double norm = Vectors.norm(current.gradient());
    SolverState state = new SolverState(0, current.point(), current.value(), norm, 0.0, 0,
        Optional.empty(), NO_EIGENVALUES, "start", Optional.empty());
    return finish(state, check.atStart(current.value(), norm));
  }

  private SolverState step() {
    int k = iteration + 1;
    Direction direction = rule.direction(current, iteration);
    if (direction.failure().isPresent()) {
      return failed(k, direction, direction.failure().get(), direction.detail());
    }
    LineSearchResult result =
        lineSearch.search(objective, current, direction.vector(), rule.request(k));
    if (result instanceof LineSearchResult.Failed failed) {
      return failed(k, direction, failed.reason(), direction.detail() + "; " + failed.detail());
    }
    LineSearchResult.Accepted accepted = (LineSearchResult.Accepted) result;
    Evaluation next = accepted.next();
    double norm = Vectors.norm(next.gradient());
    String detail = direction.detail();
    if (accepted.steepestDescentFallback()) {
      detail += "; not a descent direction, searched -g";
    }
    if (accepted.extraPasses() > 0) {
      detail += "; backtracked to step " + accepted.stepSize() + " in "
          + (accepted.extraPasses() - 1) + " line-value pass(es)";
    }
    if (!Double.isFinite(next.value()) || !Vectors.allFinite(next.gradient())) {
      return failed(k, direction, Termination.NON_FINITE,
          detail + "; non-finite value or gradient at the accepted point");
    }
    double previous = current.value();
    current = next;
    iteration = k;
    SolverState state = new SolverState(k, next.point(), next.value(), norm,
        accepted.stepSize(), direction.innerIterations(), direction.damping(),
        direction.eigenvalues(), detail, Optional.empty());
    return finish(state, check.after(k, previous, next.value(), norm));
  }

  private SolverState failed(int k, Direction direction, Termination reason, String detail) {
    finished = true;
    return new SolverState(k, current.point(), current.value(),
        Vectors.norm(current.gradient()), 0.0, direction.innerIterations(), direction.damping(),
        direction.eigenvalues(), detail, Optional.of(reason));
  }

  private SolverState finish(SolverState state, Optional<Termination> termination) {
    if (termination.isPresent()) {
      finished = true;
      return state.terminated(termination.get());
    }
    return state;
  }
}
