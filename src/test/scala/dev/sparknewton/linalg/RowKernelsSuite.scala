package dev.sparknewton.linalg

import org.scalatest.funsuite.AnyFunSuite
import scala.util.Random

/**
 * The dense row kernels' forms: the row product against an exact sum (BigDecimal) within the
 * bound of a floating-point sum, the axpy against its definition bit for bit, whole vectors and
 * tails of every length, offsets; and the same bits before and after the JIT compiles them.
 */
class RowKernelsSuite extends AnyFunSuite {
  private val vectorHere = {
    val arch = System.getProperty("os.arch")
    (arch == "amd64" || arch == "x86_64") &&
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent &&
      !java.lang.Boolean.getBoolean("sparknewton.scalarKernels")
  }

  test("the form that runs is the one this JVM has") {
    assert(RowKernels.VECTOR == vectorHere)
  }

  private def exactDot(x: Array[Double], offset: Int, y: Array[Double], n: Int): BigDecimal =
    (0 until n).map(j => BigDecimal(x(offset + j)) * BigDecimal(y(j))).sum

  for ((form, dot) <- Seq[(String, (Array[Double], Int, Array[Double], Int) => Double)](
      "RowKernels" -> RowKernels.dot, "scalar" -> Vectors.dot4) ++
      (if (vectorHere) Seq[(String, (Array[Double], Int, Array[Double], Int) => Double)](
        "vector" -> RowKernelsVector.dot) else Nil)) {
    test(s"$form dot: within the bound of a floating-point sum of the exact products") {
      val rnd = new Random(21)
      for (n <- (0 to 40) ++ Seq(63, 64, 65, 100, 1000); offset <- Seq(0, 3)) {
        // Terms of mixed sign and size, so that the order of the sum matters.
        val x = Array.fill(offset + n)(rnd.nextGaussian() * math.pow(10, rnd.nextInt(7) - 3))
        val y = Array.fill(n)(rnd.nextGaussian())
        val got = dot(x, offset, y, n)
        val exact = exactDot(x, offset, y, n)
        val absSum = (0 until n).map(j => math.abs(x(offset + j) * y(j))).sum
        // |error| <= (n + 1) u sum |x_j y_j| for any order of the sum (u = 2^-53).
        val bound = (n + 1) * math.ulp(1.0) / 2 * absSum
        assert((BigDecimal(got) - exact).abs <= BigDecimal(bound), s"$form n=$n offset=$offset")
      }
    }
  }

  test("the vector dot adds in vector partial sums, not in the scalar form's four") {
    assume(vectorHere, "no vector form on this JVM")
    // Terms of very different sizes: which partial sum each goes to decides the rounding, so the
    // two forms' bits differ on some of these sums.
    val rnd = new Random(22)
    val x = Array.fill(101)(rnd.nextGaussian() * 1e8) ++ Array.fill(3)(1e-9)
    val y = Array.fill(x.length)(rnd.nextGaussian())
    val differs = (0 until 50).exists { k =>
      val xs = x.map(_ * (1 + k * 1e-3))
      RowKernelsVector.dot(xs, 0, y, xs.length) != Vectors.dot4(xs, 0, y, xs.length)
    }
    assert(differs, "the two forms gave the same bits on 50 sums: is the vector form running?")
  }

  test("axpy: y + a x at every index, bit for bit its definition, and nothing past length") {
    val rnd = new Random(23)
    for (n <- (0 to 40) ++ Seq(100, 1000); offset <- Seq(0, 5)) {
      val a = rnd.nextGaussian()
      val x = Array.fill(offset + n)(rnd.nextGaussian())
      val y = Array.fill(n + 3)(rnd.nextGaussian())
      val got = y.clone()
      RowKernels.axpy(a, x, offset, got, n)
      for (j <- 0 until n) {
        // The vector form rounds once (a fused multiply-add), the scalar form twice.
        val want = if (vectorHere) Math.fma(a, x(offset + j), y(j)) else y(j) + a * x(offset + j)
        assert(got(j) == want, s"n=$n offset=$offset j=$j")
      }
      assert(got.drop(n).toSeq == y.drop(n).toSeq)
    }
  }

  test("the row kernels give the same bits before and after the JIT compiles them") {
    val rnd = new Random(24)
    val x = Array.fill(205)(rnd.nextGaussian())
    val y = Array.fill(203)(rnd.nextGaussian())
    def once(): Seq[Long] = {
      val z = y.clone()
      RowKernels.axpy(0.37, x, 2, z, 203)
      (Seq(RowKernels.dot(x, 1, y, 203), RowKernels.dot(x, 0, y, 13)) ++ z)
        .map(java.lang.Double.doubleToRawLongBits)
    }
    val first = once()
    (0 until 20000).foreach(_ => once())
    assert(once() == first)
  }
  test("feature-major row kernels: the scalar loop's bits for every width, in both forms") {
    val rnd = new Random(23)
    val rows = 50
    for (width <- (1 to 20) ++ Seq(33, 80)) {
      val vt = Array.fill(rows * width)(rnd.nextGaussian() * math.pow(10, rnd.nextInt(5) - 2))
      val stored = 1 + rnd.nextInt(30)
      val columns = Array.fill(stored)(rnd.nextInt(rows))
      val values = Array.fill(stored)(rnd.nextGaussian())
      val from = rnd.nextInt(3)
      val start = Array.fill(width)(rnd.nextGaussian())
      // The definition: each entry adds x_k vt[j_k, q] in k order, a product rounded, then added.
      val want = start.clone()
      for (k <- from until stored; q <- 0 until width) {
        want(q) = want(q) + values(k) * vt(columns(k) * width + q)
      }
      val got = start.clone()
      RowKernels.gatherRow(values, columns, from, stored, vt, width, got)
      assert(got.sameElements(want), s"gather, width $width")
      val s = Array.fill(width)(rnd.nextGaussian())
      val gt = vt.clone()
      val wantGt = vt.clone()
      for (k <- from until stored; q <- 0 until width) {
        wantGt(columns(k) * width + q) = wantGt(columns(k) * width + q) + values(k) * s(q)
      }
      RowKernels.scatterRow(values, columns, from, stored, s, width, gt)
      assert(gt.sameElements(wantGt), s"scatter, width $width")
    }
    val padded = RowKernels.paddedWidth(10)
    assert(padded >= 10 && padded < 10 + 8)
    if (vectorHere) {
      assert(padded % RowKernelsVector.lanes() == 0)
    } else {
      assert(padded == 10)
    }
  }
}
