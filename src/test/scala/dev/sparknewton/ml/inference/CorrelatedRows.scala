package dev.sparknewton.ml.inference

import dev.sparknewton.data.{DenseRowBlock, RowBlock}
import java.util.{ArrayList => JArrayList, List => JList}
import scala.util.Random

/**
 * Seeded dense rows whose features are correlated and of decaying scale, the case where
 * `diag(H^-1)` is far from `1 / diag(H)`: `x_ij = s_j (g_ij + sum_r f_ir m_rj)` with
 * `s_j = (1 + j)^(-decay)`, `g, f, m` standard normal and `factors` latent factors; labels 0/1
 * drawn from a logistic model with coefficients `N(0, 1) / (sqrt(d) s_j)` (so every feature
 * matters at its scale) and intercept 0.3; weights in [0.5, 1.5).
 */
object CorrelatedRows {

  def blocks(n: Int, d: Int, factors: Int, decay: Double, seed: Long,
      blockRows: Int = 500): JList[RowBlock] = {
    val rnd = new Random(seed)
    val scale = Array.tabulate(d)(j => math.pow(1.0 + j, -decay))
    val mixing = Array.fill(factors, d)(0.5 * rnd.nextGaussian())
    val truth = Array.tabulate(d)(j => rnd.nextGaussian() / (math.sqrt(d.toDouble) * scale(j)))
    val out = new JArrayList[RowBlock]()
    var start = 0
    var id = 0L
    while (start < n) {
      val rows = math.min(blockRows, n - start)
      val values = new Array[Double](rows * d)
      val labels = new Array[Double](rows)
      val weights = new Array[Double](rows)
      for (i <- 0 until rows) {
        val f = Array.fill(factors)(rnd.nextGaussian())
        var margin = 0.3
        for (j <- 0 until d) {
          var x = rnd.nextGaussian()
          for (r <- 0 until factors) x += f(r) * mixing(r)(j)
          x *= scale(j)
          values(i * d + j) = x
          margin += x * truth(j)
        }
        labels(i) = if (rnd.nextDouble() < 1.0 / (1.0 + math.exp(-margin))) 1.0 else 0.0
        weights(i) = 0.5 + rnd.nextDouble()
      }
      out.add(new DenseRowBlock(id, d, labels, weights, values))
      id += 1
      start += rows
    }
    out
  }
}
