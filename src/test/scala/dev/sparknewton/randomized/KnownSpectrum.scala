package dev.sparknewton.randomized

import breeze.linalg.{eigSym, DenseMatrix}
import dev.sparknewton.linalg.{ColumnMatrix, MatrixProducts, QrDecomposition}
import scala.util.Random

/** Dense symmetric test matrices with a prescribed spectrum, and dense (Breeze) error measures. */
object KnownSpectrum {

  /** `A = O diag(l) O^T` with `O` the Q factor of a seeded Gaussian matrix. */
  def matrix(l: Array[Double], seed: Long): ColumnMatrix = {
    val n = l.length
    val rnd = new Random(seed)
    val o = QrDecomposition.orthonormalBasis(new ColumnMatrix(n, n, Array.fill(n * n)(rnd.nextGaussian())))
    val ol = o.copy()
    for (j <- 0 until n; i <- 0 until n) ol.set(i, j, o.get(i, j) * l(j))
    MatrixProducts.symmetricPart(MatrixProducts.times(ol, MatrixProducts.transpose(o)))
  }

  /** `|l_i| = decay^i`, signs alternating: +1, -decay, +decay^2, ... */
  def alternating(n: Int, decay: Double): Array[Double] =
    Array.tabulate(n)(i => (if (i % 2 == 0) 1.0 else -1.0) * math.pow(decay, i))

  /** Eigenvalues (ascending) of a symmetric matrix, by Breeze. */
  def eigenvalues(a: ColumnMatrix): Array[Double] =
    eigSym(new DenseMatrix(a.rows(), a.cols(), a.data().clone())).eigenvalues.toArray

  /** `A - U diag(lambda) U^T`, densely. */
  def residual(a: ColumnMatrix, e: LowRankEigen): ColumnMatrix = {
    val n = a.rows()
    val out = a.copy()
    for (j <- 0 until n) {
      val ej = new Array[Double](n); ej(j) = 1.0
      val col = e.apply(ej)
      for (i <- 0 until n) out.set(i, j, out.get(i, j) - col(i))
    }
    MatrixProducts.symmetricPart(out)
  }

  /** Spectral norm of a symmetric matrix. */
  def norm(a: ColumnMatrix): Double = eigenvalues(a).map(math.abs).max

  /** Spectral norm of `A - U diag(lambda) U^T`. */
  def error(a: ColumnMatrix, e: LowRankEigen): Double = norm(residual(a, e))

  /** The sorted-by-|l| spectrum. */
  def byMagnitude(l: Array[Double]): Array[Double] = l.sortBy(x => -math.abs(x))
}
