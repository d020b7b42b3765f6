package dev.sparknewton.solvers;

/**
 * What a solver run needs to go on after one of its states exactly as if it had never stopped
 * ({@link SolverRun#snapshot()}, {@link Solver#resume}): the iterate and its number, and the
 * solver's memory ({@link SnapshotFields}: the convergence test's, and damping, forcing terms,
 * trust radius, moments, warm start, the reused sketch's origin, ... as the solver has them).
 * Derived quantities that a seeded rule recomputes bit for bit (row samples and test matrices,
 * seeded by the iteration number; the evaluation at {@code point}; a Nystrom sketch from the
 * point it was built at) are not stored. Immutable.
 *
 * @param solver the solver's {@link Solver#name()}
 * @param iteration {@code k}, the number of the state the snapshot was taken after
 * @param evaluatedWith the iteration whose evaluation request made the evaluation at
 *     {@code point}: {@code k}, or less when iterations took no step (Hessian-free's rejected
 *     steps keep the evaluation of an earlier iteration, with its gradient sample)
 * @param point the iterate {@code w_k}; copied in and out
 * @param fields the solver's state
 */
public record SolverSnapshot(
    String solver, int iteration, int evaluatedWith, double[] point, SnapshotFields fields) {

  public SolverSnapshot {
    if (iteration < 0 || evaluatedWith < 0 || evaluatedWith > iteration) {
      throw new IllegalArgumentException("snapshot of iteration " + iteration
          + " cannot hold an evaluation of iteration " + evaluatedWith);
    }
    point = point.clone();
  }

  @Override
  public double[] point() {
    return point.clone();
  }
}
