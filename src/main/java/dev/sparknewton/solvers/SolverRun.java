package dev.sparknewton.solvers;

import java.util.Iterator;

/**
 * The lazy states of one solver run ({@link Solver#iterations}, {@link Solver#resume}) that can
 * be stopped after any state and continued later, in another process, from a
 * {@link SolverSnapshot}: a run resumed from the snapshot of state {@code k} produces states
 * {@code k + 1, ...} equal bit for bit to those of the run that was never stopped, provided the
 * objective's evaluations are deterministic (the same point and request give the same bits).
 */
public interface SolverRun extends Iterator<SolverState> {
  /**
   * The state of the run after the last state {@link #next()} returned.
   *
   * @throws IllegalStateException before the first state, or after the last (a finished run has
   *     nothing to continue)
   */
  SolverSnapshot snapshot();
}
