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

  /** The unit eigenvector of the eigenvalue of largest magnitude of a symmetric matrix, by Breeze. */
  def topEigenvector(a: ColumnMatrix): Array[Double] = {
    val es = eigSym(new DenseMatrix(a.rows(), a.cols(), a.data().clone()))
    val values = es.eigenvalues.toArray
    val top = values.indices.maxBy(i => math.abs(values(i)))
    es.eigenvectors(::, top).toArray
  }

  /** Spectral norm of any matrix (its largest singular value), by Breeze's SVD. */
  def spectralNorm(a: ColumnMatrix): Double =
    breeze.linalg.svd(new DenseMatrix(a.rows(), a.cols(), a.data().clone())).S(0)

  /** An orthonormal basis of `cols` Gaussian columns: a random subspace. */
  def randomBasis(n: Int, cols: Int, seed: Long): ColumnMatrix =
    QrDecomposition.orthonormalBasis(RangeFinder.gaussian(n, cols, seed))

  /**
   * An orthonormal basis of the range of `(I - u u^T) Q` (unit `u`): `Q` with the direction `u`
   * taken out, by Gram-Schmidt against `u` and the columns kept so far (twice, for orthogonality
   * to rounding), dropping the column that vanishes.
   */
  def withoutDirection(q: ColumnMatrix, u: Array[Double]): ColumnMatrix = {
    val n = q.rows()
    def dot(x: Array[Double], y: Array[Double]) = x.indices.map(i => x(i) * y(i)).sum
    val kept = scala.collection.mutable.ArrayBuffer[Array[Double]]()
    for (j <- 0 until q.cols()) {
      val v = Array.tabulate(n)(i => q.get(i, j))
      for (_ <- 0 until 2; b <- u +: kept.toSeq) {
        val c = dot(v, b)
        for (i <- 0 until n) v(i) -= c * b(i)
      }
      val norm = math.sqrt(dot(v, v))
      if (norm > 1e-6) kept += v.map(_ / norm)
    }
    val out = ColumnMatrix.zeros(n, kept.size)
    for (j <- kept.indices; i <- 0 until n) out.set(i, j, kept(j)(i))
    out
  }

  /**
   * A spectrum `+-decay^i` whose decay makes `factor * sigma_{k+1} = target` (norm 1): a matrix
   * on which an error bound of that form is `target`, tight enough to tell a good basis from a
   * bad one.
   */
  def decayingTo(n: Int, k: Int, factor: Double, target: Double): Array[Double] =
    alternating(n, math.pow(target / factor, 1.0 / k))

  /**
   * A symmetric matrix of norm 1 on which the Halko-Martinsson-Tropp expected-error bound
   * (eq. 1.9) for `l = k + p` columns, `factor * sigma_{k+1}` with
   * `factor = 1 + 4 sqrt(k + p) / (p - 1) sqrt(n)`, equals `target`: tight enough that a random
   * basis or one without the top eigenvector breaks it (on a slowly decaying spectrum the bound
   * exceeds 1 and any orthonormal basis meets it).
   */
  final case class TightBound(n: Int, k: Int, p: Int, target: Double = 0.25) {
    val factor: Double = 1 + 4 * math.sqrt(k + p) / (p - 1) * math.sqrt(n)
    val spectrum: Array[Double] = decayingTo(n, k, factor, target)
    val matrix: ColumnMatrix = KnownSpectrum.matrix(spectrum, 5L)
    /** Singular values, descending. */
    val sigma: Array[Double] = byMagnitude(spectrum).map(math.abs)
    val bound: Double = factor * sigma(k)
    /** The unit eigenvector of the eigenvalue of largest magnitude. */
    lazy val top: Array[Double] = topEigenvector(matrix)
  }

  /** The sorted-by-|l| spectrum. */
  def byMagnitude(l: Array[Double]): Array[Double] = l.sortBy(x => -math.abs(x))
}
