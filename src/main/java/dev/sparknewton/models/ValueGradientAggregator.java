package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;
import java.util.Optional;

/**
 * One pass at a point {@code w}: the weighted sums {@code sum c_i l(m_i)},
 * {@code sum c_i l'(m_i) z_i} and, optionally, the Hessian diagonal {@code sum c_i l''(m_i) z_ij^2}
 * (the Jacobi preconditioner, at no extra cost since the margins are at hand), plus optionally a
 * {@link CurvatureAggregator} on a row sample fed from the same pass: loss, gradient and curvature
 * at the same point in one Spark job.
 *
 * <p>Sums are unnormalized; divide by {@link #weightSum()}.
 */
public final class ValueGradientAggregator implements BlockAggregator<ValueGradientAggregator> {
  private static final long serialVersionUID = 1L;

  private final Shared<double[]> coefficients;
  private final MarginLoss loss;
  private final boolean intercept;
  private final boolean withDiagonal;
  private final CurvatureAggregator fusedCurvature;

  private long count;
  private double weightSum;
  private double lossSum;
  private double[] gradient;
  private double[] diagonal;
  private transient double[] margins;
  private transient double[] scratch;

  /**
   * @param fusedCurvature curvature to accumulate in the same pass, at the same coefficients;
   *     null for none
   */
  public ValueGradientAggregator(
      Shared<double[]> coefficients, MarginLoss loss, boolean intercept, boolean withDiagonal,
      CurvatureAggregator fusedCurvature) {
    this.coefficients = coefficients;
    this.loss = loss;
    this.intercept = intercept;
    this.withDiagonal = withDiagonal;
    this.fusedCurvature = fusedCurvature;
  }

  @Override
  public ValueGradientAggregator add(RowBlock block) {
    int n = block.numRows();
    if (n == 0) {
      return this;
    }
    double[] w = coefficients.get();
    if (gradient == null) {
      gradient = new double[w.length];
      diagonal = withDiagonal ? new double[w.length] : null;
    }
    if (margins == null || margins.length < n) {
      margins = new double[n];
      scratch = new double[n];
    }
    block.multiply(w, intercept, margins);
    double localLoss = 0.0;
    double localWeight = 0.0;
    for (int i = 0; i < n; i++) {
      double c = block.weight(i);
      double m = margins[i];
      double y = block.label(i);
      localLoss += c * loss.loss(m, y);
      localWeight += c;
      scratch[i] = c * loss.derivative(m, y);
    }
    block.addTransposeTimes(scratch, intercept, gradient);
    if (withDiagonal) {
      for (int i = 0; i < n; i++) {
        scratch[i] = block.weight(i) * loss.curvature(margins[i], block.label(i));
      }
      block.addWeightedSquares(scratch, intercept, diagonal);
    }
    lossSum += localLoss;
    weightSum += localWeight;
    count += n;
    if (fusedCurvature != null) {
      fusedCurvature.add(block);
    }
    return this;
  }

  @Override
  public ValueGradientAggregator merge(ValueGradientAggregator other) {
    if (other.gradient != null) {
      if (gradient == null) {
        gradient = other.gradient.clone();
        diagonal = other.diagonal == null ? null : other.diagonal.clone();
      } else {
        for (int j = 0; j < gradient.length; j++) {
          gradient[j] += other.gradient[j];
        }
        if (diagonal != null) {
          for (int j = 0; j < diagonal.length; j++) {
            diagonal[j] += other.diagonal[j];
          }
        }
      }
    }
    count += other.count;
    weightSum += other.weightSum;
    lossSum += other.lossSum;
    if (fusedCurvature != null) {
      fusedCurvature.merge(other.fusedCurvature);
    }
    return this;
  }

  /** Number of rows seen. */
  public long count() {
    return count;
  }

  /** {@code sum c_i}. */
  public double weightSum() {
    return weightSum;
  }

  /** {@code sum c_i l(m_i)}. */
  public double lossSum() {
    return lossSum;
  }

  /** {@code sum c_i l'(m_i) z_i}; zeros of length {@code dimension} when no row was seen. */
  public double[] gradientSum(int dimension) {
    return gradient == null ? new double[dimension] : gradient;
  }

  /** {@code sum c_i l''(m_i) z_ij^2}, when requested. */
  public Optional<double[]> diagonalSum(int dimension) {
    if (!withDiagonal) {
      return Optional.empty();
    }
    return Optional.of(diagonal == null ? new double[dimension] : diagonal);
  }

  /** The curvature accumulated in the same pass, when one was requested. */
  public Optional<CurvatureAggregator> fusedCurvature() {
    return Optional.ofNullable(fusedCurvature);
  }
}
