package dev.sparknewton.solvers

import dev.sparknewton.linalg.{Cholesky, ColumnMatrix, MatrixProducts, QrDecomposition, SymmetricEigen, Vectors}
import dev.sparknewton.randomized.{RandomizedEigenConfig, RangeFinder}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * `f(z) = z_0^2 - z_1^2 + z_1^4 / 4 + sum_{i >= 2} c_i z_i^2 / 2` in rotated coordinates
 * `z = Q^T w` (`Q` a seeded random rotation of R^n, so every coordinate of `w` mixes all of `z`):
 * a saddle at `w = 0` (curvature 2, -2 and the small `c_i`), minima at `z_1 = +-sqrt(2)`, the other
 * `z` zero, with `f = -1`.
 */
class RotatedSaddleObjective(val q: ColumnMatrix, val c: Array[Double]) extends DenseTestObjective(q.rows()) {
  private def z(w: Array[Double]): Array[Double] = q.transposeMultiply(w)
  def coordinates(w: Array[Double]): Array[Double] = z(w)
  override def valueAt(w: Array[Double]): Double = {
    val t = z(w)
    t(0) * t(0) - t(1) * t(1) + math.pow(t(1), 4) / 4 + (2 until t.length).map(i => c(i) * t(i) * t(i) / 2).sum
  }
  override def gradientAt(w: Array[Double]): Array[Double] = {
    val t = z(w)
    val gz = Array.tabulate(t.length)(i => i match {
      case 0 => 2 * t(0)
      case 1 => -2 * t(1) + t(1) * t(1) * t(1)
      case _ => c(i) * t(i)
    })
    q.multiply(gz)
  }
  override def hessianAt(w: Array[Double]): ColumnMatrix = {
    val t = z(w)
    val d = Array.tabulate(t.length)(i => if (i == 0) 2.0 else if (i == 1) -2.0 + 3 * t(1) * t(1) else c(i))
    val qd = q.copy()
    for (j <- 0 until t.length; i <- 0 until t.length) qd.set(i, j, q.get(i, j) * d(j))
    MatrixProducts.times(qd, MatrixProducts.transpose(q))
  }
}

class LowRankSaddleFreeNewtonSuite extends AnyFunSuite {

  private def maxAbsDiff(x: Array[Double], y: Array[Double]): Double =
    x.indices.map(i => math.abs(x(i) - y(i))).max

  private def rotation(n: Int, seed: Long): ColumnMatrix =
    QrDecomposition.orthonormalBasis(RangeFinder.gaussian(n, n, seed))

  /** `U diag(d) U^T + shift I`, formed densely. */
  private def dense(u: ColumnMatrix, d: Array[Double], shift: Double): ColumnMatrix = {
    val n = u.rows()
    val a = ColumnMatrix.zeros(n, n)
    for (i <- 0 until n; j <- 0 until n) {
      a.set(i, j, d.indices.map(k => u.get(i, k) * d(k) * u.get(j, k)).sum + (if (i == j) shift else 0.0))
    }
    a
  }

  test("the LRSFN step solves (U|L|U^T + gamma I) p = -g, formed densely, to 1e-10") {
    val rnd = new Random(3)
    for ((n, k, gamma) <- Seq((12, 4, 0.3), (30, 7, 1e-3), (9, 9, 0.05), (20, 1, 5.0))) {
      val u = QrDecomposition.orthonormalBasis(RangeFinder.gaussian(n, k, rnd.nextLong()))
      val l = Array.tabulate(k)(i => (if (i % 2 == 0) 1.0 else -1.0) * math.pow(10, 1 - i * 0.5))
      val g = Array.fill(n)(rnd.nextGaussian())
      val p = SaddleFreeStep.of(u, l, gamma, g)
      val reference = Cholesky.factor(dense(u, l.map(math.abs), gamma)).get().solve(Vectors.times(-1.0, g))
      val scale = reference.map(math.abs).max
      assert(maxAbsDiff(p, reference) <= 1e-10 * scale, s"n $n k $k gamma $gamma")
      val pq = SaddleFreeStep.curvature(u, l, gamma, p)
      assert(math.abs(pq + Vectors.dot(g, p)) <= 1e-10 * math.abs(pq), "s.M s = -g.s for s = p")
    }
    assert(intercept[IllegalArgumentException](SaddleFreeStep.of(rotation(3, 1L), Array(1.0, 1.0, 1.0), 0.0,
      Array(1.0, 2.0, 3.0))).getMessage.contains("gamma"))
  }

  test("the solver's first step on an indefinite quadratic is -(|A| + gamma I)^-1 g, with gamma and |l| reported") {
    val n = 8
    val q = rotation(n, 5L)
    val spectrum = Array(4.0, -3.0, 2.0, -1.0, 0.5, 0.25, -0.2, 0.1)
    val a = dense(q, spectrum, 0.0)
    val b = Array.tabulate(n)(i => math.sin(i + 1.0))
    for (gamma <- Seq(LrsfnConfig.AUTO_GAMMA, 0.7)) {
      val f = new QuadraticObjective(a, b)
      val solver = new LowRankSaddleFreeNewton(LrsfnConfig.defaults().withGamma(gamma)
        .withEigenMethod(RandomizedEigenConfig.Method.RAYLEIGH_RITZ))
      val states = solver.iterations(f, new Array[Double](n)).asScala.take(2).toIndexedSeq
      val s1 = states(1)
      val used = s1.damping().get()
      if (gamma > 0) assert(used == gamma)
      else assert(used > 0 && used < 1e-8, "rank = n: the sketch is exact, auto gamma falls to the floor")
      assert(s1.eigenvalues().map(math.abs).sorted.toSeq.zip(spectrum.map(math.abs).sorted).forall {
        case (x, y) => math.abs(x - y) < 1e-10
      })
      val g0 = Vectors.times(-1.0, b)
      val p = Cholesky.factor(dense(q, spectrum.map(math.abs), used)).get().solve(Vectors.times(-1.0, g0))
      val moved = Vectors.times(1.0 / s1.stepSize(), s1.point())
      assert(maxAbsDiff(moved, p) <= 1e-9 * p.map(math.abs).max, s"gamma $gamma")
    }
  }

  test("near a saddle LRSFN (Rayleigh-Ritz) escapes to a minimizer while Newton's step converges to the saddle") {
    val n = 10
    val rnd = new Random(11)
    val q = rotation(n, 7L)
    val c = Array.tabulate(n)(i => if (i < 2) 0.0 else 0.05 + 0.05 * i)
    val z0 = Array.tabulate(n)(i => if (i == 1) 1e-3 else 0.02 * rnd.nextGaussian())
    val w0 = q.multiply(z0)

    // Plain Newton: w <- w - H^-1 g with the indefinite Hessian (dense LU-free solve through the eigenpairs).
    val newton = new RotatedSaddleObjective(q, c)
    var w = w0.clone()
    for (_ <- 0 until 30) {
      val e = SymmetricEigen.of(newton.hessianAt(w), SymmetricEigen.Order.DESCENDING).get()
      val coeff = e.vectors().transposeMultiply(newton.gradientAt(w))
      w = Vectors.plus(w, -1.0, e.vectors().multiply(coeff.indices.map(i => coeff(i) / e.values()(i)).toArray))
    }
    assert(Vectors.norm(w) < 1e-12, "Newton converges to the saddle point w = 0")
    assert(SymmetricEigen.of(newton.hessianAt(w), SymmetricEigen.Order.DESCENDING).get().values().min < -1.9,
      "a saddle, not a minimum")

    for (sketch <- Seq(new LowRankSketchConfig(3, 2, 0), new LowRankSketchConfig(10, 0, 0))) {
      val f = new RotatedSaddleObjective(q, c)
      val solver = new LowRankSaddleFreeNewton(LrsfnConfig.defaults().withTol(1e-9).withMaxIter(500)
        .withSketch(sketch).withEigenMethod(RandomizedEigenConfig.Method.RAYLEIGH_RITZ))
      val states = solver.iterations(f, w0).asScala.toIndexedSeq
      val last = states.last
      assert(last.termination().get().converged(), s"$sketch: ${last.termination()} ${last.detail()}")
      val z = f.coordinates(last.point())
      assert(math.abs(math.abs(z(1)) - math.sqrt(2.0)) < 1e-8, s"$sketch: z = ${z.toSeq}")
      assert(z.indices.filter(_ != 1).forall(i => math.abs(z(i)) < 1e-8), s"$sketch: z = ${z.toSeq}")
      assert(math.abs(last.value() + 1.0) < 1e-12, s"f = ${last.value()}")
      assert(states(1).eigenvalues().exists(_ < -1.5), "the step used the negative eigenvalue")
    }
  }

  test("pass economy: a Nystrom iteration with an accepted full step is exactly one (fused) evaluation") {
    val rnd = new Random(9)
    val n = 15
    val f = new QuadraticObjective(DenseTestObjective.randomSpd(n, 0.5, rnd), Array.fill(n)(rnd.nextGaussian()))
    val it = new LowRankSaddleFreeNewton(LrsfnConfig.defaults()).iterations(f, new Array[Double](n))
    it.next()
    assert(f.evaluations == 1 && f.hessianPasses == 0)
    val s1 = it.next()
    assert(s1.stepSize() == 1.0)
    assert(s1.innerIterations() == 0, "no block pass beyond the fused one")
    assert(f.evaluations == 2 && f.hessianPasses == 0 && f.lineValuePasses == 0,
      s"evaluations ${f.evaluations}, Hessian passes ${f.hessianPasses}, line passes ${f.lineValuePasses}")

    val g = new QuadraticObjective(f.a, f.b)
    val rr = new LowRankSaddleFreeNewton(LrsfnConfig.defaults()
      .withEigenMethod(RandomizedEigenConfig.Method.RAYLEIGH_RITZ)).iterations(g, new Array[Double](n))
    rr.next(); val r1 = rr.next()
    assert(r1.stepSize() == 1.0 && r1.innerIterations() == 1)
    assert(g.evaluations == 2 && g.hessianPasses == 1, "Rayleigh-Ritz: the fused pass plus one block pass")
  }

  test("each iteration draws a fresh, seeded test matrix: the same seed gives the same run, another seed another") {
    val rnd = new Random(10)
    val n = 30
    val a = DenseTestObjective.randomSpd(n, 0.01, rnd)
    val b = Array.fill(n)(rnd.nextGaussian())
    def run(seed: Long) = new LowRankSaddleFreeNewton(LrsfnConfig.defaults().withSeed(seed).withMaxIter(3)
      .withSketch(new LowRankSketchConfig(5, 2, 0))).iterations(new QuadraticObjective(a, b), new Array[Double](n))
      .asScala.toIndexedSeq
    val x = run(1L); val y = run(1L); val z = run(2L)
    assert(x.map(_.point().toSeq) == y.map(_.point().toSeq))
    assert(x(1).eigenvalues().toSeq != x(2).eigenvalues().toSeq, "iterations 1 and 2 use different test matrices")
    assert(x(1).eigenvalues().toSeq != z(1).eigenvalues().toSeq)
  }

  test("adaptive gamma reaches the minimum of an ill-conditioned quadratic with a rank-deficient sketch") {
    val rnd = new Random(12)
    val n = 25
    val q = rotation(n, 13L)
    val spectrum = Array.tabulate(n)(i => math.pow(10, -3.0 * i / (n - 1)))
    val a = dense(q, spectrum, 0.0)
    val b = Array.fill(n)(rnd.nextGaussian())
    val minimizer = Cholesky.factor(a).get().solve(b)
    for (rule <- LrsfnConfig.GammaRule.values()) {
      val states = new LowRankSaddleFreeNewton(LrsfnConfig.defaults().withTol(1e-8).withMaxIter(3000)
        .withSketch(new LowRankSketchConfig(20, 3, 0)).withGammaRule(rule))
        .iterations(new QuadraticObjective(a, b), new Array[Double](n)).asScala.toIndexedSeq
      val last = states.last
      assert(last.termination().get().converged(), s"$rule: ${last.termination()} ${last.detail()} " +
        states.takeRight(4).map(s => s"${s.iteration()} ${s.value()} ${s.gradientNorm()} ${s.stepSize()}").mkString("; "))
      assert(maxAbsDiff(last.point(), minimizer) < 1e-6 * minimizer.map(math.abs).max, rule.toString)
    }
  }

  test("configuration errors name the key") {
    def message(f: => Any): String = intercept[IllegalArgumentException](f).getMessage
    assert(message(new LowRankSketchConfig(0, 10, 0)).startsWith("solver.rank"))
    assert(message(new LowRankSketchConfig(5, -1, 0)).startsWith("solver.oversampling"))
    assert(message(new LowRankSketchConfig(5, 1, -2)).startsWith("solver.powerIterations"))
    assert(message(LrsfnConfig.defaults().withGamma(-1.0)).startsWith("solver.gamma"))
    assert(message(LrsfnConfig.defaults().withGamma(Double.PositiveInfinity)).startsWith("solver.gamma"))
    assert(message(LrsfnConfig.defaults().withGammaRule(null)).startsWith("solver.gammaRule"))
    assert(message(LrsfnConfig.defaults().withEigenMethod(null)).startsWith("solver.eigenMethod"))
    assert(message(NewtonCgConfig.defaults().withPreconditionerRefresh(-1)).startsWith("solver.preconditionerRefresh"))
  }
}
