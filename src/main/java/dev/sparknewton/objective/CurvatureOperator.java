package dev.sparknewton.objective;

import dev.sparknewton.linalg.ColumnMatrix;

/**
 * A symmetric {@code n x n} curvature matrix {@code H} (a Hessian, possibly sub-sampled,
 * regularized or damped) available through products. On distributed data each call is one pass.
 */
public interface CurvatureOperator {
  int dimension();

  /** Returns a new vector {@code H v}. {@code v} not modified. */
  double[] hessianVectorProduct(double[] v);

  /** Returns a new {@code n x r} matrix {@code H V}, in one pass for all columns. {@code v} not modified. */
  ColumnMatrix hessianBlockProduct(ColumnMatrix v);

  /** Returns a new dense {@code n x n} {@code H}, in one pass. */
  ColumnMatrix denseHessian();

  /**
   * Whether each further product costs a pass over the data (true, the default), or runs where
   * the curvature already is (a sample collected to the driver, a matrix in memory): solvers
   * that trade products for outer iterations ask this.
   */
  default boolean productsArePasses() {
    return true;
  }
}
