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
  Iterator<SolverState> iterations(SecondOrderObjective objective, double[] w0);

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
