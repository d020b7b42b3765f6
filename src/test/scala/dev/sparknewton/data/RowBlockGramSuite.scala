package dev.sparknewton.data

import dev.sparknewton.TestData
import dev.sparknewton.linalg.ColumnMatrix
import org.scalatest.funsuite.AnyFunSuite
import scala.util.Random

/** `addWeightedGramLower` of both storage forms against the explicit sum of `s_i z_i z_i^T`. */
class RowBlockGramSuite extends AnyFunSuite {
  private val d = 9
  private val rows = TestData.rows(40, d, density = 0.5, seed = 3L)

  private def reference(s: Array[Double], intercept: Boolean): Array[Array[Double]] = {
    val dim = if (intercept) d + 1 else d
    val h = Array.ofDim[Double](dim, dim)
    rows.zipWithIndex.foreach { case (r, i) =>
      val z = new Array[Double](dim)
      r.indices.indices.foreach(k => z(r.indices(k)) = r.values(k))
      if (intercept) z(d) = 1.0
      for (a <- 0 until dim; b <- 0 until dim) h(a)(b) += s(i) * z(a) * z(b)
    }
    h
  }

  for (sparse <- Seq(false, true); intercept <- Seq(false, true); signs <- Seq("non-negative", "mixed")) {
    test(s"lower triangle of Z^T diag(s) Z (sparse=$sparse, intercept=$intercept, $signs weights)") {
      val rnd = new Random(5)
      val s = Array.fill(rows.size)(if (signs == "mixed") rnd.nextGaussian() else rnd.nextDouble())
      if (signs == "non-negative") s(3) = 0.0
      val block = TestData.blocks(rows, d, rows.size, sparse).get(0)
      val dim = if (intercept) d + 1 else d
      val out = ColumnMatrix.zeros(dim, dim)
      out.set(dim - 1, 0, 7.0) // accumulates into what is there
      block.addWeightedGramLower(s, intercept, out)
      val h = reference(s, intercept)
      for (b <- 0 until dim; a <- b until dim) {
        val expected = h(a)(b) + (if (a == dim - 1 && b == 0) 7.0 else 0.0)
        assert(math.abs(out.get(a, b) - expected) < 1e-12 * (1 + math.abs(expected)), s"($a, $b)")
      }
    }
  }
}
