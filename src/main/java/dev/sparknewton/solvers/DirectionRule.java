package dev.sparknewton.solvers;

import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;

/**
 * How a line-search solver picks its direction: the part that differs between exact Newton,
 * Newton-CG and the low-rank solvers, while {@link LineSearchIterations} owns the rest. An
 * instance belongs to one run and may keep state between iterations (forcing terms, damping).
 */
public interface DirectionRule {
  /**
   * What the evaluation at iterate {@code iteration} must fuse into its gradient pass (the
   * diagonal, the dense Hessian on that iteration's sample, ...). Called before that iterate is
   * evaluated: for iterate {@code k + 1} during iteration {@code k}'s line search.
   */
  EvaluationRequest request(int iteration);

  /** The direction at iterate {@code iteration}, from its evaluation (made with {@link #request}). */
  Direction direction(Evaluation at, int iteration);

  /**
   * Told by {@link LineSearchIterations} that the line search from iterate {@code iteration}
   * accepted {@code stepSize} along this rule's direction (rules that adapt a step length listen).
   */
  default void accepted(int iteration, double stepSize) {}

  /**
   * Writes what this rule keeps between iterations into {@code out} (a stateless rule writes
   * nothing), for a {@link SolverSnapshot} taken after the state of iterate {@code at}: called
   * after {@link #request} was asked for that iterate and before its {@link #direction}.
   */
  void saveTo(SnapshotFields.Builder out, Evaluation at);

  /**
   * Puts back what {@link #saveTo} wrote, into a fresh rule of the same configuration, before
   * the iterate is re-evaluated with {@link #request}.
   */
  void restoreFrom(SnapshotFields in);
}
