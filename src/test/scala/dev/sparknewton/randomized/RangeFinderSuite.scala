package dev.sparknewton.randomized

import dev.sparknewton.linalg.{ColumnMatrix, MatrixProducts, Vectors}
import org.scalatest.funsuite.AnyFunSuite

class RangeFinderSuite extends AnyFunSuite {

  private val n = 60
  private val spectrum = KnownSpectrum.alternating(n, 0.85)
  private val a = KnownSpectrum.matrix(spectrum, 5L)

  /** `||(I - Q Q^T) m||` densely (by an SVD: accurate far below the errors measured here). */
  private def rangeError(q: ColumnMatrix, m: ColumnMatrix = a): Double = {
    val r = m.copy()
    Vectors.axpy(-1.0, MatrixProducts.times(q, MatrixProducts.transposeTimes(q, m)).data(), r.data())
    KnownSpectrum.spectralNorm(r)
  }

  test("Alg. 4.1 meets the Halko-Martinsson-Tropp expected-error bound (eq. 1.9) over 20 seeds, " +
      "on spectra where the bound rejects a random basis and one missing the top direction") {
    for ((k, p) <- Seq((5, 5), (10, 10), (20, 4))) {
      // On a matrix of norm 1 a bound >= 1 passes any orthonormal Q (||(I - QQ^T) A|| <= 1); here
      // the spectrum decays so that the bound is 0.25.
      val tight = KnownSpectrum.TightBound(n, k, p)
      val (m, sigma, bound, top) = (tight.matrix, tight.sigma, tight.bound, tight.top)
      assert(math.abs(bound - 0.25) < 1e-12)
      val (errors, randomErrors, missingTopErrors) = (0 until 20).map { s =>
        val op = new DenseSymmetricOperator(m)
        val q = RangeFinder.orthonormalBasis(op, k + p, 0, 100L + s).get()
        assert(op.passes() == 1)
        assert(q.cols() == k + p)
        val e = rangeError(q, m)
        assert(e >= sigma(k + p) * (1 - 1e-9), "no basis of l columns beats sigma_{l+1}")
        (e, rangeError(KnownSpectrum.randomBasis(n, k + p, 300L + s), m),
          rangeError(KnownSpectrum.withoutDirection(q, top), m))
      }.unzip3
      def mean(x: Seq[Double]) = x.sum / x.size
      assert(mean(errors) <= bound, s"k=$k p=$p mean ${mean(errors)} bound $bound")
      // The bound can fail: a random subspace of the same size, and the algorithm's own basis
      // with the top eigenvector projected out (error >= |lambda_1| = 1), both break it.
      assert(mean(randomErrors) > bound, s"k=$k p=$p random bases ${mean(randomErrors)}")
      assert(missingTopErrors.forall(_ > 1 - 1e-9), s"k=$k p=$p without the top direction $missingTopErrors")
    }
  }

  test("power iterations cost one pass each, keep Q orthonormal and reduce the error") {
    val means = (0 to 2).map { q =>
      val errors = (0 until 10).map { s =>
        val op = new DenseSymmetricOperator(a)
        val basis = RangeFinder.orthonormalBasis(op, 10, q, 200L + s).get()
        assert(op.passes() == 1 + q)
        val gram = MatrixProducts.transposeTimes(basis, basis)
        for (i <- 0 until 10; j <- 0 until 10) assert(math.abs(gram.get(i, j) - (if (i == j) 1 else 0)) < 1e-12)
        rangeError(basis)
      }
      errors.sum / errors.size
    }
    assert(means(1) < means(0) && means(2) < means(1), means.mkString(", "))
  }

  test("a fused product Y = H Omega gives the same basis; non-finite products give empty") {
    val op = new DenseSymmetricOperator(a)
    val omega = RangeFinder.gaussian(n, 8, 9L)
    val fused = RangeFinder.orthonormalBasis(op, op.hessianBlockProduct(omega), 1).get()
    val scratch = RangeFinder.orthonormalBasis(new DenseSymmetricOperator(a), 8, 1, 9L).get()
    assert(fused.data().sameElements(scratch.data()))
    val bad = op.hessianBlockProduct(omega); bad.set(3, 2, Double.NaN)
    assert(RangeFinder.orthonormalBasis(op, bad, 0).isEmpty)
  }
}
