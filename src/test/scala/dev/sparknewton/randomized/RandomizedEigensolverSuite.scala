package dev.sparknewton.randomized

import dev.sparknewton.{TestData, TestModels}
import dev.sparknewton.data.RowSample
import dev.sparknewton.linalg.{ColumnMatrix, MatrixProducts}
import dev.sparknewton.objective.{CurvatureOperator, LocalBlockFold}
import dev.sparknewton.randomized.RandomizedEigenConfig.Method
import org.scalatest.funsuite.AnyFunSuite
import scala.util.Random

class RandomizedEigensolverSuite extends AnyFunSuite {

  private val n = 60
  private val indefinite = KnownSpectrum.alternating(n, 0.85)
  private val a = KnownSpectrum.matrix(indefinite, 5L)
  private val psdSpectrum = Array.tabulate(n)(i => math.pow(0.5, i))
  private val psd = KnownSpectrum.matrix(psdSpectrum, 6L)

  private def solve(m: ColumnMatrix, config: RandomizedEigenConfig): (LowRankEigen, Int) = {
    val op = new DenseSymmetricOperator(m)
    val e = new RandomizedEigensolver(config).decompose(op).get()
    (e, op.passes())
  }

  private def relErr(x: Double, y: Double): Double = math.abs(x - y) / math.abs(y)

  private def assertOrthonormal(u: ColumnMatrix): Unit = {
    val g = MatrixProducts.transposeTimes(u, u)
    for (i <- 0 until u.cols(); j <- 0 until u.cols())
      assert(math.abs(g.get(i, j) - (if (i == j) 1.0 else 0.0)) < 1e-12)
  }

  test("Rayleigh-Ritz with k = n recovers every eigenvalue, negative ones included, to 1e-10") {
    val (e, passes) = solve(a, RandomizedEigenConfig.fixedRank(Method.RAYLEIGH_RITZ, n).withSeed(1L))
    val expected = KnownSpectrum.byMagnitude(indefinite)
    assert(e.rank() == n && passes == 2 && e.passes() == 2)
    expected.indices.foreach(i => assert(math.abs(e.values()(i) - expected(i)) < 1e-10, s"eigenvalue $i"))
    assertOrthonormal(e.vectors())
    assert(KnownSpectrum.error(a, e) < 1e-10)
    assert(math.abs(e.trace() - indefinite.sum) < 1e-10)
  }

  /** `||A - Q Q^T A Q Q^T||`: the error of the Rayleigh-Ritz approximation from the basis `q`. */
  private def rayleighRitzError(m: ColumnMatrix, q: ColumnMatrix): Double = {
    val projected = MatrixProducts.times(q, MatrixProducts.times(
      MatrixProducts.transposeTimes(q, MatrixProducts.times(m, q)), MatrixProducts.transpose(q)))
    val r = m.copy()
    for (i <- 0 until r.data().length) r.data()(i) -= projected.data()(i)
    KnownSpectrum.norm(MatrixProducts.symmetricPart(r))
  }

  test("Rayleigh-Ritz, k < n, p = 10, q = 0: mean error over 20 seeds meets the HMT bound, " +
      "which a random basis and one missing the top direction break") {
    val k = 10; val p = 10
    // Norm 1 and a bound of 0.25 (with the 0.85-decay spectrum the bound was 3.23, which the
    // error of any rank-k approximation, at most 2, meets).
    val tight = KnownSpectrum.TightBound(n, k, p)
    val (m, sigma, bound, top) = (tight.matrix, tight.sigma, tight.bound, tight.top)
    assert(math.abs(bound - 0.25) < 1e-12)
    val errors = (0 until 20).map { s =>
      val (e, passes) = solve(m, RandomizedEigenConfig.fixedRank(Method.RAYLEIGH_RITZ, k).withSeed(s))
      assert(e.rank() == k && passes == 2 && e.passes() == 2)
      assertOrthonormal(e.vectors())
      val err = KnownSpectrum.error(m, e)
      assert(err >= sigma(k) * (1 - 1e-9), "Eckart-Young: no rank-k matrix beats sigma_{k+1}")
      // The same Rayleigh-Ritz step from a basis without the top eigenvector misses lambda_1 = 1.
      assert(rayleighRitzError(m, KnownSpectrum.withoutDirection(e.vectors(), top)) > 1 - 1e-9)
      err
    }
    assert(errors.sum / errors.size <= bound, s"mean ${errors.sum / errors.size}, bound $bound")
    val random = (0 until 20).map(s => rayleighRitzError(m, KnownSpectrum.randomBasis(n, k, 500L + s)))
    assert(random.sum / random.size > bound, s"random bases: mean ${random.sum / random.size}")
  }

  test("eigenvalues come sorted by |lambda| with the negative ones kept; power iterations help") {
    val k = 8
    val expected = KnownSpectrum.byMagnitude(indefinite).take(k)
    val meanErrors = (0 to 2).map { q =>
      val errs = (0 until 10).map { s =>
        val config = RandomizedEigenConfig.fixedRank(Method.RAYLEIGH_RITZ, k).withOversampling(4)
          .withPowerIterations(q).withSeed(10L + s)
        val (e, passes) = solve(a, config)
        assert(passes == 2 + q && e.passes() == 2 + q)
        val l = e.values()
        assert(l.count(_ < 0) >= 2, l.mkString(", "))
        if (q == 2) assert(l.indices.forall(i => math.signum(l(i)) == math.signum(expected(i))), l.mkString(", "))
        assert(l.sliding(2).forall(w => math.abs(w(0)) >= math.abs(w(1))))
        // Ritz values of a symmetric matrix interlace: |lambda_i(B)| never exceeds the true one.
        l.indices.foreach(i => assert(math.abs(l(i)) <= math.abs(expected(i)) + 1e-12))
        KnownSpectrum.error(a, e)
      }
      errs.sum / errs.size
    }
    assert(meanErrors(1) < meanErrors(0) && meanErrors(2) < meanErrors(1), meanErrors.mkString(", "))
  }

  test("Nystrom on a PSD matrix: top-k to 1e-8 relative, U L U^T <= A, 1 + q passes") {
    val k = 10
    for (q <- Seq(1, 2)) {
      val config = RandomizedEigenConfig.fixedRank(Method.NYSTROM, k).withPowerIterations(q).withSeed(3L)
      val (e, passes) = solve(psd, config)
      assert(passes == 1 + q && e.passes() == 1 + q)
      assertOrthonormal(e.vectors())
      (0 until k).foreach(i => assert(relErr(e.values()(i), psdSpectrum(i)) < 1e-8, s"q=$q eigenvalue $i"))
      assert(KnownSpectrum.eigenvalues(KnownSpectrum.residual(psd, e)).min >= -1e-10)
    }
    // Single pass, no power iteration: still below A in the PSD order; the leading eigenvalues
    // are less accurate (Nystrom's error in lambda_i decays like (lambda_{l+1} / lambda_i)^1).
    val (e0, p0) = solve(psd, RandomizedEigenConfig.fixedRank(Method.NYSTROM, k).withSeed(4L))
    assert(p0 == 1 && e0.passes() == 1)
    assert(e0.values().forall(_ >= 0.0))
    assert(KnownSpectrum.eigenvalues(KnownSpectrum.residual(psd, e0)).min >= -1e-10)
    (0 until 3).foreach(i => assert(relErr(e0.values()(i), psdSpectrum(i)) < 1e-4))
  }

  test("the exact logistic Hessian (n = 40): top-5 eigenvalues to 1e-8 against Breeze eigSym") {
    val d = 40
    // Five dominant features and 35 weak ones (scale 0.1 * 0.95^j): a Hessian with five large
    // eigenvalues, then a gap down to the tail above lambda = 1e-3, so that q = 2 resolves them.
    def scale(j: Int): Double = if (j < 5) math.pow(0.9, j) else 0.1 * math.pow(0.95, j)
    val rows = TestData.rows(n = 500, d = d, density = 0.6, seed = 31L).map { r =>
      r.copy(values = r.indices.indices.map(t => r.values(t) * scale(r.indices(t))).toArray)
    }
    val objective = TestModels.regularized(TestModels.logistic(d, false,
      new LocalBlockFold(TestData.blocks(rows, d, 64, sparse = true))), 1e-3)
    val w = TestData.randomVector(d, new Random(32)).map(_ * 0.3)
    val h = objective.evaluate(w).curvature(RowSample.all())
    val expected = KnownSpectrum.eigenvalues(h.denseHessian()).reverse
    for (method <- Method.values()) {
      val config = RandomizedEigenConfig.fixedRank(method, 5).withPowerIterations(2).withSeed(33L)
      val e = new RandomizedEigensolver(config).decompose(h).get()
      (0 until 5).foreach(i => assert(relErr(e.values()(i), expected(i)) < 1e-8, s"$method eigenvalue $i"))
    }
  }

  test("the estimated error bounds the true error in at least 38 of 40 seeded trials") {
    for ((m, method) <- Seq((a, Method.RAYLEIGH_RITZ), (psd, Method.NYSTROM))) {
      val results = (0 until 40).map { s =>
        val (e, _) = solve(m, RandomizedEigenConfig.fixedRank(method, 6).withSeed(1000L + s))
        (e.estimatedError(), KnownSpectrum.error(m, e))
      }
      assert(results.count { case (est, truth) => est >= truth } >= 38, s"$method: $results")
      // ||E w|| <= ||E|| ||w|| and a 60-dim Gaussian has norm about 7.7, far below sqrt(n) + 6.
      val factor = EigenPairs.ERROR_ESTIMATE_FACTOR * (math.sqrt(n) + 6)
      assert(results.forall { case (est, truth) => est <= factor * truth }, s"$method: $results")
    }
  }

  test("a fresh seed gives a fresh test matrix; the same seed the same result; fusing changes nothing") {
    val solver = new RandomizedEigensolver(RandomizedEigenConfig.fixedRank(Method.RAYLEIGH_RITZ, 5).withSeed(7L))
    val other = new RandomizedEigensolver(solver.config().withSeed(8L))
    val t7 = solver.testMatrix(n)
    assert(t7.cols() == 5 + 10 + 3)
    assert(t7.data().sameElements(solver.testMatrix(n).data()))
    assert(!t7.data().sameElements(other.testMatrix(n).data()))
    val first = solver.decompose(new DenseSymmetricOperator(a)).get()
    assert(first == solver.decompose(new DenseSymmetricOperator(a)).get())
    assert(first != other.decompose(new DenseSymmetricOperator(a)).get())
    for (method <- Method.values()) {
      val s = new RandomizedEigensolver(solver.config().withSeed(9L).withPowerIterations(1)
        .withErrorProbes(2) match { case c => new RandomizedEigenConfig(method, c.rank(), c.oversampling(),
          c.powerIterations(), c.errorProbes(), false, 0.0, c.blockSize(), c.seed()) })
      val op = new DenseSymmetricOperator(psd)
      val test = s.testMatrix(n)
      val fused = s.decompose(op, test, op.hessianBlockProduct(test)).get()
      assert(fused == s.decompose(new DenseSymmetricOperator(psd)).get())
      assert(op.passes() == fused.passes())
    }
  }

  test("non-finite products give an empty result; impossible ranks and bad shapes are errors") {
    val nan = new CurvatureOperator {
      override def dimension(): Int = 10
      override def hessianVectorProduct(v: Array[Double]): Array[Double] = Array.fill(10)(Double.NaN)
      override def hessianBlockProduct(v: ColumnMatrix): ColumnMatrix =
        new ColumnMatrix(10, v.cols(), Array.fill(10 * v.cols())(Double.NaN))
      override def denseHessian(): ColumnMatrix = ColumnMatrix.zeros(10, 10)
    }
    for (method <- Method.values()) {
      assert(new RandomizedEigensolver(RandomizedEigenConfig.fixedRank(method, 3)).decompose(nan).isEmpty)
      assert(new RandomizedEigensolver(RandomizedEigenConfig.adaptiveRank(method, 0.1, 8).withBlockSize(2))
        .decompose(nan).isEmpty)
    }
    val tooBig = intercept[IllegalArgumentException](
      new RandomizedEigensolver(RandomizedEigenConfig.fixedRank(Method.NYSTROM, 11)).decompose(nan))
    assert(tooBig.getMessage.contains("11") && tooBig.getMessage.contains("10"))
    val s = new RandomizedEigensolver(RandomizedEigenConfig.fixedRank(Method.NYSTROM, 3))
    intercept[IllegalArgumentException](s.decompose(nan, ColumnMatrix.zeros(10, 4), ColumnMatrix.zeros(10, 4)))
  }

  test("config validation names the field and the value") {
    def message(f: => RandomizedEigenConfig): String = intercept[IllegalArgumentException](f).getMessage
    val base = RandomizedEigenConfig.fixedRank(Method.RAYLEIGH_RITZ, 5)
    assert(message(RandomizedEigenConfig.fixedRank(Method.RAYLEIGH_RITZ, 0)) == "rank must be >= 1, got 0")
    assert(message(base.withOversampling(-1)) == "oversampling must be >= 0, got -1")
    assert(message(base.withPowerIterations(-2)) == "powerIterations must be >= 0, got -2")
    assert(message(base.withErrorProbes(0)) == "errorProbes must be >= 1, got 0")
    assert(message(RandomizedEigenConfig.fixedRank(null, 5)).startsWith("method"))
    assert(message(RandomizedEigenConfig.adaptiveRank(Method.NYSTROM, 0.0, 20)).contains("tolerance"))
    assert(message(RandomizedEigenConfig.adaptiveRank(Method.NYSTROM, 1e-3, 10).withBlockSize(10)).contains("blockSize"))
    assert(message(RandomizedEigenConfig.adaptiveRank(Method.NYSTROM, 1e-3, 30).withPowerIterations(1))
      == "powerIterations must be 0 in adaptive mode, got 1")
    assert(base.oversampling() == 10 && base.powerIterations() == 0)
  }
}
