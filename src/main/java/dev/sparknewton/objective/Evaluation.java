package dev.sparknewton.objective;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;
import java.util.Optional;

/**
 * An objective evaluated at one point {@code w}: its value and gradient, and the curvature at the
 * same {@code w}. Returned arrays must not be modified by the caller.
 */
public interface Evaluation {
  /** The point {@code w}. Not to be modified. */
  double[] point();

  /** {@code f(w)}. */
  double value();

  /** {@code grad f(w)}. Not to be modified. */
  double[] gradient();

  /**
   * The diagonal of the full-data Hessian, when the evaluation request asked for it; the
   * Gauss-Newton diagonal where {@link SecondOrderObjective#diagonalIsCurvature()} is false.
   */
  Optional<double[]> hessianDiagonal();

  /**
   * The empirical Fisher diagonal {@code (1 / sum c_i) sum_i c_i g_i^2} of the data term, when
   * the evaluation request asked for it.
   */
  Optional<double[]> gradientSquares();

  /**
   * The Hessian (for the models here, equal to the Gauss-Newton matrix) at {@link #point()},
   * estimated on {@code sample}; the full Hessian for {@link RowSample#all()}. The sample's rows
   * are fixed when this is called, so every product of the returned operator sees the same rows.
   */
  CurvatureOperator curvature(RowSample sample);

  /**
   * {@code f(w + a_k p)} for every step {@code a_k}, in one pass over the data.
   *
   * @param direction {@code p}. Not modified.
   * @param steps the {@code a_k}. Not modified.
   */
  double[] valuesAlong(double[] direction, double[] steps);

  /**
   * {@code f(w + d_j)} for every column {@code d_j} of {@code offsets}, in one pass over the data.
   *
   * @param offsets {@code n x m}. Not modified.
   */
  double[] valuesAt(ColumnMatrix offsets);

  /** {@code H v} on the full data (one pass). */
  default double[] hessianVectorProduct(double[] v) {
    return curvature(RowSample.all()).hessianVectorProduct(v);
  }

  /** {@code H V} for a block of {@code r} vectors on the full data (one pass). */
  default ColumnMatrix hessianBlockProduct(ColumnMatrix v) {
    return curvature(RowSample.all()).hessianBlockProduct(v);
  }

  /** The dense {@code n x n} Hessian on the full data (one pass). */
  default ColumnMatrix denseHessian() {
    return curvature(RowSample.all()).denseHessian();
  }
}
