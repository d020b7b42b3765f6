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
   * {@code f(w + p)} along the given direction {@code p}, measured by the search or given to it;
   * NaN when the search moved to {@code -g} or the direction was not finite.
   */
  double fullStepValue();

  /**
   * A step that satisfies the Armijo condition.
   *
   * @param next the evaluation at {@code w + stepSize * direction}, with the requested fusions:
   *     the next outer iteration starts from it
   * @param stepSize the accepted {@code a}
   * @param direction the direction searched (the given one, or {@code -g} after a fallback)
   * @param steepestDescentFallback true when the given direction was not a descent direction and
   *     {@code -g} was searched instead
   * @param fullStepValue {@code f(w + p)} along the given direction {@code p}, measured or given
   *     (NaN after a fallback)
   */
  record Accepted(
      Evaluation next, double stepSize, double[] direction, int extraPasses,
      boolean steepestDescentFallback, double fullStepValue) implements LineSearchResult {}

  /**
   * No acceptable step: {@link Termination#LINE_SEARCH_FAILED}, or {@link Termination#NON_FINITE}
   * when the direction or every trial value was NaN or infinite.
   *
   * @param fullStepValue as in {@link Accepted}; NaN when the direction was not finite
   */
  record Failed(Termination reason, int extraPasses, String detail, double fullStepValue)
      implements LineSearchResult {}
}
