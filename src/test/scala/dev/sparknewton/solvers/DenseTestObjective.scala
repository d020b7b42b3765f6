package dev.sparknewton.solvers

import dev.sparknewton.data.RowSample
import dev.sparknewton.linalg.{ColumnMatrix, Vectors}
import dev.sparknewton.objective.{CurvatureOperator, Evaluation, EvaluationRequest, SecondOrderObjective}
import java.util.Optional

/**
 * A small objective given by formulas (value, gradient, dense Hessian) that counts what would be
 * passes over the data on a distributed objective: evaluations, `valuesAlong` calls, `valuesAt`
 * calls, and Hessian
 * products (a dense Hessian or a block product `H * V` fused into the evaluation request is free
 * when asked for with the same sample and, for `H * V`, the same `V` instance, as ModelObjective serves them).
 * The row sample is otherwise ignored: these objectives have no rows. Every Hessian-vector
 * product's vector is logged with the number of evaluations made before it.
 */
abstract class DenseTestObjective(n: Int) extends SecondOrderObjective {
  var evaluations = 0
  var lineValuePasses = 0
  var offsetValuePasses = 0
  var hessianPasses = 0
  val hessianVectorLog = scala.collection.mutable.ArrayBuffer.empty[(Int, Array[Double])]
  /** What the curvature operators say of their products (`CurvatureOperator.productsArePasses`). */
  var productsArePasses = true

  def passes: Int = evaluations + lineValuePasses + offsetValuePasses + hessianPasses

  def valueAt(x: Array[Double]): Double
  def gradientAt(x: Array[Double]): Array[Double]
  def hessianAt(x: Array[Double]): ColumnMatrix
  /** The empirical Fisher diagonal, for objectives that define one (rows or not). */
  def squaresAt(x: Array[Double]): Array[Double] =
    throw new UnsupportedOperationException(s"${getClass.getSimpleName} has no per-row gradients")

  override def dimension(): Int = n

  override def evaluate(w: Array[Double], request: EvaluationRequest): Evaluation = {
    require(w.length == n, s"point has ${w.length} entries, expected $n")
    evaluations += 1
    new PointEvaluation(w.clone(), request)
  }

  private final class PointEvaluation(x: Array[Double], request: EvaluationRequest) extends Evaluation {
    private val f = valueAt(x)
    private val g = gradientAt(x)
    private lazy val h = hessianAt(x)

    override def point(): Array[Double] = x
    override def value(): Double = f
    override def gradient(): Array[Double] = g

    override def hessianDiagonal(): Optional[Array[Double]] =
      if (request.diagonal()) Optional.of(Array.tabulate(n)(j => h.get(j, j))) else Optional.empty()

    /** `squaresAt(x)` when asked for; a test objective without rows has no other definition. */
    override def gradientSquares(): Optional[Array[Double]] =
      if (request.gradientSquares()) Optional.of(squaresAt(x)) else Optional.empty()

    override def curvature(sample: RowSample): CurvatureOperator = new CurvatureOperator {
      override def dimension(): Int = n
      override def productsArePasses(): Boolean = DenseTestObjective.this.productsArePasses
      override def hessianVectorProduct(v: Array[Double]): Array[Double] = {
        hessianPasses += 1
        hessianVectorLog += ((evaluations, v.clone()))
        h.multiply(v)
      }
      override def hessianBlockProduct(v: ColumnMatrix): ColumnMatrix = {
        val fused = request.blockDirections().filter(_ eq v).isPresent &&
          request.blockSample().filter(s => s == sample).isPresent
        if (!fused) hessianPasses += 1
        ColumnMatrix.ofColumns((0 until v.cols()).map(c => h.multiply(v.column(c))): _*)
      }
      override def denseHessian(): ColumnMatrix = {
        if (!request.denseHessianSample().filter(s => s == sample).isPresent) hessianPasses += 1
        h.copy()
      }
    }

    override def valuesAlong(direction: Array[Double], steps: Array[Double]): Array[Double] = {
      lineValuePasses += 1
      steps.map(a => valueAt(Vectors.plus(x, a, direction)))
    }

    override def valuesAt(offsets: ColumnMatrix): Array[Double] = {
      offsetValuePasses += 1
      Array.tabulate(offsets.cols())(c => valueAt(Vectors.plus(x, 1.0, offsets.column(c))))
    }
  }
}

/** `f(x) = x'Ax / 2 - b'x`, minimized at `A^-1 b` when A is positive definite. */
class QuadraticObjective(val a: ColumnMatrix, val b: Array[Double]) extends DenseTestObjective(b.length) {
  override def valueAt(x: Array[Double]): Double = 0.5 * Vectors.dot(x, a.multiply(x)) - Vectors.dot(b, x)
  override def gradientAt(x: Array[Double]): Array[Double] = Vectors.plus(a.multiply(x), -1.0, b)
  override def hessianAt(x: Array[Double]): ColumnMatrix = a.copy()
}

/**
 * The extended Rosenbrock function (More, Garbow, Hillstrom 1981, problem 21), n even:
 * `f(x) = sum_i 100 (x_{2i} - x_{2i-1}^2)^2 + (1 - x_{2i-1})^2`, minimized at all ones; n = 2 is
 * the classic Rosenbrock function.
 */
class RosenbrockObjective(n: Int) extends DenseTestObjective(n) {
  require(n % 2 == 0)
  override def valueAt(x: Array[Double]): Double =
    (0 until n by 2).map { i =>
      val u = x(i + 1) - x(i) * x(i); val v = 1 - x(i)
      100 * u * u + v * v
    }.sum
  override def gradientAt(x: Array[Double]): Array[Double] = {
    val g = new Array[Double](n)
    for (i <- 0 until n by 2) {
      val u = x(i + 1) - x(i) * x(i)
      g(i) = -400 * x(i) * u - 2 * (1 - x(i))
      g(i + 1) = 200 * u
    }
    g
  }
  override def hessianAt(x: Array[Double]): ColumnMatrix = {
    val h = ColumnMatrix.zeros(n, n)
    for (i <- 0 until n by 2) {
      h.set(i, i, 1200 * x(i) * x(i) - 400 * x(i + 1) + 2)
      h.set(i, i + 1, -400 * x(i)); h.set(i + 1, i, -400 * x(i))
      h.set(i + 1, i + 1, 200)
    }
    h
  }
}

/** `f(x) = sum_i x_i^4 / 4 - x_i^2 / 2`: negative curvature near 0, minima at every sign vector. */
class DoubleWellObjective(n: Int) extends DenseTestObjective(n) {
  override def valueAt(x: Array[Double]): Double = x.map(t => t * t * t * t / 4 - t * t / 2).sum
  override def gradientAt(x: Array[Double]): Array[Double] = x.map(t => t * t * t - t)
  override def hessianAt(x: Array[Double]): ColumnMatrix = {
    val h = ColumnMatrix.zeros(n, n)
    x.indices.foreach(i => h.set(i, i, 3 * x(i) * x(i) - 1))
    h
  }
}

object DenseTestObjective {
  /** A seeded random symmetric positive definite matrix `B'B / n + shift I`. */
  def randomSpd(n: Int, shift: Double, rnd: scala.util.Random): ColumnMatrix = {
    val b = Array.fill(n, n)(rnd.nextGaussian())
    val a = ColumnMatrix.zeros(n, n)
    for (i <- 0 until n; j <- 0 until n) {
      a.set(i, j, (0 until n).map(k => b(k)(i) * b(k)(j)).sum / n + (if (i == j) shift else 0.0))
    }
    a
  }
}
