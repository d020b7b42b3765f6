package dev.sparknewton

import de.bwaldvogel.liblinear.{Feature, FeatureNode, Linear, Parameter, Problem, SolverType}

/**
 * The independent reference optimum: LIBLINEAR's Java port (de.bwaldvogel:liblinear 2.44),
 * `Linear.train(problem, new Parameter(SolverType.L2R_LR, C, eps))`, which minimizes
 * `0.5 ||w||^2 + C sum_i log(1 + exp(-y_i w.x_i))`: with unit weights and `C = 1 / (n lambda)`
 * that is our objective times `n C`, so both have the same minimizer.
 */
object LiblinearReference {

  /** One row: 0-based feature indices, values, label 0/1. */
  final case class Row(indices: Array[Int], values: Array[Double], label: Double)

  /** LIBLINEAR's coefficients (intercept last when `intercept`), scoring label 1. */
  def optimum(rows: Seq[Row], d: Int, lambda: Double, intercept: Boolean, eps: Double = 1e-12): Array[Double] = {
    Linear.setDebugOutput(null)
    val n = rows.size
    val problem = new Problem()
    problem.l = n
    problem.n = if (intercept) d + 1 else d
    problem.bias = if (intercept) 1.0 else -1.0
    problem.y = rows.map(r => if (r.label > 0.5) 1.0 else -1.0).toArray
    problem.x = rows.map { r =>
      val features = r.indices.indices.map(k => new FeatureNode(r.indices(k) + 1, r.values(k)): Feature)
      (if (intercept) features :+ (new FeatureNode(d + 1, 1.0): Feature) else features).toArray
    }.toArray
    val param = new Parameter(SolverType.L2R_LR, 1.0 / (n * lambda), eps)
    if (intercept) param.setRegularizeBias(false)
    val model = Linear.train(problem, param)
    val w = model.getFeatureWeights().clone()
    // LIBLINEAR's w scores its first label; make it score label +1.
    if (model.getLabels()(0) != 1) w.indices.foreach(j => w(j) = -w(j))
    w
  }
}
