package dev.sparknewton.solvers;

import dev.sparknewton.linalg.ColumnMatrix;

/**
 * The outcome of one {@link HessianFreeCg} solve of {@code A x = -g}.
 *
 * @param iterates the kept iterates {@code x_i} as the columns of an {@code n x m} matrix, in
 *     increasing {@code i}: those at {@code i = ceil(1.3^j)} and the final one, which is always
 *     the last column; no columns when the first product was not finite
 * @param storedAt the iteration {@code i} of each column
 * @param dampedModel {@code phi(x_i) = x_i.A x_i / 2 + g.x_i} of each column, with {@code A} the
 *     damped matrix
 * @param iterations CG iterations
 * @param products curvature products: one per iteration, and one for {@code A x_0} when the start
 *     {@code x_0} is not zero
 * @param exit why CG stopped
 */
record HessianFreeCgResult(ColumnMatrix iterates, int[] storedAt, double[] dampedModel,
    int iterations, int products, CgResult.Exit exit) {

  /** The final iterate (the last column), a new array: the next solve's warm start. */
  double[] last() {
    return iterates.column(iterates.cols() - 1);
  }
}
