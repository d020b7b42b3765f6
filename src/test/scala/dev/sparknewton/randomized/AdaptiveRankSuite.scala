package dev.sparknewton.randomized

import dev.sparknewton.randomized.RandomizedEigenConfig.Method
import org.scalatest.funsuite.AnyFunSuite

class AdaptiveRankSuite extends AnyFunSuite {

  private val n = 60
  private val b = 5

  /** How many |lambda| exceed t |lambda_1|: by Eckart-Young, the least rank with error <= t ||A||. */
  private def ranksAbove(spectrum: Array[Double], t: Double): Int = {
    val top = spectrum.map(math.abs).max
    spectrum.count(x => math.abs(x) > t * top)
  }

  private def blocks(rank: Int): Int = (rank + b - 1) / b

  private val cases = Seq(
    (Method.RAYLEIGH_RITZ, KnownSpectrum.alternating(n, 0.6), 1e-3, 1),
    (Method.NYSTROM, Array.tabulate(n)(i => math.pow(0.5, i)), 1e-4, 0))

  for ((method, spectrum, tol, extraPasses) <- cases) {
    val a = KnownSpectrum.matrix(spectrum, 17L)
    val norm = spectrum.map(math.abs).max

    test(s"$method: stops once the true error is below the tolerance, at a sensible rank") {
      val config = RandomizedEigenConfig.adaptiveRank(method, tol, 50).withBlockSize(b)
      // The estimator can overshoot ||E|| by at most 2 * 10 sqrt(2/pi) * max ||g||, max ||g|| < sqrt(n) + 6.
      val overshoot = 2 * EigenPairs.ERROR_ESTIMATE_FACTOR * (math.sqrt(n) + 6)
      for (seed <- 0L until 8L) {
        val op = new DenseSymmetricOperator(a)
        val e = new RandomizedEigensolver(config.withSeed(seed)).decompose(op).get()
        val m = e.rank()
        val truth = KnownSpectrum.error(a, e)
        assert(truth <= tol * norm, s"seed $seed: rank $m, error $truth")
        assert(m >= ranksAbove(spectrum, tol) && m <= 50)
        // A random basis trails the optimal one by an oversampling of 5-10 columns (HMT Sec. 4.2),
        // and the last block is appended whole.
        assert(m <= ranksAbove(spectrum, tol / overshoot) + 10 + b, s"seed $seed: rank $m")
        assert(op.passes() == e.passes() && e.passes() == blocks(m) + extraPasses)
        assert(e.values().sliding(2).forall(w => math.abs(w(0)) >= math.abs(w(1))))
      }
    }

    test(s"$method: never exceeds the rank cap, even when the tolerance is out of reach") {
      val slow = KnownSpectrum.matrix(spectrum.indices.map(i => math.pow(0.97, i)).toArray, 18L)
      for (cap <- Seq(23, 25)) {
        val config = RandomizedEigenConfig.adaptiveRank(method, 1e-12, cap).withBlockSize(b).withSeed(3L)
        val op = new DenseSymmetricOperator(slow)
        val e = new RandomizedEigensolver(config).decompose(op).get()
        assert(e.rank() == cap && e.passes() == blocks(cap) + extraPasses && op.passes() == e.passes())
        assert(e.estimatedError() >= KnownSpectrum.error(slow, e))
      }
    }

    test(s"$method: the estimated error bounds the true error; a fused first block changes nothing") {
      val config = RandomizedEigenConfig.adaptiveRank(method, tol, 50).withBlockSize(b)
      val bounded = (0L until 20L).count { seed =>
        val e = new RandomizedEigensolver(config.withSeed(100 + seed)).decompose(new DenseSymmetricOperator(a)).get()
        e.estimatedError() >= KnownSpectrum.error(a, e)
      }
      assert(bounded >= 19)
      val solver = new RandomizedEigensolver(config.withSeed(5L))
      val op = new DenseSymmetricOperator(a)
      val g = solver.testMatrix(n)
      assert(g.cols() == b)
      val fused = solver.decompose(op, g, op.hessianBlockProduct(g)).get()
      assert(fused == solver.decompose(new DenseSymmetricOperator(a)).get())
    }
  }
}
