package dev.sparknewton.solvers;

import dev.sparknewton.objective.SecondOrderObjective;
import java.util.function.UnaryOperator;

/**
 * A solver whose outer loop is {@link LineSearchIterations} over one {@link DirectionRule}
 * (exact Newton, line-search Newton-CG, LRSFN): {@link WarmStarted} puts L-BFGS iterations in
 * front of its own by wrapping the rule.
 */
interface LineSearchSolver extends Solver {
  /**
   * This solver's iterations from {@code w0}, their direction rule passed through {@code wrap};
   * the same checks as {@link #iterations(SecondOrderObjective, double[])}.
   */
  LineSearchIterations iterations(
      SecondOrderObjective objective, double[] w0, UnaryOperator<DirectionRule> wrap);

  @Override
  default SolverRun iterations(SecondOrderObjective objective, double[] w0) {
    return iterations(objective, w0, UnaryOperator.identity());
  }

  @Override
  default SolverRun resume(SecondOrderObjective objective, SolverSnapshot snapshot) {
    return iterations(objective, snapshot.point(), UnaryOperator.identity())
        .resumedFrom(snapshot);
  }
}
