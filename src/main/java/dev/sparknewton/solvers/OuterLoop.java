package dev.sparknewton.solvers;

import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * What every outer loop shares: state 0 is the start point, each {@link #next()} runs one outer
 * iteration ({@link #step()}), the {@link ConvergenceCheck} runs after every accepted iterate,
 * and the last state carries its {@link Termination}. A stop without an accepted point
 * ({@link #stop}) repeats the last good iterate under the failed iteration's number, with step
 * size 0, so {@code minimize} always returns a finite point when there was one; so does an
 * iteration that rejected its step and goes on ({@link #noStep}).
 *
 * <p>Checkpoints: {@link #snapshot()} saves the iteration number, the iterate, the convergence
 * test's memory and the subclass's state ({@link #saveState}); {@link #restore} puts them back
 * into a fresh loop ({@link #restoreState}) and re-evaluates the iterate with the request it was
 * evaluated with, so the next state is the one the stopped run would have produced.
 */
abstract class OuterLoop implements SolverRun {
  private static final double[] NO_EIGENVALUES = new double[0];

  protected final SecondOrderObjective objective;
  protected final ConvergenceCheck check;
  private final String solver;
  private final double[] start;

  /** The evaluation at the current iterate; null before the first {@link #next()}. */
  protected Evaluation current;
  /** The current iterate's number. */
  protected int iteration;
  /** The iteration whose {@link #request} made {@link #current}. */
  private int evaluatedWith;
  private boolean finished;

  /** @param solver the solver's name, recorded in snapshots */
  OuterLoop(String solver, SecondOrderObjective objective, double[] w0, ConvergenceCheck check) {
    if (w0.length != objective.dimension()) {
      throw new IllegalArgumentException("start point has " + w0.length
          + " entries, the objective has dimension " + objective.dimension());
    }
    this.solver = solver;
    this.objective = objective;
    this.start = w0.clone();
    this.check = check;
  }

  /**
   * Writes what the subclass keeps between iterations (beyond the iterate and the convergence
   * test) into {@code out}; called between iterations, with {@link #current} the evaluation at
   * the iterate.
   */
  protected abstract void saveState(SnapshotFields.Builder out);

  /**
   * Puts back what {@link #saveState} wrote, before the iterate is re-evaluated; may evaluate
   * the objective to rebuild what is derived from an earlier iterate.
   */
  protected abstract void restoreState(SnapshotFields in);

  @Override
  public final SolverSnapshot snapshot() {
    if (current == null || finished) {
      throw new IllegalStateException(current == null
          ? "no state to take a snapshot of: the run has not started"
          : "the run has terminated: there is nothing to continue");
    }
    SnapshotFields.Builder out = SnapshotFields.builder();
    check.saveTo(out);
    saveState(out);
    return new SolverSnapshot(solver, iteration, evaluatedWith, current.point(), out.build());
  }

  /**
   * Continues from {@code snapshot} (this loop must be fresh, started at its point): restores
   * the iteration, the convergence test and the subclass state, then evaluates the iterate with
   * the request of the iteration that evaluated it.
   */
  final void restore(SolverSnapshot snapshot) {
    if (current != null) {
      throw new IllegalStateException("only a fresh run can be restored");
    }
    if (!snapshot.solver().equals(solver)) {
      throw new IllegalArgumentException("the snapshot is of solver " + snapshot.solver()
          + ", not " + solver);
    }
    if (snapshot.point().length != objective.dimension()) {
      throw new IllegalArgumentException("the snapshot's point has " + snapshot.point().length
          + " entries, the objective has dimension " + objective.dimension());
    }
    check.restoreFrom(snapshot.fields());
    iteration = snapshot.iteration();
    evaluatedWith = snapshot.evaluatedWith();
    restoreState(snapshot.fields());
    current = objective.evaluate(snapshot.point(), request(evaluatedWith));
  }
  /** What the evaluation of iterate {@code iteration} fuses into its gradient pass. */
  protected abstract EvaluationRequest request(int iteration);

  /** One outer iteration from {@link #current}: ends in {@link #advance} or {@link #stop}. */
  protected abstract SolverState step();

  @Override
  public final boolean hasNext() {
    return !finished;
  }

  @Override
  public final SolverState next() {
    if (finished) {
      throw new NoSuchElementException("the solver has terminated");
    }
    return current == null ? first() : step();
  }

  private SolverState first() {
    current = objective.evaluate(start, request(0));
    evaluatedWith = 0;
    double norm = Vectors.norm(current.gradient());
    SolverState state = new SolverState(0, current.point(), current.value(), norm, 0.0, 0,
        Optional.empty(), NO_EIGENVALUES, "start", Optional.empty());
    return finish(state, check.atStart(current.value(), norm));
  }

  /** Makes {@code next} iterate {@code iteration + 1} and tests it. */
  protected final SolverState advance(
      Evaluation next, double stepSize, int innerIterations, Optional<Double> damping,
      double[] eigenvalues, String detail) {
    int k = iteration + 1;
    double norm = Vectors.norm(next.gradient());
    double previous = current.value();
    current = next;
    iteration = k;
    evaluatedWith = k;
    SolverState state = new SolverState(k, next.point(), next.value(), norm, stepSize,
        innerIterations, damping, eigenvalues, detail, Optional.empty());
    return finish(state, check.after(k, previous, next.value(), norm));
  }

  /**
   * Iteration {@code iteration + 1} took no step and the run goes on from the same iterate (and
   * the same evaluation): its state repeats the current point, value and gradient norm with step
   * size 0, and only the iteration limit is tested ({@link ConvergenceCheck#afterNoStep}).
   */
  protected final SolverState noStep(
      int innerIterations, Optional<Double> damping, String detail) {
    int k = iteration + 1;
    iteration = k;
    SolverState state = new SolverState(k, current.point(), current.value(),
        Vectors.norm(current.gradient()), 0.0, innerIterations, damping, NO_EIGENVALUES, detail,
        Optional.empty());
    return finish(state, check.afterNoStep(k));
  }

  /** Ends the run at the current iterate, as iteration {@code iteration + 1}, with {@code reason}. */
  protected final SolverState stop(
      Termination reason, int innerIterations, Optional<Double> damping, double[] eigenvalues,
      String detail) {
    finished = true;
    return new SolverState(iteration + 1, current.point(), current.value(),
        Vectors.norm(current.gradient()), 0.0, innerIterations, damping, eigenvalues, detail,
        Optional.of(reason));
  }

  private SolverState finish(SolverState state, Optional<Termination> termination) {
    if (termination.isPresent()) {
      finished = true;
      return state.terminated(termination.get());
    }
    return state;
  }
}
