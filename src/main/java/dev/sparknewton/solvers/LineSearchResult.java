package dev.sparknewton.solvers;

import dev.sparknewton.objective.Evaluation;

/** The outcome of one {@link LineSearch}: an accepted point, or why there is none. */
public sealed interface LineSearchResult {

  /**
   * Passes over the data beyond the full-step value (an evaluation of {@code w + p}, or a value
   * the caller already knew): the backtracking passes, and for an accepted backtracked step its
   * re-evaluation.
   */
  int extraPasses();

  /**
   * A step that satisfies the Armijo condition.
   *
   * @param next the evaluation at {@code w + stepSize * direction}, with the requested fusions:
   *     the next outer iteration starts from it
   * @param stepSize the accepted {@code a}
   * @param direction the direction searched (the given one, or {@code -g} after a fallback)
   * @param steepestDescentFallback true when the given direction was not a descent direction and
   *     {@code -g} was searched instead
   */
  record Accepted(
      Evaluation next, double stepSize, double[] direction, int extraPasses,
      boolean steepestDescentFallback) implements LineSearchResult {}

  /**
   * No acceptable step: {@link Termination#LINE_SEARCH_FAILED}, or {@link Termination#NON_FINITE}
   * when the direction or every trial value was NaN or infinite.
   */
  record Failed(Termination reason, int extraPasses, String detail) implements LineSearchResult {}
}
