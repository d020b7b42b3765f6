package dev.sparknewton.solvers;

import dev.sparknewton.objective.SecondOrderObjective;
import java.util.Iterator;

/**
 * A driver-side optimizer, Spark-free: it sees only a {@link SecondOrderObjective}. The primary
 * API is the lazy {@link #iterations} (as in Breeze's {@code FirstOrderMinimizer}); each
 * {@code next()} runs one outer iteration. The last state carries a {@link Termination}.
 */
public interface Solver {
  /** A short name, as in the configuration ({@code "newton-cg"}). */
  String name();

  /** The states from the start point on; {@code w0} not modified. */
  SolverRun iterations(SecondOrderObjective objective, double[] w0);

  /**
   * Continues a run of this solver, with the same configuration, on the same objective (the same
   * data and settings, possibly in another process), from {@code snapshot}: the first
   * {@code next()} returns state {@code snapshot.iteration() + 1}. Before it returns, this
   * re-evaluates the iterate with the request it was evaluated with, and rebuilds anything the
   * solver reuses across iterations from where it was built (the Nystrom sketch of Newton-CG):
   * those passes belong to the restart, not to an iteration, and the caller can count them apart.
   *
   * @throws IllegalArgumentException when {@code snapshot} is another solver's, has the wrong
   *     dimension, or lacks a field this solver keeps
   */
  SolverRun resume(SecondOrderObjective objective, SolverSnapshot snapshot);

  /** Runs to termination and returns the last state. */
  default SolverState minimize(SecondOrderObjective objective, double[] w0) {
    Iterator<SolverState> it = iterations(objective, w0);
    SolverState last = it.next();
    while (it.hasNext()) {
      last = it.next();
    }
    return last;
  }
}
