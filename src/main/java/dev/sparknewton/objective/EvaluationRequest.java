package dev.sparknewton.objective;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;
import java.util.Optional;

/**
 * What an evaluation computes besides value and gradient, in the same pass over the data: the
 * Hessian diagonal, the dense (sub-sampled) Hessian, and a sub-sampled block product
 * {@code H Omega}, any combination of them. Immutable; the {@code with} methods return new
 * requests.
 */
public final class EvaluationRequest {
  private static final EvaluationRequest BASIC =
      new EvaluationRequest(false, false, RowSample.all(), null, null, null);

  private final boolean diagonal;
  private final boolean gradientSquares;
  private final RowSample gradientSample;
  private final RowSample denseHessianSample;
  private final ColumnMatrix blockDirections;
  private final RowSample blockSample;

  private EvaluationRequest(boolean diagonal, boolean gradientSquares, RowSample gradientSample,
      RowSample denseHessianSample, ColumnMatrix blockDirections, RowSample blockSample) {
    if (!gradientSample.isAll() && (diagonal || denseHessianSample != null
        || blockDirections != null)) {
      throw new IllegalArgumentException("a value and gradient on a row sample (" + gradientSample
          + ") computes no curvature in the same pass");
    }
    this.diagonal = diagonal;
    this.gradientSquares = gradientSquares;
    this.gradientSample = gradientSample;
    this.denseHessianSample = denseHessianSample;
    this.blockDirections = blockDirections;
    this.blockSample = blockSample;
  }

  /** Value and gradient only. */
  public static EvaluationRequest valueAndGradient() {
    return BASIC;
  }

  /** Also the diagonal of the full-data Hessian (for networks: of the Gauss-Newton matrix). */
  public EvaluationRequest withDiagonal() {
    return new EvaluationRequest(true, gradientSquares, gradientSample, denseHessianSample,
        blockDirections, blockSample);
  }

  /**
   * Also the empirical Fisher diagonal {@code (1 / sum c_i) sum_i c_i g_i^2} of the data term's
   * per-row gradients {@code g_i} (squared entrywise), over the same rows as the gradient.
   */
  public EvaluationRequest withGradientSquares() {
    return new EvaluationRequest(diagonal, true, gradientSample, denseHessianSample,
        blockDirections, blockSample);
  }

  /**
   * Value and gradient over the rows of {@code sample} only (a mini-batch), normalized by their
   * weight; such an evaluation computes no curvature in its own pass (its later curvature
   * products still run on the whole data or their own sample).
   */
  public EvaluationRequest onSample(RowSample sample) {
    return new EvaluationRequest(diagonal, gradientSquares, sample, denseHessianSample,
        blockDirections, blockSample);
  }

  /**
   * Also the dense Hessian on {@code sample}; {@code evaluation.curvature(sample).denseHessian()}
   * then costs no pass.
   */
  public EvaluationRequest withDenseHessian(RowSample sample) {
    return new EvaluationRequest(
        diagonal, gradientSquares, gradientSample, sample, blockDirections, blockSample);
  }

  /**
   * Also {@code H V} on {@code sample}; {@code evaluation.curvature(sample).hessianBlockProduct(v)}
   * with a {@code v} of the same entries then costs no pass. {@code v} is kept, not copied, and
   * must not be modified afterwards.
   */
  public EvaluationRequest withBlockProduct(ColumnMatrix v, RowSample sample) {
    return new EvaluationRequest(
        diagonal, gradientSquares, gradientSample, denseHessianSample, v, sample);
  }

  public boolean diagonal() {
    return diagonal;
  }

  public boolean gradientSquares() {
    return gradientSquares;
  }

  /** The rows value and gradient are computed over ({@link RowSample#all()} by default). */
  public RowSample gradientSample() {
    return gradientSample;
  }

  public Optional<RowSample> denseHessianSample() {
    return Optional.ofNullable(denseHessianSample);
  }

  public Optional<ColumnMatrix> blockDirections() {
    return Optional.ofNullable(blockDirections);
  }

  public Optional<RowSample> blockSample() {
    return Optional.ofNullable(blockSample);
  }
}
