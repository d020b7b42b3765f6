package dev.sparknewton.randomized;

import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.MatrixProducts;
import dev.sparknewton.objective.CurvatureOperator;

/**
 * A {@link CurvatureOperator} over an explicit dense symmetric {@code n x n} matrix, counting its
 * products as "passes" the way a distributed operator would spend them: each vector product,
 * block product or dense read-out counts one. For tests and small problems.
 */
public final class DenseSymmetricOperator implements CurvatureOperator {
  private final ColumnMatrix matrix;
  private int passes;

  /**
   * @param a a square matrix; its symmetric part {@code (A + A^T) / 2} is used. Not modified.
   */
  public DenseSymmetricOperator(ColumnMatrix a) {
    if (a.rows() != a.cols()) {
      throw new IllegalArgumentException("a symmetric operator needs a square matrix, got " + a);
    }
    this.matrix = MatrixProducts.symmetricPart(a);
  }

  /** Products made so far. */
  public int passes() {
    return passes;
  }

  @Override
  public int dimension() {
    return matrix.rows();
  }

  @Override
  public double[] hessianVectorProduct(double[] v) {
    passes++;
    return matrix.multiply(v);
  }

  @Override
  public ColumnMatrix hessianBlockProduct(ColumnMatrix v) {
    passes++;
    return MatrixProducts.times(matrix, v);
  }

  @Override
  public ColumnMatrix denseHessian() {
    passes++;
    return matrix.copy();
  }
}
