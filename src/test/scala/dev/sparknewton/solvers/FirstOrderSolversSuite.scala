package dev.sparknewton.solvers

import dev.sparknewton.linalg.{ColumnMatrix, Vectors}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._

/** The first-order baselines on objectives given by formulas; on logistic regression in LogisticSolversSuite. */
class FirstOrderSolversSuite extends AnyFunSuite {

  private def quadratic = new QuadraticObjective(
    new ColumnMatrix(2, 2, Array(3.0, 1.0, 1.0, 2.0)), Array(1.0, -1.0))

  test("Adam's steps are Kingma and Ba's Algorithm 1, with the bias corrections") {
    val f = quadratic
    val (alpha, b1, b2, eps) = (0.1, 0.9, 0.999, 1e-8)
    val states = new Adam(AdamConfig.defaults().withLearningRate(alpha).withBatchFraction(1.0).withMaxIter(3))
      .iterations(f, Array(0.5, 0.5)).asScala.toIndexedSeq
    // Algorithm 1 written out for three steps.
    var x = Array(0.5, 0.5)
    var m = Array(0.0, 0.0)
    var v = Array(0.0, 0.0)
    for (t <- 1 to 3) {
      val g = f.gradientAt(x)
      m = Array.tabulate(2)(j => b1 * m(j) + (1 - b1) * g(j))
      v = Array.tabulate(2)(j => b2 * v(j) + (1 - b2) * g(j) * g(j))
      x = Array.tabulate(2)(j => x(j) - alpha * (m(j) / (1 - math.pow(b1, t))) / (math.sqrt(v(j) / (1 - math.pow(b2, t))) + eps))
      assert(Vectors.norm(Vectors.plus(states(t).point(), -1.0, x)) < 1e-15, s"step $t")
    }
    // The first step is alpha times the sign of -g: m_1 / sqrt(v_1) after correction is g / |g|.
    val g0 = f.gradientAt(Array(0.5, 0.5))
    assert(math.abs(states(1).point()(0) - (0.5 - alpha * math.signum(g0(0)))) < 1e-9)
    assert(states.last.termination().get() == Termination.MAX_ITERATIONS && states(1).stepSize() == alpha)
    assert(f.evaluations == 4 && f.passes == 4, "one evaluation a step")
  }

  test("Adam ignores gradient tests: at the minimizer it still runs maxIter steps") {
    val f = quadratic
    val minimizer = Array(0.6, -0.8) // A^-1 b for A = [[3, 1], [1, 2]], b = (1, -1)
    assert(Vectors.norm(f.gradientAt(minimizer)) < 1e-15)
    val states = new Adam(AdamConfig.defaults().withBatchFraction(1.0).withMaxIter(5))
      .iterations(f, minimizer).asScala.toIndexedSeq
    assert(states.size == 6 && states.last.termination().get() == Termination.MAX_ITERATIONS)
    assert(states.last.detail() == "mini-batch loss (all rows), epoch 5.000", states.last.detail())
  }

  test("gradient descent: the trial step starts at 1, backtracks, and the next trial is twice the accepted step") {
    // f = 3 x^2 / 2 from x = 1: the step 1 along -g lands at -2 (f grows), 1/2 lands at -0.5.
    val f = new QuadraticObjective(new ColumnMatrix(1, 1, Array(3.0)), Array(0.0))
    val states = new GradientDescent(GradientDescentConfig.defaults().withMaxIter(2))
      .iterations(f, Array(1.0)).asScala.toIndexedSeq
    assert(states(1).detail().startsWith("trial step 1.000e+00") && states(1).stepSize() == 0.5)
    assert(states(1).point()(0) == -0.5)
    assert(states(2).detail().startsWith("trial step 1.000e+00"), "2 * 0.5 * 1")
    assert(f.lineValuePasses == 2, "one backtracking pass for each rejected full step")
  }
}
