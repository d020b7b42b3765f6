package dev.sparknewton.randomized

import dev.sparknewton.linalg.{ColumnMatrix, MatrixProducts}
import java.util.SplittableRandom
import org.scalatest.funsuite.AnyFunSuite

class FrobeniusEstimateSuite extends AnyFunSuite {

  private def estimate(a: ColumnMatrix, m: Int, seed: Long): FrobeniusEstimate = {
    val g = RangeFinder.gaussian(a.rows(), m, new SplittableRandom(seed))
    FrobeniusEstimate.fromProbes(g, MatrixProducts.times(a, g))
  }

  private def squaredNorm(a: ColumnMatrix): Double = a.data().map(x => x * x).sum

  test("on a known matrix the estimate is within 3 stated standard errors, and unbiased over seeds") {
    val l = Array.tabulate(40)(i => (if (i % 3 == 0) -1.0 else 1.0) * math.pow(0.8, i))
    val a = KnownSpectrum.matrix(l, 11L)
    val exact = l.map(x => x * x).sum
    assert(math.abs(squaredNorm(a) / exact - 1) < 1e-12)
    val e = estimate(a, 200, 3L)
    assert(e.probes() == 200 && math.abs(e.relativeStandardError() - math.sqrt(2.0 / 200)) < 1e-15)
    assert(math.abs(e.squaredNorm() / exact - 1) <= 3 * e.relativeStandardError())
    // The mean of 400 independent 10-probe estimates has relative sd <= sqrt(2/10)/20 = 0.022.
    val means = (0 until 400).map(s => estimate(a, 10, 100L + s).squaredNorm()).sum / 400
    assert(math.abs(means / exact - 1) <= 3 * math.sqrt(2.0 / 10) / 20)
  }

  test("the stated error sqrt(2/m) is attained (not understated) when one eigenvalue dominates") {
    // H = O diag(2, 0, ..., 0) O^T: ||H g||^2 = 4 z^2 with z ~ N(0, 1), relative sd exactly sqrt(2/m).
    val a = KnownSpectrum.matrix(Array.tabulate(30)(i => if (i == 0) 2.0 else 0.0), 12L)
    val m = 8
    val est = (0 until 2000).map(s => estimate(a, m, 5000L + s).squaredNorm() / 4.0)
    val mean = est.sum / est.size
    val sd = math.sqrt(est.map(x => (x - mean) * (x - mean)).sum / (est.size - 1))
    val stated = math.sqrt(2.0 / m)
    assert(math.abs(mean - 1) < 4 * stated / math.sqrt(est.size))
    assert(sd > 0.85 * stated && sd < 1.15 * stated, s"empirical sd $sd, stated $stated")
  }

  test("mismatched probes and images are rejected") {
    val g = ColumnMatrix.zeros(4, 2)
    assertThrows[IllegalArgumentException](FrobeniusEstimate.fromProbes(g, ColumnMatrix.zeros(4, 3)))
    assertThrows[IllegalArgumentException](FrobeniusEstimate.fromProbes(ColumnMatrix.zeros(4, 0), ColumnMatrix.zeros(4, 0)))
  }
}
