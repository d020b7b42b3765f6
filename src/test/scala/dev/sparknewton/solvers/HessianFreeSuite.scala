package dev.sparknewton.solvers

import dev.sparknewton.linalg.{Cholesky, ColumnMatrix, Vectors}
import dev.sparknewton.data.RowSample
import dev.sparknewton.objective.{CurvatureOperator, Evaluation, EvaluationRequest, SecondOrderObjective}
import org.scalatest.funsuite.AnyFunSuite
import scala.collection.mutable.ArrayBuffer
import scala.jdk.CollectionConverters._
import scala.util.Random

/** Hessian-free (Martens 2010) on objectives given by formulas: each of its rules in isolation, then the whole. */
class HessianFreeSuite extends AnyFunSuite {
  import HessianFreeSuite._

  private def hessianFree(config: HessianFreeConfig => HessianFreeConfig = identity) =
    new HessianFree(config(HessianFreeConfig.defaults()))

  private def run(solver: Solver, f: DenseTestObjective, w0: Array[Double]): IndexedSeq[SolverState] =
    solver.iterations(f, w0).asScala.toIndexedSeq

  private def maxAbsDiff(x: Array[Double], y: Array[Double]): Double =
    x.indices.map(i => math.abs(x(i) - y(i))).max

  private def relDiff(x: Array[Double], y: Array[Double]): Double =
    Vectors.norm(Vectors.plus(x, -1.0, y)) / Vectors.norm(y)

  test("Martens' relative-progress stop: i > k, phi_i < 0 and (phi_i - phi_{i-k}) / phi_i < k eps, k = max(10, ceil(i / 10))") {
    def stops(phi: Seq[Double], i: Int) = HessianFreeCg.relativeProgressStop(phi.toArray, i)
    val flat = 0.0 +: Seq.fill(11)(-1.0)
    assert(!stops(flat, 10), "i = 10 is not > k = 10")
    assert(stops(flat, 11), "no progress at all over the last 10 iterations")
    assert(!stops(Seq.fill(12)(0.0), 11) && !stops(Seq.fill(12)(1.0), 11), "phi_i >= 0 never stops")
    // At i = 11 only phi_1 and phi_11 count: (phi_11 - phi_1) / phi_11 = 1 + phi_1 against 10 eps = 5e-3.
    def at11(phi1: Double) = stops(Seq(0.0, phi1) ++ Seq.fill(9)(-0.999) :+ -1.0, 11)
    assert(at11(-0.996) && !at11(-0.994))
    // At i = 101 the window is ceil(10.1) = 11: phi_90 gives 0.0053 < 11 eps = 0.0055 (stop); a
    // window of 10 would compare phi_91, 0.0052 >= 10 eps = 0.005 (no stop). At i = 100 (window
    // 10) phi_90 gives 1 - 0.9947 / 0.9998 = 0.0051 >= 0.005: no earlier stop. phi decreases.
    val phi = Array.tabulate(102) { i =>
      if (i <= 90) -0.9947 * i / 90
      else if (i <= 100) -0.9948 - 0.005 * (i - 91) / 9
      else -1.0
    }
    assert(phi.sliding(2).forall(p => p(1) < p(0)))
    assert(stops(phi, 101))
    assert(!stops(phi, 100))
  }

  test("the iterates kept for backtracking are those at ceil(1.3^j): 1, 2, 3, 4, 5, 7, 9, 11, 14, ...") {
    // ceil(13^j / 10^j) in exact rational arithmetic (Python's fractions.Fraction), duplicates dropped.
    val expected = Seq(1, 2, 3, 4, 5, 7, 9, 11, 14, 18, 24, 31, 40, 52, 67, 87, 113, 147, 191, 248)
    assert(Iterator.iterate(0)(HessianFreeCg.nextStoredIteration).slice(1, expected.size + 1).toSeq == expected)
  }

  test("inside CG the stop fires where it must: 3 distinct eigenvalues, exact after 3 iterations, so at 3 + 10") {
    val n = 30
    val rnd = new Random(3)
    val a = rotated(Array.tabulate(n)(i => Seq(1.0, 10.0, 100.0)(i % 3)), rnd)
    val g = Array.fill(n)(rnd.nextGaussian())
    val op = new RecordingOperator(a)
    val cg = HessianFreeCg.solve(op, g, DiagonalPreconditioner.identity(n), new Array[Double](n), 250)
    assert(cg.exit() == CgResult.Exit.RELATIVE_PROGRESS && cg.iterations() == 13, s"${cg.exit()} ${cg.iterations()}")
    assert(cg.products() == 13 && op.log.size == 13, "no product for a zero start")
    assert(cg.storedAt().toSeq == Seq(1, 2, 3, 4, 5, 7, 9, 11, 13), "ceil(1.3^j) up to 11, and the last")
    // phi* = -g' A^-1 g / 2 by a dense solve; phi_1 and phi_2 (compared at i = 11, 12) are far from it.
    val solution = Cholesky.factor(a).get().solve(Vectors.times(-1.0, g))
    val phiStar = 0.5 * Vectors.dot(g, solution)
    val model = cg.dampedModel()
    assert(math.abs(model.last - phiStar) < 1e-12 * math.abs(phiStar))
    assert((phiStar - model(0)) / phiStar > 10 * HessianFreeConfig.PROGRESS_EPSILON)
    assert((phiStar - model(1)) / phiStar > 10 * HessianFreeConfig.PROGRESS_EPSILON)
    assert(relDiff(cg.last(), solution) < 1e-10)
    // Every kept iterate's tracked model value is phi(x) = x'Ax/2 + g'x.
    for (c <- 0 until cg.iterates().cols()) {
      val x = cg.iterates().column(c)
      val direct = 0.5 * Vectors.dot(x, a.multiply(x)) + Vectors.dot(g, x)
      assert(math.abs(model(c) - direct) < 1e-10 * math.abs(direct), s"column $c")
    }
  }

  test("CG backtracking: from the last kept iterate, step back while the previous one has a lower loss") {
    val nan = Double.NaN
    assert(HessianFree.backtrack(Array(5.0, 4.0, 3.0)) == 2, "the last is best")
    assert(HessianFree.backtrack(Array(1.0, 2.0, 3.0)) == 0, "the first is best")
    assert(HessianFree.backtrack(Array(1.0, 3.0, 2.0, 4.0)) == 2, "the first local minimum from the end, not the global one")
    assert(HessianFree.backtrack(Array(2.0, 2.0)) == 1, "an equal loss is not lower")
    assert(HessianFree.backtrack(Array(1.0, nan)) == 0 && HessianFree.backtrack(Array(nan, 1.0)) == 1, "NaN is +infinity")
    assert(HessianFree.backtrack(Array(7.0)) == 0)
  }

  test("the Levenberg-Marquardt rule: rho < 1/4 raises lambda by 3/2, rho > 3/4 lowers it by 2/3, within bounds") {
    def next(lambda: Double, rho: Double) = LevenbergMarquardtRule.next(lambda, rho, 1e-3, 1e3)
    assert(next(2.0, 0.1) == 3.0 && next(2.0, -5.0) == 3.0 && next(2.0, Double.NegativeInfinity) == 3.0)
    assert(next(2.0, Double.NaN) == 3.0, "a NaN ratio is not trusted")
    assert(next(2.0, 0.25) == 2.0 && next(2.0, 0.5) == 2.0 && next(2.0, 0.75) == 2.0)
    assert(next(2.0, 0.9) == 2.0 * 2.0 / 3.0 && next(2.0, 7.0) == 2.0 * 2.0 / 3.0)
    assert(next(900.0, 0.1) == 1e3 && next(1.2e-3, 0.9) == 1e-3, "clamped")
  }

  test("warm start: CG's first residual is b - A x0, and a start at 0.95 of the solution saves iterations") {
    val n = 60
    val rnd = new Random(5)
    val a = rotated(Array.tabulate(n)(i => math.pow(10.0, -3.0 * i / (n - 1))), rnd)
    val g = Array.fill(n)(rnd.nextGaussian())
    val identity = DiagonalPreconditioner.identity(n)
    val cold = HessianFreeCg.solve(new RecordingOperator(a), g, identity, new Array[Double](n), 250)
    val x0 = Vectors.times(0.95, cold.last())
    val op = new RecordingOperator(a)
    val warm = HessianFreeCg.solve(op, g, identity, x0, 250)
    assert(maxAbsDiff(op.log(0), x0) == 0.0, "the first product is A x0")
    // With M = I the first search direction is r0 = b - A x0, b = -g.
    val r0 = Vectors.plus(Vectors.times(-1.0, g), -1.0, a.multiply(x0))
    assert(relDiff(op.log(1), r0) < 1e-13)
    assert(warm.products() == warm.iterations() + 1 && cold.products() == cold.iterations())
    assert(cold.iterations() > 20 && warm.iterations() < cold.iterations(), s"${warm.iterations()} vs ${cold.iterations()}")
  }

  test("the solver warm-starts CG from 0.95 times the previous final CG iterate, not the backtracked one") {
    // The curvature the solver sees is A / 10: CG's solution is ten times the Newton step, so the
    // losses of the later iterates rise and backtracking picks an earlier one. With n = 5 and at
    // most 5 CG iterations, CG is exact at its final iterate: it solves (A / 10 + lambda I) x = -g.
    val p = new OverlongCurvature
    val f = new FisherQuadratic(p.a, p.b, curvatureScale = 0.1)
    val states = run(hessianFree(_.withMaxIter(2).withMaxCgIterations(5).withDamping(p.lambda, 1e-10, 1e10)), f,
      new Array[Double](5))
    assert(states.size == 3 && states(1).stepSize() > 0.0, states.map(_.detail()).mkString("; "))
    val finalIterate = p.finalIterate
    val backtrackedTo = "backtracked to (\\d+)".r.findFirstMatchIn(states(1).detail()).get.group(1).toInt
    assert(backtrackedTo < 5, states(1).detail())
    val secondStart = f.hessianVectorLog.find(_._1 == 2).get._2
    assert(relDiff(secondStart, Vectors.times(0.95, finalIterate)) < 1e-9)
  }

  test("with samples held on the driver, backtracking ranks the kept iterates on a sample independent of the curvature's (no all-rows pass) and rho takes f(theta + d) from the line search's full step") {
    // The setup of the warm-start test: on all rows backtracking picks an iterate before the 5th.
    // The "sample" here values a point by CG's own damped model, which falls along CG's iterates,
    // so sample backtracking must keep the final (5th) iterate; rho and the step then come from
    // the true f at that iterate, evaluated once, with the next iteration's gradient.
    val p = new OverlongCurvature
    val (a, b, lambda) = (p.a, p.b, p.lambda)
    val inner = new FisherQuadratic(a, b, curvatureScale = 0.1)
    val f = new DriverHeldSample(inner,
      x => 0.05 * Vectors.dot(x, a.multiply(x)) + 0.5 * lambda * Vectors.dot(x, x) - Vectors.dot(b, x))
    val states = hessianFree(_.withMaxIter(1).withMaxCgIterations(5).withDamping(lambda, 1e-10, 1e10)
      .withHessianSampleFraction(0.1)).iterations(f, new Array[Double](5)).asScala.toIndexedSeq
    val detail = states(1).detail()
    assert(detail.contains("backtracked to 5 on a sample"), detail)
    assert(inner.offsetValuePasses == 0 && f.valueSamples.size == 1, detail)
    assert(f.productSamples.nonEmpty && f.productSamples.forall(_ == f.productSamples.head))
    val (ranking, products) = (f.valueSamples.head, f.productSamples.head)
    assert(ranking.fraction() == products.fraction() && ranking.seed() != products.seed(),
      s"ranking $ranking, products $products")
    // The curvature A / 10 makes the full step 10 times too long: it fails Armijo. Passes: the
    // start, the full step (value and gradient), one pass of shorter steps, the accepted point.
    assert(states(1).stepSize() < 1.0, detail)
    assert(inner.evaluations == 3 && inner.lineValuePasses == 1, detail)
    val d = p.finalIterate
    val predicted = -Vectors.dot(b, d) + 0.05 * Vectors.dot(d, a.multiply(d))
    val rho = (inner.valueAt(d) - inner.valueAt(new Array[Double](5))) / predicted
    assert(detail.contains(f"rho ${rho}%.3g"), s"$detail; expected rho $rho")
    assert(relDiff(states(1).point(), Vectors.times(states(1).stepSize(), d)) < 1e-9, detail)
  }

  test("rho uses the undamped model: f = 0.6 x^2 - x, curvature 0, lambda 1 gives rho = 0.4 by hand, lambda kept") {
    // From x = 0: g = -1, CG on (0 + 1) d = 1 gives d = 1; f(1) - f(0) = -0.4; the undamped model
    // predicts g d + 0 = -1, so rho = 0.4, in [1/4, 3/4]: lambda stays 1. The damped model would
    // predict g d + d^2 / 2 = -0.5, rho = 0.8 > 3/4, and lambda would fall to 2/3.
    val f = new ScalarQuadratic(a = 1.2, b = 1.0, curvature = 0.0)
    val states = run(hessianFree(_.withMaxIter(2)), f, Array(0.0))
    assert(states(1).damping().get() == 1.0 && math.abs(states(1).point()(0) - 1.0) < 1e-12)
    assert(states(1).detail().contains("rho 0.400"), states(1).detail())
    assert(states(2).damping().get() == 1.0, s"lambda moved: ${states(2).damping()}")
  }

  test("HF reaches the minimizer of a quadratic (n = 30, condition 1e3) to 1e-8; per iteration 1 evaluation, the CG products, 1 valuesAt, at most 1 valuesAlong") {
    val n = 30
    val rnd = new Random(11)
    val a = rotated(Array.tabulate(n)(i => math.pow(10.0, -3.0 * i / (n - 1))), rnd)
    // b = A x* for a random x*: |f*| is of order 1, so f resolves the last steps.
    val f = new FisherQuadratic(a, a.multiply(Array.fill(n)(rnd.nextGaussian())))
    val it = hessianFree(_.withTol(1e-12).withMaxIter(200)).iterations(f, new Array[Double](n))
    val states = ArrayBuffer(it.next())
    assert(f.evaluations == 1 && f.passes == 1)
    while (it.hasNext) {
      val (e, o, l, h) = (f.evaluations, f.offsetValuePasses, f.lineValuePasses, f.hessianPasses)
      val s = it.next()
      states += s
      val warmStartProduct = if (s.iteration() > 1) 1 else 0
      // A run that ends at the precision of f ends without evaluating a next point.
      val evaluated = if (s.termination().filter(_ == Termination.CONVERGED_AT_PRECISION).isPresent) 0 else 1
      assert(f.evaluations - e == evaluated && f.offsetValuePasses - o == 1 && f.lineValuePasses - l <= 1,
        s"iteration ${s.iteration()}: ${s.detail()}")
      assert(f.hessianPasses - h == s.innerIterations() + warmStartProduct, s"iteration ${s.iteration()}")
    }
    // The first CG direction is -M^-1 g with Martens' M = (F + lambda)^0.75, F = diag(A), lambda = 1.
    val g0 = Vectors.times(-1.0, f.b)
    val expected = Array.tabulate(n)(j => -g0(j) / math.pow(a.get(j, j) + 1.0, 0.75))
    assert(relDiff(f.hessianVectorLog.head._2, expected) < 1e-14)
    assert(HessianFree.preconditionerDiagonal(Array(0.0, 1.0, 15.0), 1.0).toSeq ==
      Seq(1.0, math.pow(2.0, 0.75), 8.0))
    val last = states.last
    assert(last.termination().get().converged(), s"${last.termination()} ${last.detail()}")
    val minimizer = Cholesky.factor(a).get().solve(f.b)
    assert(maxAbsDiff(last.point(), minimizer) < 1e-8)
    // With the exact curvature f(theta + d) - f(theta) = q(d) - q(0): rho = 1 and lambda falls by 2/3.
    for (k <- 1 to 10) {
      assert(math.abs(states(k + 1).damping().get() / states(k).damping().get() - 2.0 / 3.0) < 1e-12, s"$k")
      assert(states(k).detail().contains("rho 1.00"), states(k).detail())
    }
  }

  test("with a sampled gradient, f(theta) for backtracking, rho and Armijo comes from the all-rows backtracking pass") {
    // The "sample" values here are the full ones plus 100 (the test objective has no rows): the
    // run must be the one on all rows, point for point, with its states reporting the sample's value.
    // The curvature is 0.3 A, so full steps overshoot and the line search and rho have work to do.
    val rnd = new Random(13)
    val a = rotated(Array.tabulate(8)(i => math.pow(10.0, -i / 3.0)), rnd)
    val b = a.multiply(Array.fill(8)(rnd.nextGaussian()))
    val plain = new FisherQuadratic(a, b, curvatureScale = 0.3)
    val offset = new FisherQuadratic(a, b, curvatureScale = 0.3)
    val full = run(hessianFree(_.withMaxIter(15)), plain, new Array[Double](8))
    val sampled = hessianFree(_.withMaxIter(15).withGradientSampleFraction(0.5))
      .iterations(new SampleValueOffset(offset, 100.0), new Array[Double](8)).asScala.toIndexedSeq
    assert(sampled.size == full.size && full.size > 5)
    assert(full.exists(s => s.stepSize() > 0.0 && s.stepSize() < 1.0), "some full steps fail Armijo")
    for (k <- full.indices) {
      assert(sampled(k).point().sameElements(full(k).point()), s"iteration $k")
      assert(sampled(k).value() == full(k).value() + 100.0)
    }
    assert(offset.offsetValuePasses == plain.offsetValuePasses, "f(theta) rides in the backtracking pass")
  }

  test("a step no Armijo step accepts is not taken: lambda grows by 3/2, CG restarts from 0, and after 5 in a row LINE_SEARCH_FAILED") {
    // The gradient has the wrong sign: every step along the CG direction raises f.
    val f = new FisherQuadratic(ColumnMatrix.identity(3), new Array[Double](3)) {
      override def gradientAt(x: Array[Double]): Array[Double] = Vectors.times(-1.0, x)
    }
    val w0 = Array(1.0, 1.0, 1.0)
    val states = run(hessianFree(), f, w0)
    assert(states.size == 6)
    assert(states.last.termination().get() == Termination.LINE_SEARCH_FAILED)
    for (k <- 1 to 5) {
      assert(states(k).stepSize() == 0.0 && states(k).point().sameElements(w0))
      assert(math.abs(states(k).damping().get() - math.pow(1.5, k - 1)) < 1e-12)
    }
    assert(states(1).detail().contains("no step, lambda raised to 1.50"), states(1).detail())
    assert(f.evaluations == 1, "the same evaluation serves every retry")
    assert(f.hessianPasses == states.map(_.innerIterations()).sum, "no warm-start product: CG restarts from 0")
  }

  test("non-finite values end the run with NON_FINITE at the last finite point") {
    val w0 = Array(1.0, -1.0)
    val f = new FisherQuadratic(ColumnMatrix.identity(2), new Array[Double](2)) {
      override def valueAt(x: Array[Double]): Double = if (x.sameElements(w0)) super.valueAt(x) else Double.NaN
    }
    val last = hessianFree().minimize(f, w0)
    assert(last.termination().get() == Termination.NON_FINITE && last.point().sameElements(w0))
  }

  test("configuration: one-line errors naming the key") {
    val d = HessianFreeConfig.defaults()
    for ((make, key) <- Seq[(() => Any, String)](
      (() => d.withDamping(1.0, 0.0, 1.0), "solver.minDamping"),
      (() => d.withDamping(1.0, 1e-3, 1e-4), "solver.maxDamping"),
      (() => d.withDamping(10.0, 1e-3, 1.0), "solver.initialDamping"),
      (() => d.withGradientSampleFraction(0.0), "solver.gradientSampleFraction"),
      (() => d.withMaxCgIterations(0), "solver.maxCgIterations"))) {
      val message = intercept[IllegalArgumentException](make()).getMessage
      assert(message.startsWith(key) && !message.contains("\n"), message)
    }
  }
}

object HessianFreeSuite {
  /** `Q diag(eigenvalues) Q` with `Q` a random Householder reflector: symmetric, dense, those eigenvalues. */
  def rotated(eigenvalues: Array[Double], rnd: Random): ColumnMatrix = {
    val n = eigenvalues.length
    val v = Array.fill(n)(rnd.nextGaussian())
    val s = 2.0 / Vectors.dot(v, v)
    val q = ColumnMatrix.identity(n)
    for (i <- 0 until n; j <- 0 until n) q.set(i, j, q.get(i, j) - s * v(i) * v(j))
    val a = ColumnMatrix.zeros(n, n)
    for (i <- 0 until n; j <- 0 until n) {
      a.set(i, j, (0 until n).map(k => q.get(i, k) * eigenvalues(k) * q.get(k, j)).sum)
    }
    a
  }

  /**
   * `f(x) = x'Ax / 2 - b'x` whose curvature operator is `curvatureScale A`; it has no rows, and
   * its empirical Fisher diagonal is taken to be `diag(A)`, what a least-squares problem with
   * residuals of order 1 would give.
   */
  class FisherQuadratic(matrix: ColumnMatrix, rhs: Array[Double], curvatureScale: Double = 1.0)
      extends QuadraticObjective(matrix, rhs) {
    override def hessianAt(x: Array[Double]): ColumnMatrix = {
      val h = a.copy()
      Vectors.scale(curvatureScale, h.data())
      h
    }
    override def squaresAt(x: Array[Double]): Array[Double] = Array.tabulate(b.length)(j => a.get(j, j))
  }

  /** `f(x) = a x^2 / 2 - b x` in one dimension with a curvature operator of `curvature`, not `a`. */
  class ScalarQuadratic(a: Double, b: Double, curvature: Double) extends DenseTestObjective(1) {
    override def valueAt(x: Array[Double]): Double = 0.5 * a * x(0) * x(0) - b * x(0)
    override def gradientAt(x: Array[Double]): Array[Double] = Array(a * x(0) - b)
    override def hessianAt(x: Array[Double]): ColumnMatrix = new ColumnMatrix(1, 1, Array(curvature))
    override def squaresAt(x: Array[Double]): Array[Double] = gradientAt(x).map(t => t * t)
  }

  /** `inner`, whose evaluations on a row sample report their value plus `offset`. */
  final class SampleValueOffset(inner: DenseTestObjective, offset: Double) extends SecondOrderObjective {
    override def dimension(): Int = inner.dimension()
    override def evaluate(w: Array[Double], request: EvaluationRequest): Evaluation = {
      val e = inner.evaluate(w, request)
      if (request.gradientSample().isAll) e else new Evaluation {
        override def point(): Array[Double] = e.point()
        override def value(): Double = e.value() + offset
        override def gradient(): Array[Double] = e.gradient()
        override def hessianDiagonal(): java.util.Optional[Array[Double]] = e.hessianDiagonal()
        override def gradientSquares(): java.util.Optional[Array[Double]] = e.gradientSquares()
        override def curvature(sample: RowSample): CurvatureOperator = e.curvature(sample)
        override def valuesAlong(direction: Array[Double], steps: Array[Double]): Array[Double] =
          e.valuesAlong(direction, steps)
        override def valuesAt(offsets: ColumnMatrix): Array[Double] = e.valuesAt(offsets)
      }
    }
  }

  /**
   * `inner` with its curvature held on the driver: products cost no pass, and the sample's values
   * at `x + d_j` are `sampleValue(x + d_j)`. Records the samples products and values were asked on.
   */
  final class DriverHeldSample(inner: DenseTestObjective, sampleValue: Array[Double] => Double)
      extends SecondOrderObjective {
    val productSamples = ArrayBuffer.empty[RowSample]
    val valueSamples = ArrayBuffer.empty[RowSample]
    override def dimension(): Int = inner.dimension()
    override def evaluate(w: Array[Double], request: EvaluationRequest): Evaluation = {
      val e = inner.evaluate(w, request)
      new Evaluation {
        override def point(): Array[Double] = e.point()
        override def value(): Double = e.value()
        override def gradient(): Array[Double] = e.gradient()
        override def hessianDiagonal(): java.util.Optional[Array[Double]] = e.hessianDiagonal()
        override def gradientSquares(): java.util.Optional[Array[Double]] = e.gradientSquares()
        override def curvature(sample: RowSample): CurvatureOperator = {
          val c = e.curvature(sample)
          new CurvatureOperator {
            override def dimension(): Int = c.dimension()
            override def hessianVectorProduct(v: Array[Double]): Array[Double] = {
              productSamples += sample
              c.hessianVectorProduct(v)
            }
            override def hessianBlockProduct(v: ColumnMatrix): ColumnMatrix = {
              productSamples += sample
              c.hessianBlockProduct(v)
            }
            override def denseHessian(): ColumnMatrix = c.denseHessian()
            override def productsArePasses(): Boolean = false
            override def sampleValuesAt(offsets: ColumnMatrix): java.util.Optional[Array[Double]] = {
              valueSamples += sample
              java.util.Optional.of(Array.tabulate(offsets.cols())(j =>
                sampleValue(Vectors.plus(e.point(), 1.0, offsets.column(j)))))
            }
          }
        }
        override def valuesAlong(direction: Array[Double], steps: Array[Double]): Array[Double] =
          e.valuesAlong(direction, steps)
        override def valuesAt(offsets: ColumnMatrix): Array[Double] = e.valuesAt(offsets)
      }
    }
  }

  /**
   * The problem of the warm-start and sample-backtracking tests: `f = x'Ax / 2 - b'x` (n = 5,
   * eigenvalues 1..16) whose curvature operator is `A / 10`, so that CG's steps are ten times too
   * long; with `lambda = 1e-3` and 5 CG iterations from 0, CG ends exactly at
   * `finalIterate = (A / 10 + lambda I)^-1 b`.
   */
  final class OverlongCurvature {
    private val rnd = new Random(7)
    val a: ColumnMatrix = rotated(Array(1.0, 2.0, 4.0, 8.0, 16.0), rnd)
    val b: Array[Double] = Array.fill(5)(rnd.nextGaussian())
    val lambda = 1e-3
    val finalIterate: Array[Double] = {
      val shifted = a.copy()
      Vectors.scale(0.1, shifted.data())
      shifted.addToDiagonal(lambda)
      Cholesky.factor(shifted).get().solve(b)
    }
  }

  /** A dense matrix as an operator that logs every vector it multiplies. */
  final class RecordingOperator(a: ColumnMatrix) extends CurvatureOperator {
    val log = ArrayBuffer.empty[Array[Double]]
    override def dimension(): Int = a.rows()
    override def hessianVectorProduct(v: Array[Double]): Array[Double] = { log += v.clone(); a.multiply(v) }
    override def hessianBlockProduct(v: ColumnMatrix): ColumnMatrix = throw new UnsupportedOperationException
    override def denseHessian(): ColumnMatrix = a.copy()
  }
}
