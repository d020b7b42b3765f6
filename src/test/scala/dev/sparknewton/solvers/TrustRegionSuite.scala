package dev.sparknewton.solvers

import dev.sparknewton.linalg.{Cholesky, ColumnMatrix, Vectors}
import dev.sparknewton.objective.{CurvatureOperator, SecondOrderObjective}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/** Steihaug-Toint CG (`ConjugateGradient.solveWithin`) and trust-region Newton-CG. */
class TrustRegionSuite extends AnyFunSuite {

  private final class MatrixOperator(a: ColumnMatrix) extends CurvatureOperator {
    override def dimension(): Int = a.rows()
    override def hessianVectorProduct(v: Array[Double]): Array[Double] = a.multiply(v)
    override def hessianBlockProduct(v: ColumnMatrix): ColumnMatrix =
      ColumnMatrix.ofColumns((0 until v.cols()).map(c => a.multiply(v.column(c))): _*)
    override def denseHessian(): ColumnMatrix = a.copy()
  }

  private def diagonal(d: Array[Double]): ColumnMatrix = {
    val a = ColumnMatrix.zeros(d.length, d.length)
    d.indices.foreach(i => a.set(i, i, d(i)))
    a
  }

  /** `||s||_M` for `M = diag(m)`, computed directly. */
  private def mNorm(s: Array[Double], m: Array[Double]): Double =
    math.sqrt(s.indices.map(i => m(i) * s(i) * s(i)).sum)

  private def model(a: ColumnMatrix, g: Array[Double], s: Array[Double]): Double =
    Vectors.dot(g, s) + 0.5 * Vectors.dot(s, a.multiply(s))

  private val tight = new CgStoppingRule.ResidualForcing(1e-14)

  private def trustRegion(tol: Double = 1e-12): NewtonCg =
    new NewtonCg(NewtonCgConfig.defaults().withTol(tol)
      .withGlobalization(NewtonCgConfig.Globalization.TRUST_REGION))

  test("with M = H, a radius below the Newton step gives the closed-form solution -radius H^-1 g / ||H^-1 g||_H") {
    val rnd = new Random(301)
    val h = Array.fill(12)(0.5 + 10 * rnd.nextDouble())
    val g = Array.fill(12)(rnd.nextGaussian())
    val newton = g.indices.map(i => -g(i) / h(i)).toArray
    val newtonNorm = mNorm(newton, h)
    val m = DiagonalPreconditioner.fromHessianDiagonal(h)
    for (fraction <- Seq(0.1, 0.5, 0.9)) {
      val radius = fraction * newtonNorm
      val r = new ConjugateGradient(50).solveWithin(new MatrixOperator(diagonal(h)), g, m, tight, radius, Double.PositiveInfinity)
      assert(r.exit() == CgResult.Exit.BOUNDARY)
      assert(r.iterations() == 1)
      val expected = newton.map(_ * radius / newtonNorm)
      g.indices.foreach(i => assert(math.abs(r.step()(i) - expected(i)) <= 1e-12 * math.abs(expected(i)) + 1e-15))
      assert(math.abs(r.stepNorm() - radius) <= 1e-12 * radius)
      // In the H-norm this is the exact minimizer of Q over the ball: Q(s) = -radius ||g||_{H^-1} + radius^2 / 2.
      val gDual = math.sqrt(g.indices.map(i => g(i) * g(i) / h(i)).sum)
      assert(math.abs(-r.modelDecrease() - (-radius * gDual + radius * radius / 2)) <= 1e-12 * gDual * radius)
      // No feasible point does better (a wrong step, e.g. -radius g / ||g||_H, does).
      for (_ <- 0 until 200) {
        val u = Array.fill(12)(rnd.nextGaussian())
        val feasible = u.map(_ * radius * rnd.nextDouble() / mNorm(u, h))
        assert(model(diagonal(h), g, feasible) >= -r.modelDecrease() - 1e-12)
      }
      val gNorm = mNorm(g, h)
      assert(model(diagonal(h), g, g.map(-_ * radius / gNorm)) > -r.modelDecrease() + 1e-6 * gDual * radius)
    }
  }

  test("a step that crosses the boundary stops on the segment of the crossing CG iteration, at ||s||_M = radius") {
    val rnd = new Random(302)
    val n = 40
    val a = DenseTestObjective.randomSpd(n, 0.05, rnd)
    val g = Array.fill(n)(rnd.nextGaussian())
    val diag = Array.tabulate(n)(i => a.get(i, i))
    val m = DiagonalPreconditioner.fromHessianDiagonal(diag)
    val exact = Cholesky.factor(a).get().solve(g.map(-_))
    val op = new MatrixOperator(a)
    for (fraction <- Seq(0.3, 0.7, 0.95)) {
      val radius = fraction * mNorm(exact, diag)
      val r = new ConjugateGradient(500).solveWithin(op, g, m, tight, radius, Double.PositiveInfinity)
      assert(r.exit() == CgResult.Exit.BOUNDARY, s"fraction $fraction")
      // The M-norm recurrences agree with the norm computed from the step.
      assert(math.abs(mNorm(r.step(), diag) - radius) <= 1e-10 * radius, s"fraction $fraction")
      // Unconstrained PCG iterates j - 1 and j (same rule, iteration caps) bracket the step.
      val j = r.iterations()
      def iterate(k: Int): Array[Double] =
        if (k == 0) new Array[Double](n) else new ConjugateGradient(k).solve(op, g, m, tight).step()
      val (before, after) = (iterate(j - 1), iterate(j))
      assert(mNorm(before, diag) < radius && mNorm(after, diag) > radius)
      val segment = Vectors.plus(after, -1.0, before)
      val t = Vectors.dot(Vectors.plus(r.step(), -1.0, before), segment) / Vectors.dot(segment, segment)
      assert(t > 0 && t < 1)
      val onSegment = Vectors.plus(before, t, segment)
      assert(Vectors.norm(Vectors.plus(onSegment, -1.0, r.step())) <= 1e-10 * radius)
      assert(math.abs(-r.modelDecrease() - model(a, g, r.step())) <= 1e-10 * math.abs(model(a, g, r.step())))
    }
    // A radius beyond the Newton step changes nothing: the same step as unconstrained CG.
    val inside = new ConjugateGradient(500).solveWithin(op, g, m, tight, 2 * mNorm(exact, diag), Double.PositiveInfinity)
    val free = new ConjugateGradient(500).solve(op, g, m, tight)
    assert(inside.exit() == free.exit() && inside.step().sameElements(free.step()))
  }

  test("negative curvature inside the region is followed to the boundary, decreasing the model") {
    val h = Array(2.0, 1.0, -0.5, 3.0)
    val g = Array(0.3, -0.2, 0.1, 0.4)
    for (radius <- Seq(0.5, 2.0, 10.0)) {
      val r = new ConjugateGradient(20).solveWithin(new MatrixOperator(diagonal(h)), g,
        DiagonalPreconditioner.identity(4), tight, radius, Double.PositiveInfinity)
      assert(r.exit() == CgResult.Exit.BOUNDARY)
      assert(math.abs(Vectors.norm(r.step()) - radius) <= 1e-12 * radius)
      assert(r.modelDecrease() > 0)
      assert(math.abs(-r.modelDecrease() - model(diagonal(h), g, r.step())) <= 1e-12 * radius * radius)
    }
    // Without a radius the same system ends at the last iterate, inside.
    val free = new ConjugateGradient(20).solve(new MatrixOperator(diagonal(h)), g,
      DiagonalPreconditioner.identity(4), tight)
    assert(free.exit() == CgResult.Exit.NEGATIVE_CURVATURE && Vectors.norm(free.step()) < 0.5)
  }

  test("TRON's radius update: each branch with its constants") {
    import TrustRegionIterations._
    def result(exit: CgResult.Exit, norm: Double) = new CgResult(Array(0.0), 1, exit, 1.0, norm)
    val inside = result(CgResult.Exit.RESIDUAL_FORCING, 0.5)
    val boundary = result(CgResult.Exit.BOUNDARY, 1.0)
    // gs = -2, prered = 1: actred 0.9 -> curvature of the interpolant 1.1, alpha = max(0.25, 2 / 2.2).
    assert(nextRadius(1.0, inside, -2.0, 0.9, 1.0) == math.max(1.0, math.min(2.0 / 2.2 * 0.5, 4.0)))
    assert(nextRadius(1.0, boundary, -2.0, 0.9, 1.0) == SIGMA3 * 1.0)
    // rho = 0.5: between ETA1 and ETA2.
    assert(nextRadius(1.0, boundary, -2.0, 0.5, 1.0) == math.max(0.25, math.min(2.0 / 3.0 * 1.0, 4.0)))
    // rho = 0.1: below ETA1.
    assert(nextRadius(1.0, boundary, -2.0, 0.1, 1.0) == math.max(0.25, math.min(2.0 / 3.8, 0.5)))
    // rho < ETA0, f rose: curvature 4, alpha = 2 / (2 * 4) = 0.25, below SIGMA2 radius.
    assert(nextRadius(1.0, boundary, -2.0, -2.0, 1.0) == 0.25)
    // A non-convex interpolant (f fell more than linearly): alpha = SIGMA3, radius max(1, 4 * 0.5).
    assert(nextRadius(1.0, inside, -2.0, 3.0, 1.0) == 2.0)
    assert((ETA0, ETA1, ETA2, SIGMA1, SIGMA2, SIGMA3) == (1e-4, 0.25, 0.75, 0.25, 0.5, 4.0))
  }

  test("trust-region Newton-CG reaches the closed-form minimum of random SPD quadratics, every forcing and preconditioner") {
    for (seed <- 1 to 4; forcing <- NewtonCgConfig.Forcing.values(); pre <- NewtonCgConfig.Preconditioner.values()) {
      val rnd = new Random(310 + seed)
      val q = new QuadraticObjective(DenseTestObjective.randomSpd(25, 0.1, rnd), Array.fill(25)(3 * rnd.nextGaussian()))
      val solver = new NewtonCg(NewtonCgConfig.defaults().withTol(1e-11).withForcing(forcing).withPreconditioner(pre)
        .withGlobalization(NewtonCgConfig.Globalization.TRUST_REGION))
      assert(solver.name() == "trust-region")
      val last = solver.minimize(q, new Array[Double](25))
      assert(last.termination().get().converged(), s"$seed $forcing $pre ${last.termination()}")
      val x = Cholesky.factor(q.a).get().solve(q.b)
      assert(Vectors.norm(Vectors.plus(last.point(), -1.0, x)) <= 1e-8 * Vectors.norm(x), s"$seed $forcing $pre")
    }
  }

  test("trust-region Newton-CG reaches (1, 1) on Rosenbrock and all ones on the 10-dimensional extended one") {
    for ((n, start) <- Seq(2 -> Array(-1.2, 1.0), 10 -> Array.tabulate(10)(i => if (i % 2 == 0) -1.2 else 1.0))) {
      val f = new RosenbrockObjective(n)
      val states = trustRegion(1e-10).iterations(f, start).asScala.toIndexedSeq
      val last = states.last
      assert(last.termination().get().converged(), s"n=$n ${last.termination()} ${last.detail()}")
      last.point().foreach(v => assert(math.abs(v - 1.0) < 1e-7, s"n=$n"))
      // Every state is an accepted iterate: the objective never rises.
      states.sliding(2).foreach { case Seq(a, b) => assert(b.value() < a.value()) }
      // A trial costs one evaluation: accepted + rejected trials, one each, plus the start.
      val trials = states.tail.map(s => 1 + "rejected".r.findAllIn(s.detail()).length).sum
      assert(f.evaluations == 1 + trials && f.lineValuePasses == 0)
      assert(f.hessianPasses == states.map(_.innerIterations()).sum)
    }
  }

  test("from a saddle region the trust region follows negative curvature to a minimum of the double well") {
    val f = new DoubleWellObjective(6)
    val start = Array(0.1, -0.05, 0.2, 0.01, -0.3, 0.02)
    val last = trustRegion(1e-10).minimize(f, start)
    assert(last.termination().get().converged(), s"${last.termination()}")
    // Every coordinate leaves the maximum at 0 for a well at +-1, on the side it started.
    start.indices.foreach(i => assert(math.abs(last.point()(i) - math.signum(start(i))) < 1e-8, s"x($i)"))
  }

  /**
   * A quadratic whose value is raised by `bump` everywhere except at the start point: no step
   * from the start decreases f. The start's promised decrease decides the termination.
   */
  private final class BumpedQuadratic(a: ColumnMatrix, b: Array[Double], start: Array[Double], bump: Double)
      extends QuadraticObjective(a, b) {
    override def valueAt(x: Array[Double]): Double =
      super.valueAt(x) + 10.0 + (if (x.sameElements(start)) 0.0 else bump)
  }

  test("no decrease at a point whose model promises less than 1e-12 |f|: converged at precision; more: a failure") {
    val rnd = new Random(320)
    val n = 8
    val a = DenseTestObjective.randomSpd(n, 2.0, rnd) // eigenvalues >= 2: the Newton step lies inside ||g||
    val b = Array.fill(n)(rnd.nextGaussian())
    val x = Cholesky.factor(a).get().solve(b)
    val dir = Array.fill(n)(rnd.nextGaussian())
    def startAt(offset: Double) = Vectors.plus(x, offset / Vectors.norm(dir), dir)
    val cases = Seq(
      (1e-8, 1e-13, Termination.CONVERGED_AT_PRECISION), // promised ~ 1e-16 |f|
      (1e-3, 1e-5, Termination.LINE_SEARCH_FAILED)) // promised ~ 1e-6 |f|: a real failure
    for ((offset, bump, expected) <- cases) {
      val start = startAt(offset)
      val ls = new NewtonCg(NewtonCgConfig.defaults().withTol(0.0)
        .withPreconditioner(NewtonCgConfig.Preconditioner.NONE))
      val lsLast = ls.minimize(new BumpedQuadratic(a, b, start, bump), start)
      assert(lsLast.termination().get() == expected, s"line search, offset $offset: ${lsLast.detail()}")
      assert(lsLast.point().sameElements(start))
      val tr = new NewtonCg(NewtonCgConfig.defaults().withTol(0.0)
        .withPreconditioner(NewtonCgConfig.Preconditioner.NONE)
        .withGlobalization(NewtonCgConfig.Globalization.TRUST_REGION))
      val trLast = tr.minimize(new BumpedQuadratic(a, b, start, bump), start)
      val trExpected = if (expected.converged()) expected else Termination.TRUST_REGION_FAILED
      assert(trLast.termination().get() == trExpected, s"trust region, offset $offset: ${trLast.detail()}")
      assert(trLast.point().sameElements(start))
      assert(trExpected.converged() != trExpected.failed())
    }
  }
}
