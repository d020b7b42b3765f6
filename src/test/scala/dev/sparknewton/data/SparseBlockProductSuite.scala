package dev.sparknewton.data

import dev.sparknewton.TestData
import dev.sparknewton.linalg.ColumnMatrix
import org.scalatest.funsuite.AnyFunSuite
import scala.util.Random

/**
 * [[SparseRowBlock]]'s two block products, `X~ V` and `out += X~^T S` (`X~ = [X, 1]` with the
 * intercept), on both layouts (column-outer gathers and row-major axpys, each forced through its
 * package-private method, and the public method that picks one by [[SparseRowBlock.rowMajorPays]])
 * against explicit loops over the dense rows and against [[DenseRowBlock]] of the same rows.
 * Rows: one empty, one with every feature, the rest with 1 to 9 stored values (every remainder
 * of the row-major product's four-at-a-time sweep). The two layouts agree bit for bit: each entry
 * adds the same terms in the same order.
 */
class SparseBlockProductSuite extends AnyFunSuite {
  private val d = 11
  private val n = 23

  private val rows: IndexedSeq[TestData.Row] = {
    val rnd = new Random(17)
    (0 until n).map { i =>
      val idx =
        if (i == 4) Array.empty[Int]
        else if (i == 9) (0 until d).toArray
        else rnd.shuffle((0 until d).toList).take(1 + i % 9).sorted.toArray
      TestData.Row(idx, idx.map(_ => rnd.nextGaussian()), 0.0, 1.0)
    }
  }
  private val sparse = TestData.blocks(rows, d, n, sparse = true).get(0).asInstanceOf[SparseRowBlock]
  private val dense = TestData.blocks(rows, d, n, sparse = false).get(0)

  /** Row `i` of `X~` as a dense array of `m` entries. */
  private def row(i: Int, m: Int): Array[Double] = {
    val z = new Array[Double](m)
    rows(i).indices.indices.foreach(k => z(rows(i).indices(k)) = rows(i).values(k))
    if (m > d) z(d) = 1.0
    z
  }

  private def close(actual: Double, expected: Double, scale: Double, what: String): Unit =
    assert(math.abs(actual - expected) <= 1e-12 * (1.0 + scale), s"$what: $actual vs $expected")

  private val layouts: Seq[(String, (SparseRowBlock, ColumnMatrix, Boolean, Array[Double]) => Unit,
      (SparseRowBlock, Array[Double], Boolean, ColumnMatrix) => Unit)] = Seq(
    ("column-outer", (b, v, ic, out) => b.multiplyBlockColumnOuter(v, ic, out),
      (b, s, ic, out) => b.addTransposeTimesBlockColumnOuter(s, ic, out)),
    ("row-major", (b, v, ic, out) => b.multiplyBlockRowMajor(v, ic, out),
      (b, s, ic, out) => b.addTransposeTimesBlockRowMajor(s, ic, out)),
    ("chosen by rule", (b, v, ic, out) => b.multiplyBlock(v, ic, out),
      (b, s, ic, out) => b.addTransposeTimesBlock(s, ic, out)))

  for ((layout, multiply, transposeTimes) <- layouts; intercept <- Seq(false, true); r <- Seq(1, 3, 37)) {
    val m = if (intercept) d + 1 else d

    test(s"X~ V against explicit loops and the dense block ($layout, intercept=$intercept, r=$r)") {
      val rnd = new Random(31 * r + m)
      val v = ColumnMatrix.ofColumns(Array.fill(r)(Array.fill(m)(rnd.nextGaussian())): _*)
      val out = Array.fill(n * r)(Double.NaN) // every entry is written, none read
      multiply(sparse, v, intercept, out)
      val viaDense = new Array[Double](n * r)
      dense.multiplyBlock(v, intercept, viaDense)
      for (i <- 0 until n; c <- 0 until r) {
        val z = row(i, m)
        val expected = (0 until m).map(j => z(j) * v.get(j, c)).sum
        val scale = (0 until m).map(j => math.abs(z(j) * v.get(j, c))).sum
        close(out(c * n + i), expected, scale, s"row $i column $c")
        close(out(c * n + i), viaDense(c * n + i), scale, s"dense block, row $i column $c")
      }
      val reference = new Array[Double](n * r)
      sparse.multiplyBlockColumnOuter(v, intercept, reference)
      assert(java.util.Arrays.equals(out, reference), "not bit for bit the column-outer sums")
    }

    test(s"out += X~^T S against explicit loops and the dense block ($layout, intercept=$intercept, r=$r)") {
      val rnd = new Random(7 * r + m)
      val s = Array.fill(n * r)(rnd.nextGaussian())
      // Zero rows of S (skipped by the row-major layout) and single zero entries.
      for (c <- 0 until r) {
        s(c * n + 2) = 0.0
        s(c * n + 9) = 0.0
      }
      s((r - 1) * n + 5) = 0.0
      val start = Array.fill(m * r)(rnd.nextGaussian())
      start(0) = 0.0
      val out = new ColumnMatrix(m, r, start.clone())
      transposeTimes(sparse, s, intercept, out)
      val viaDense = new ColumnMatrix(m, r, start.clone())
      dense.addTransposeTimesBlock(s, intercept, viaDense)
      for (j <- 0 until m; c <- 0 until r) {
        val terms = (0 until n).map(i => row(i, m)(j) * s(c * n + i))
        val expected = start(c * m + j) + terms.sum
        val scale = math.abs(start(c * m + j)) + terms.map(math.abs).sum
        close(out.get(j, c), expected, scale, s"entry ($j, $c)")
        close(out.get(j, c), viaDense.get(j, c), scale, s"dense block, entry ($j, $c)")
      }
      val reference = new ColumnMatrix(m, r, start.clone())
      sparse.addTransposeTimesBlockColumnOuter(s, intercept, reference)
      assert(out.sameEntries(reference), "not bit for bit the column-outer sums")
    }
  }

  /** `n` rows holding every one of `d` features. */
  private def full(n: Int, d: Int): SparseRowBlock =
    new SparseRowBlock(0L, d, new Array[Double](n), Array.fill(n)(1.0), Array.tabulate(n + 1)(_ * d),
      Array.tabulate(n * d)(_ % d), Array.fill(n * d)(1.0))

  test("the rule: row-major for a small, wide dense side and many stored values per feature") {
    val b = full(40, 100) // 4,000 stored values, 39.6 per row of a 101 x r dense side
    assert(b.rowMajorMultiplyPays(101, 16) && !b.rowMajorTransposePays(101, 16), "r = 16")
    assert(b.rowMajorMultiplyPays(101, 32) && b.rowMajorTransposePays(101, 32), "r = 32")
    assert(!b.rowMajorMultiplyPays(101, 8) && !b.rowMajorTransposePays(101, 8), "r = 8: too narrow")
    val few = full(3, 100) // 2.97 per row of the dense side
    assert(!few.rowMajorMultiplyPays(101, 128) && !few.rowMajorTransposePays(101, 128), "few stored")
    val tall = full(40, 2000) // 2001 x 128 doubles: 2 MB, beyond the cache bound
    assert(tall.rowMajorMultiplyPays(2001, 64) && tall.rowMajorTransposePays(2001, 64), "1 MB")
    assert(!tall.rowMajorMultiplyPays(2001, 128) && !tall.rowMajorTransposePays(2001, 128), "2 MB")
    // The MNIST network's first layer, 160 rows at 19% of 784 pixels: row-major both ways.
    val mnist = full(160, 149)
    assert(mnist.rowMajorMultiplyPays(785, 128) && mnist.rowMajorTransposePays(785, 128), "MNIST")
  }

  test("a block with no rows and a block with no stored values") {
    val empty = new SparseRowBlock(0L, 3, Array.empty, Array.empty, Array(0), Array.empty, Array.empty)
    val blank = new SparseRowBlock(0L, 3, Array(0.0, 0.0), Array(1.0, 1.0), Array(0, 0, 0),
      Array.empty, Array.empty)
    val v = ColumnMatrix.ofColumns(Array(1.0, 2.0, 3.0, 4.0), Array(5.0, 6.0, 7.0, 8.0))
    for (b <- Seq(empty, blank)) {
      val out = new Array[Double](b.numRows() * 2)
      b.multiplyBlockRowMajor(v, true, out)
      // Each row is the intercept row of V: 4 in column 0, 8 in column 1.
      assert(out.sameElements(Array.fill(b.numRows())(4.0) ++ Array.fill(b.numRows())(8.0)))
      val g = ColumnMatrix.zeros(4, 2)
      b.addTransposeTimesBlockRowMajor(Array.fill(b.numRows() * 2)(1.5), true, g)
      assert(g.data().sameElements(Array(0, 0, 0, 1.5 * b.numRows(), 0, 0, 0, 1.5 * b.numRows())))
    }
  }
}
