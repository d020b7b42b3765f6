package dev.sparknewton.linalg

import org.scalatest.funsuite.AnyFunSuite
import scala.util.Random

class DenseFactorizationSuite extends AnyFunSuite {

  private def gaussian(rows: Int, cols: Int, rnd: Random): ColumnMatrix =
    new ColumnMatrix(rows, cols, Array.fill(rows * cols)(rnd.nextGaussian()))

  private def maxAbsDiff(a: ColumnMatrix, b: ColumnMatrix): Double = {
    assert(a.rows() == b.rows() && a.cols() == b.cols())
    a.data().indices.map(i => math.abs(a.data()(i) - b.data()(i))).foldLeft(0.0)(math.max)
  }

  private def assertOrthonormalColumns(q: ColumnMatrix, tol: Double): Unit =
    assert(maxAbsDiff(MatrixProducts.transposeTimes(q, q), ColumnMatrix.identity(q.cols())) < tol)

  test("thin QR: Q^T Q = I, R upper triangular, Q R = A, A not modified") {
    val rnd = new Random(1)
    for ((n, m) <- Seq((50, 20), (30, 30), (7, 1), (5, 0))) {
      val a = gaussian(n, m, rnd)
      val before = a.data().clone()
      val qr = QrDecomposition.of(a)
      assert(a.data().sameElements(before))
      assert(qr.q().rows() == n && qr.q().cols() == m && qr.r().rows() == m)
      assertOrthonormalColumns(qr.q(), 1e-12)
      for (j <- 0 until m; i <- j + 1 until m) assert(qr.r().get(i, j) == 0.0)
      assert(maxAbsDiff(MatrixProducts.times(qr.q(), qr.r()), a) < 1e-12)
    }
  }

  test("thin QR of a rank-deficient matrix still has orthonormal Q spanning its columns") {
    val rnd = new Random(2)
    val b = gaussian(40, 3, rnd)
    val a = MatrixProducts.times(b, gaussian(3, 8, rnd)) // rank 3, 8 columns
    val q = QrDecomposition.orthonormalBasis(a)
    assertOrthonormalColumns(q, 1e-12)
    val residual = a.copy()
    Vectors.axpy(-1.0, MatrixProducts.times(q, MatrixProducts.transposeTimes(q, a)).data(), residual.data())
    assert(Vectors.norm(residual.data()) < 1e-12 * Vectors.norm(a.data()))
  }

  /** LAPACK's dgeqrf R of a (the reference the blocked factorization must match). */
  private def lapackR(a: ColumnMatrix): ColumnMatrix = {
    val (n, m) = (a.rows(), a.cols())
    val packed = a.data().clone()
    val tau = new Array[Double](m)
    val work = new Array[Double](64 * m + 1)
    val info = new org.netlib.util.intW(0)
    dev.ludovic.netlib.lapack.LAPACK.getInstance().dgeqrf(n, m, packed, n, tau, work, work.length, info)
    assert(info.`val` == 0)
    val r = ColumnMatrix.zeros(m, m)
    for (j <- 0 until m; i <- 0 to j) r.set(i, j, packed(i + j * n))
    r
  }

  test("blocked thin QR across several panels equals LAPACK's R, Q orthonormal, Q R = A") {
    val rnd = new Random(5)
    for ((n, m) <- Seq((300, 113), (200, 64), (70, 33), (65, 65), (40, 32))) {
      val a = gaussian(n, m, rnd)
      val qr = QrDecomposition.of(a)
      assertOrthonormalColumns(qr.q(), 1e-12)
      for (j <- 0 until m; i <- j + 1 until m) assert(qr.r().get(i, j) == 0.0)
      assert(maxAbsDiff(MatrixProducts.times(qr.q(), qr.r()), a) < 1e-11, s"Q R != A at $n x $m")
      val scale = math.sqrt(a.data().map(x => x * x).sum)
      assert(maxAbsDiff(qr.r(), lapackR(a)) < 1e-12 * scale, s"R differs from LAPACK's at $n x $m")
    }
  }

  test("blocked thin QR of a rank-deficient matrix with zero columns in later panels") {
    val rnd = new Random(6)
    val a = MatrixProducts.times(gaussian(150, 40, rnd), gaussian(40, 100, rnd)) // rank 40
    for (i <- 0 until 150) { a.set(i, 35, 0.0); a.set(i, 70, 0.0) } // H_j = I there
    val qr = QrDecomposition.of(a)
    assertOrthonormalColumns(qr.q(), 1e-12)
    assert(maxAbsDiff(MatrixProducts.times(qr.q(), qr.r()), a) < 1e-10 * Vectors.norm(a.data()))
  }

  test("thin QR rejects wide and non-finite matrices with the shapes in the message") {
    val wide = intercept[IllegalArgumentException](QrDecomposition.of(ColumnMatrix.zeros(3, 4)))
    assert(wide.getMessage.contains("3 x 4"))
    val nan = ColumnMatrix.zeros(3, 2); nan.set(1, 1, Double.NaN)
    assert(intercept[IllegalArgumentException](QrDecomposition.of(nan)).getMessage.contains("non-finite"))
  }

  private def randomSymmetric(n: Int, rnd: Random): ColumnMatrix =
    MatrixProducts.symmetricPart(gaussian(n, n, rnd))

  test("symmetric eigen: A V = V L, V orthonormal, sorted as asked, A not modified") {
    val rnd = new Random(3)
    val a = randomSymmetric(30, rnd)
    val before = a.data().clone()
    for (order <- SymmetricEigen.Order.values()) {
      val e = SymmetricEigen.of(a, order).get()
      assert(a.data().sameElements(before))
      val v = e.vectors(); val l = e.values()
      assertOrthonormalColumns(v, 1e-12)
      val av = MatrixProducts.times(a, v)
      val vl = v.copy()
      for (j <- 0 until 30; i <- 0 until 30) vl.set(i, j, v.get(i, j) * l(j))
      assert(maxAbsDiff(av, vl) < 1e-12)
      val keys = order match {
        case SymmetricEigen.Order.ASCENDING => l.toSeq
        case SymmetricEigen.Order.DESCENDING => l.toSeq.map(-_)
        case _ => l.toSeq.map(x => -math.abs(x))
      }
      assert(keys == keys.sorted, s"$order: ${l.mkString(", ")}")
    }
    // Against Breeze on the same matrix.
    val reference = breeze.linalg.eigSym(new breeze.linalg.DenseMatrix(30, 30, a.data().clone())).eigenvalues.toArray
    val ours = SymmetricEigen.of(a, SymmetricEigen.Order.ASCENDING).get().values()
    ours.indices.foreach(i => assert(math.abs(ours(i) - reference(i)) < 1e-12))
  }

  test("symmetric eigen by magnitude keeps negative eigenvalues in |lambda| order") {
    val d = Array(0.5, -3.0, 2.0, -0.1, 1.0)
    val a = ColumnMatrix.zeros(5, 5)
    d.indices.foreach(i => a.set(i, i, d(i)))
    val e = SymmetricEigen.of(a, SymmetricEigen.Order.DESCENDING_MAGNITUDE).get()
    assert(e.values().toSeq == Seq(-3.0, 2.0, 1.0, 0.5, -0.1))
  }

  test("symmetric eigen of a non-finite matrix is empty, of a non-square one an error") {
    val a = ColumnMatrix.identity(3); a.set(2, 0, Double.PositiveInfinity)
    assert(SymmetricEigen.of(a, SymmetricEigen.Order.ASCENDING).isEmpty)
    intercept[IllegalArgumentException](SymmetricEigen.of(ColumnMatrix.zeros(2, 3), SymmetricEigen.Order.ASCENDING))
  }

  test("Cholesky solves A x = b to rounding for SPD matrices of several sizes, reading only the lower triangle") {
    val rnd = new Random(11)
    for (n <- Seq(1, 2, 7, 64, 130)) {
      val g = gaussian(n + 3, n, rnd)
      val a = MatrixProducts.transposeTimes(g, g)
      a.addToDiagonal(1e-3)
      val b = Array.fill(n)(rnd.nextGaussian())
      // Garbage above the diagonal must not matter: only the lower triangle is read.
      val lowerOnly = a.copy()
      for (j <- 0 until n; i <- 0 until j) lowerOnly.set(i, j, 1e6 * rnd.nextGaussian())
      val before = lowerOnly.data().clone()
      val x = Cholesky.factor(lowerOnly).get().solve(b)
      assert(lowerOnly.data().sameElements(before), "input modified")
      val r = a.multiply(x)
      val residual = (0 until n).map(i => math.abs(r(i) - b(i))).max
      val scale = a.data().map(math.abs).max * x.map(math.abs).max
      assert(residual <= 1e-12 * scale, s"n = $n: residual $residual, scale $scale")
    }
  }

  test("Cholesky of a matrix that is not numerically positive definite is empty") {
    val indefinite = new ColumnMatrix(2, 2, Array(1.0, 2.0, 2.0, 1.0))        // eigenvalues 3, -1
    val singular = new ColumnMatrix(2, 2, Array(1.0, 1.0, 1.0, 1.0))          // eigenvalues 2, 0
    val negative = new ColumnMatrix(1, 1, Array(-1e-300))
    val nan = new ColumnMatrix(2, 2, Array(1.0, Double.NaN, Double.NaN, 1.0))
    val infinite = new ColumnMatrix(2, 2, Array(Double.PositiveInfinity, 0.0, 0.0, 1.0))
    for ((label, m) <- Seq("indefinite" -> indefinite, "singular" -> singular, "negative" -> negative,
        "nan" -> nan, "infinite" -> infinite)) {
      assert(Cholesky.factor(m).isEmpty, label)
    }
    intercept[IllegalArgumentException](Cholesky.factor(ColumnMatrix.zeros(2, 3)))
  }

  test("Cholesky inverse diagonal: equals diag(A^-1) from solves with unit vectors") {
    val rnd = new Random(7)
    val n = 9
    val g = gaussian(n, n, rnd)
    val a = MatrixProducts.transposeTimes(g, g)
    a.addToDiagonal(0.1)
    val before = a.data().clone()
    val c = Cholesky.factor(a).get()
    val diag = c.inverseDiagonal()
    assert(a.data().sameElements(before))
    for (j <- 0 until n) {
      val e = Array.tabulate(n)(i => if (i == j) 1.0 else 0.0)
      val x = c.solve(e)(j)
      assert(math.abs(diag(j) - x) <= 1e-12 * x, s"entry $j: ${diag(j)} vs $x")
    }
  }
}
