package dev.sparknewton.solvers;

import java.util.Optional;

/**
 * One outer iteration of a solver, immutable. Iteration 0 is the starting point. The caller adds
 * passes and seconds (it owns the clock and the pass counter); the solver says what it did.
 *
 * @param iteration 0 for the starting point
 * @param point the iterate; not to be modified
 * @param value the objective at {@code point}
 * @param gradientNorm {@code ||grad f(point)||}
 * @param stepSize the accepted line-search step (1 for a full step, 0 at iteration 0)
 * @param innerIterations CG iterations (or other inner iterations) spent on this step
 * @param damping the damping or shift used for this step (Levenberg-Marquardt lambda, LRSFN
 *     gamma), when the solver has one
 * @param eigenvalues the curvature eigenvalues this step used (low-rank solvers), else empty
 * @param detail a short free-text note on the step (e.g. "negative curvature", "damped retry")
 * @param termination present on the last state only
 */
public record SolverState(
    int iteration,
    double[] point,
    double value,
    double gradientNorm,
    double stepSize,
    int innerIterations,
    Optional<Double> damping,
    double[] eigenvalues,
    String detail,
    Optional<Termination> termination) {

  /** The same state, marked as the last with {@code reason}. */
  public SolverState terminated(Termination reason) {
    return new SolverState(iteration, point, value, gradientNorm, stepSize, innerIterations,
        damping, eigenvalues, detail, Optional.of(reason));
  }
}
