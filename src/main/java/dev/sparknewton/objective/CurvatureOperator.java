package dev.sparknewton.objective;

import dev.sparknewton.linalg.ColumnMatrix;
import java.util.Optional;

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

  /**
   * The objective at {@code w + d_j} for every column {@code d_j} of {@code offsets}
   * ({@code n x m}), measured on the rows this operator's products use (their mean loss, plus the
   * penalty of a regularized objective; a damping term is no part of it), when those rows are
   * held where the products run, so that the values cost no pass over the data. Empty otherwise
   * (products that are passes, or a matrix without rows), the default. A sample's values rank
   * nearby points as the full objective does up to sampling noise: Hessian-free's CG backtracking
   * uses those of a sample of their own.
   *
   * @param offsets not modified
   */
  default Optional<double[]> sampleValuesAt(ColumnMatrix offsets) {
    return Optional.empty();
  }
}
