package dev.sparknewton.randomized

import dev.sparknewton.linalg.{ColumnMatrix, MatrixProducts, Vectors}
import org.scalatest.funsuite.AnyFunSuite

class RangeFinderSuite extends AnyFunSuite {

  private val n = 60
  private val spectrum = KnownSpectrum.alternating(n, 0.85)
  private val a = KnownSpectrum.matrix(spectrum, 5L)

  /** `||(I - Q Q^T) A||` densely. */
  private def rangeError(q: ColumnMatrix): Double = {
    val r = a.copy()
    Vectors.axpy(-1.0, MatrixProducts.times(q, MatrixProducts.transposeTimes(q, a)).data(), r.data())
    // ||R|| = sqrt(||R^T R||) for the non-symmetric R = (I - QQ^T) A.
    math.sqrt(KnownSpectrum.norm(MatrixProducts.transposeTimes(r, r)))
  }

  test("Alg. 4.1 meets the Halko-Martinsson-Tropp expected-error bound (eq. 1.9) over 20 seeds") {
    for ((k, p) <- Seq((5, 5), (10, 10), (20, 4))) {
      val sigma = KnownSpectrum.byMagnitude(spectrum).map(math.abs)
      val bound = (1 + 4 * math.sqrt(k + p) / (p - 1) * math.sqrt(n)) * sigma(k)
      val errors = (0 until 20).map { s =>
        val op = new DenseSymmetricOperator(a)
        val q = RangeFinder.orthonormalBasis(op, k + p, 0, 100L + s).get()
        assert(op.passes() == 1)
        assert(q.cols() == k + p)
        val e = rangeError(q)
        assert(e >= sigma(k + p) * (1 - 1e-9), "no basis of l columns beats sigma_{l+1}")
        e
      }
      assert(errors.sum / errors.size <= bound, s"k=$k p=$p mean ${errors.sum / errors.size} bound $bound")
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
