package dev.sparknewton

import dev.sparknewton.models.{LinearModel, LogisticLoss, OutputLoss}
import dev.sparknewton.objective.{BlockFold, L2Regularized, ModelObjective, SecondOrderObjective}

/** Objectives of the linear models over a fold, as the training code builds them. */
object TestModels {

  /** The data term of a linear model with `loss` of `d` features over `fold`. */
  def objective(loss: OutputLoss, d: Int, intercept: Boolean, fold: BlockFold,
      driverCurvatureBytes: Long = 0L, curvatureCacheBytes: Long = 0L): ModelObjective =
    new ModelObjective(new LinearModel(d, intercept, loss), fold, driverCurvatureBytes,
      curvatureCacheBytes)

  /** The binary logistic data term. */
  def logistic(d: Int, intercept: Boolean, fold: BlockFold, driverCurvatureBytes: Long = 0L,
      curvatureCacheBytes: Long = 0L): ModelObjective =
    objective(LogisticLoss.INSTANCE, d, intercept, fold, driverCurvatureBytes, curvatureCacheBytes)

  /** `inner` plus `(lambda / 2)` times the squared norm of the model's penalized coordinates. */
  def regularized(inner: ModelObjective, lambda: Double): SecondOrderObjective =
    new L2Regularized(inner, lambda, inner.model().penalized())
}
