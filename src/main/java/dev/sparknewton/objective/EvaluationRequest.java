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
  private static final EvaluationRequest BASIC = new EvaluationRequest(false, null, null, null);

  private final boolean diagonal;
  private final RowSample denseHessianSample;
  private final ColumnMatrix blockDirections;
  private final RowSample blockSample;

  private EvaluationRequest(
      boolean diagonal, RowSample denseHessianSample, ColumnMatrix blockDirections,
      RowSample blockSample) {
    this.diagonal = diagonal;
    this.denseHessianSample = denseHessianSample;
    this.blockDirections = blockDirections;
    this.blockSample = blockSample;
  }

  /** Value and gradient only. */
  public static EvaluationRequest valueAndGradient() {
    return BASIC;
  }

  /** Also the diagonal of the full-data Hessian. */
  public EvaluationRequest withDiagonal() {
    return new EvaluationRequest(true, denseHessianSample, blockDirections, blockSample);
  }

  /**
   * Also the dense Hessian on {@code sample}; {@code evaluation.curvature(sample).denseHessian()}
   * then costs no pass.
   */
  public EvaluationRequest withDenseHessian(RowSample sample) {
    return new EvaluationRequest(diagonal, sample, blockDirections, blockSample);
  }

  /**
   * Also {@code H V} on {@code sample}; {@code evaluation.curvature(sample).hessianBlockProduct(v)}
   * with a {@code v} of the same entries then costs no pass. {@code v} is kept, not copied, and
   * must not be modified afterwards.
   */
  public EvaluationRequest withBlockProduct(ColumnMatrix v, RowSample sample) {
    return new EvaluationRequest(diagonal, denseHessianSample, v, sample);
  }

  public boolean diagonal() {
    return diagonal;
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
