package dev.sparknewton.objective;

import java.util.Optional;

/**
 * The first-order part of an {@link Evaluation} held as fields: point, value, gradient and the
 * optional Hessian and empirical Fisher diagonals. Subclasses add the curvature and the line values.
 */
public abstract class PointEvaluation implements Evaluation {
  private final double[] point;
  private final double value;
  private final double[] gradient;
  private final Optional<double[]> diagonal;
  private final Optional<double[]> squares;

  /** Arrays are kept, not copied, and must not be modified afterwards. */
  protected PointEvaluation(
      double[] point, double value, double[] gradient, Optional<double[]> diagonal) {
    this(point, value, gradient, diagonal, Optional.empty());
  }

  /** Arrays are kept, not copied, and must not be modified afterwards. */
  protected PointEvaluation(double[] point, double value, double[] gradient,
      Optional<double[]> diagonal, Optional<double[]> squares) {
    this.point = point;
    this.value = value;
    this.gradient = gradient;
    this.diagonal = diagonal;
    this.squares = squares;
  }

  @Override
  public final double[] point() {
    return point;
  }

  @Override
  public final double value() {
    return value;
  }

  @Override
  public final double[] gradient() {
    return gradient;
  }

  @Override
  public final Optional<double[]> hessianDiagonal() {
    return diagonal;
  }

  @Override
  public final Optional<double[]> gradientSquares() {
    return squares;
  }
}
