package dev.sparknewton.models

import dev.sparknewton.TestData
import dev.sparknewton.data.RowBlock
import org.scalatest.funsuite.AnyFunSuite
import scala.util.Random

/**
 * The single-output kernels (binary logistic, least squares): the one-sweep row products (two
 * products; a Hessian-vector product) against the sweeps they replace, and the
 * logistic loss's vector and scalar forms of the gradient pass's per-row work and of the line
 * search's values against their definitions ({@link OutputLoss}'s loops over
 * {@link OutputLoss#evaluate} and {@link OutputLoss#loss}), at margins where the naive forms
 * overflow or lose their digits, with rows of weight 0 whose loss is not finite.
 */
class SingleOutputKernelsSuite extends AnyFunSuite {
  private def relErr(a: Double, b: Double) = math.abs(a - b) / math.max(math.abs(b), 1e-300)

  for (sparse <- Seq(true, false); intercept <- Seq(true, false)) {
    test(s"multiplyTwo equals two multiply calls bit for bit (sparse=$sparse, intercept=$intercept)") {
      val d = 23
      val rows = TestData.rows(n = 101, d = d, density = if (sparse) 0.3 else 1.0, seed = 3L)
      val rnd = new Random(4)
      val m = d + (if (intercept) 1 else 0)
      val a = Array.fill(m)(rnd.nextGaussian())
      val b = Array.fill(m)(rnd.nextGaussian() * 1e3)
      TestData.blocks(rows, d, 37, sparse).forEach { block =>
        val n = block.numRows()
        val (za, zb, ta, tb) = (new Array[Double](n), new Array[Double](n), new Array[Double](n),
          new Array[Double](n))
        block.multiply(a, intercept, za)
        block.multiply(b, intercept, zb)
        block.multiplyTwo(a, b, intercept, ta, tb)
        assert(ta.toSeq == za.toSeq && tb.toSeq == zb.toSeq)
      }
    }
  }

  for (sparse <- Seq(true, false); intercept <- Seq(true, false)) {
    test(s"addScaledRowProducts equals multiply, scale, addTransposeTimes bit for bit (sparse=$sparse, intercept=$intercept)") {
      val d = 23
      val rows = TestData.rows(n = 101, d = d, density = if (sparse) 0.3 else 1.0, seed = 7L)
      val rnd = new Random(8)
      val m = d + (if (intercept) 1 else 0)
      val v = Array.fill(m)(rnd.nextGaussian())
      val start = Array.fill(m)(rnd.nextGaussian())
      val (twoSweeps, oneSweep) = (start.clone(), start.clone())
      TestData.blocks(rows, d, 37, sparse).forEach { block =>
        val n = block.numRows()
        // Some rows scaled by 0 (skipped by addTransposeTimes), the rest of mixed sign and size.
        val scale = Array.tabulate(n)(i => if (i % 6 == 0) 0.0 else rnd.nextGaussian() * 10)
        val u = new Array[Double](n)
        block.multiply(v, intercept, u)
        block.addTransposeTimes(Array.tabulate(n)(i => u(i) * scale(i)), intercept, twoSweeps)
        block.addScaledRowProducts(v, scale, intercept, oneSweep)
      }
      assert(oneSweep.toSeq == twoSweeps.toSeq)
      assert(oneSweep.toSeq != start.toSeq)
    }
  }

  for (sparse <- Seq(true, false); intercept <- Seq(true, false)) {
    test(s"row ranges of multiply and addTransposeTimes equal the whole-block calls (sparse=$sparse, intercept=$intercept)") {
      val d = 23
      val rows = TestData.rows(n = 101, d = d, density = if (sparse) 0.3 else 1.0, seed = 11L)
      val rnd = new Random(12)
      val m = d + (if (intercept) 1 else 0)
      val coef = Array.fill(m)(rnd.nextGaussian())
      val block = TestData.blocks(rows, d, 101, sparse).get(0)
      val n = block.numRows()
      val whole = new Array[Double](n)
      block.multiply(coef, intercept, whole)
      val ranged = Array.fill(n)(Double.NaN)
      val cuts = Seq(0, 1, 17, 17, 64, 100, 101)
      cuts.sliding(2).foreach { case Seq(from, to) =>
        block.multiply(coef, intercept, ranged, from, to)
      }
      assert(ranged.toSeq == whole.toSeq)
      // Rows with s = 0 are skipped; the rest of mixed sign and size.
      val s = Array.tabulate(n)(i => if (i % 5 == 0) 0.0 else rnd.nextGaussian() * 100)
      val start = Array.fill(m)(rnd.nextGaussian())
      val (one, many) = (start.clone(), start.clone())
      block.addTransposeTimes(s, intercept, one)
      cuts.sliding(2).foreach { case Seq(from, to) =>
        block.addTransposeTimes(s, intercept, many, from, to)
      }
      // Every feature's entry bit for bit; the intercept's adds one partial sum per range.
      assert(many.take(d).toSeq == one.take(d).toSeq)
      assert(many.take(d).toSeq != start.take(d).toSeq)
      if (intercept) {
        assert(relErr(many(d) - start(d), one(d) - start(d)) < 1e-12)
      }
      assertThrows[IndexOutOfBoundsException](block.multiply(coef, intercept, ranged, 5, n + 1))
      assertThrows[IndexOutOfBoundsException](block.addTransposeTimes(s, intercept, many, 7, 6))
    }
  }

  for (sparse <- Seq(true, false); intercept <- Seq(true, false)) {
    test(s"the tiled single-output gradient pass equals its two sweeps (sparse=$sparse, intercept=$intercept)") {
      // 1,003 rows of ~ 25 stored values: several tiles and a partial last one.
      val d = 400
      val rows = TestData.rows(n = 1003, d = d, density = if (sparse) 0.06 else 1.0, seed = 13L)
      val block = TestData.blocks(rows, d, 1003, sparse).get(0)
      val n = block.numRows()
      val tile = LinearModel.tileRows(block)
      assert(tile < n && n % tile != 0, s"tile of $tile rows")
      val model = new LinearModel(d, intercept, LogisticLoss.INSTANCE)
      val rnd = new Random(14)
      val theta = Array.fill(model.dimension())(rnd.nextGaussian() * 0.3)
      val p = model.dimension()
      def run(pass: Model.BlockPass) = {
        val (g, st, grad) = (new Array[Double](n), new Array[Double](n), new Array[Double](p))
        val loss = pass.addLossGradient(g, st, new dev.sparknewton.linalg.ColumnMatrix(p, 1, grad))
        (loss, g, st, grad, pass.outputs().clone())
      }
      // The default pass: the margins, the loss's rows over the whole block, the transposed
      // product.
      val twoSweeps = new Model {
        override def dimension() = model.dimension()
        override def numOutputs() = 1
        override def loss() = model.loss()
        override def penalized() = model.penalized()
        override def outputs(b: RowBlock, t: Array[Double], o: Array[Double]) =
          model.outputs(b, t, o)
        override def jacobianTimes(b: RowBlock, t: Array[Double],
            v: dev.sparknewton.linalg.ColumnMatrix, o: Array[Double]) =
          model.jacobianTimes(b, t, v, o)
        override def addJacobianTransposeTimes(b: RowBlock, t: Array[Double], s: Array[Double],
            o: dev.sparknewton.linalg.ColumnMatrix) = model.addJacobianTransposeTimes(b, t, s, o)
        override def addGaussNewtonDiagonal(b: RowBlock, t: Array[Double], s: Array[Double],
            o: Array[Double]) = model.addGaussNewtonDiagonal(b, t, s, o)
        override def addSquaredRowGradients(b: RowBlock, t: Array[Double], u: Array[Double],
            o: Array[Double]) = model.addSquaredRowGradients(b, t, u, o)
        override def addGaussNewtonLower(b: RowBlock, t: Array[Double], s: Array[Double],
            o: dev.sparknewton.linalg.ColumnMatrix) = model.addGaussNewtonLower(b, t, s, o)
      }
      val (l1, g1, s1, grad1, z1) = run(model.forward(block, theta))
      val (l2, g2, s2, grad2, z2) = run(twoSweeps.forward(block, theta))
      assert(z1.toSeq == z2.toSeq)
      assert(g1.toSeq == g2.toSeq)
      assert(s1.toSeq == s2.toSeq)
      assert(grad1.take(d).toSeq == grad2.take(d).toSeq)
      assert(relErr(l1, l2) < 1e-12)
      if (intercept) {
        assert(relErr(grad1(d), grad2(d)) < 1e-10)
      }
    }
  }

  /** One block of n rows whose labels and weights are given; its features do not matter here. */
  private def block(labels: Array[Double], weights: Array[Double]) = {
    val rows = labels.indices.map(i => TestData.Row(Array(0), Array(1.0), labels(i), weights(i)))
    TestData.blocks(rows, 1, labels.length, true).get(0)
  }

  test("the logistic line losses, vector and scalar, against the definition at extreme margins") {
    val arch = System.getProperty("os.arch")
    val vectorHere = (arch == "amd64" || arch == "x86_64") &&
      ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent
    assert(LogisticKernels.VECTOR == vectorHere, "the tests run the form this JVM runs")
    val rnd = new Random(5)
    // 8 k + 5 rows: whole vectors and a tail for 4 or 8 lanes.
    for (n <- Seq(3, 45, 203)) {
      val z = Array.tabulate(n)(i => i % 9 match {
        case 0 => 800.0
        case 1 => -800.0
        case 2 => 40.0
        case 3 => -40.0
        case 4 => 1e-300
        case _ => rnd.nextGaussian() * 5
      })
      val u = Array.tabulate(n)(_ => rnd.nextGaussian() * 10)
      val labels = Array.tabulate(n)(i => (i / 2 % 2).toDouble)
      val weights = Array.tabulate(n)(i => if (i % 7 == 6) 0.0 else 0.5 + rnd.nextDouble())
      // Rows of weight 0 whose margin is infinite at every step add nothing (0 * NaN would): one
      // in the first whole vector, one in the tail.
      for (i <- Seq(1, n - 1)) {
        z(i) = Double.PositiveInfinity
        weights(i) = 0.0
        labels(i) = 1.0
      }
      val steps = Array(1.0, 0.5, 0.25, 1e-3, 0.0, -0.5, 2.0)
      val b = block(labels, weights)
      val expected = new Array[Double](steps.length)
      val expectedWeights = new OutputLoss {
        def numOutputs() = 1
        def stateWidth() = 1
        def lowerBound() = 0.0
        def loss(zz: Array[Double], offset: Int, stride: Int, label: Double) =
          LogisticLoss.INSTANCE.loss(zz, offset, stride, label)
        def evaluate(zz: Array[Double], offset: Int, stride: Int, label: Double,
            g: Array[Double], s: Array[Double], so: Int) = throw new UnsupportedOperationException
        def applyCurvature(s: Array[Double], so: Int, w: Double, v: Array[Double], o: Int,
            stride: Int, out: Array[Double]) = throw new UnsupportedOperationException
        def curvature(s: Array[Double], so: Int, k: Int, l: Int) = throw new UnsupportedOperationException
        def curvatureFactor(s: Array[Double], so: Int, w: Double, m: Int, out: Array[Double],
            o: Int, stride: Int) = throw new UnsupportedOperationException
      }.addLineLosses(b, z, u, steps, expected)
      assert(expected.forall(v => v > 0.0 && !v.isInfinite))
      val vector = new Array[Double](steps.length)
      val viaLoss = new Array[Double](steps.length)
      if (vectorHere) {
        assert(LogisticKernelsVector.addLineLosses(b, z, u, steps, vector) == expectedWeights)
        steps.indices.foreach(s => assert(relErr(vector(s), expected(s)) < 1e-14,
          s"n=$n step ${steps(s)}: ${vector(s)} against ${expected(s)}"))
      }
      assert(LogisticLoss.INSTANCE.addLineLosses(b, z, u, steps, viaLoss) == expectedWeights)
      steps.indices.foreach(s => assert(relErr(viaLoss(s), expected(s)) < 1e-14))
      // The sums add to what they are given.
      val twice = expected.clone()
      LogisticLoss.INSTANCE.addLineLosses(b, z, u, steps, twice)
      steps.indices.foreach(s => assert(relErr(twice(s), 2 * expected(s)) < 1e-14))
    }
  }

  test("the logistic gradient pass's rows, vector and scalar, against evaluate row by row") {
    val vectorHere = LogisticKernels.VECTOR
    val rnd = new Random(6)
    for (n <- Seq(5, 45, 203)) {
      val z = Array.tabulate(n)(i => i % 7 match {
        case 0 => 800.0
        case 1 => -800.0
        case 2 => 37.5
        case 3 => -37.5
        case 4 => 0.0
        case _ => rnd.nextGaussian() * 4
      })
      val labels = Array.tabulate(n)(i => (i / 2 % 2).toDouble)
      val weights = Array.tabulate(n)(i => if (i % 5 == 4) 0.0 else 0.5 + rnd.nextDouble())
      val b = block(labels, weights)
      // The definition: evaluate row by row, then the weight.
      val g = new Array[Double](n)
      val st = new Array[Double](n)
      var loss = 0.0
      for (i <- 0 until n) {
        loss += weights(i) * LogisticLoss.INSTANCE.evaluate(z, i, n, labels(i), g, st, i)
        g(i) = weights(i) * g(i)
      }
      assert(loss > 0.0 && !loss.isInfinite && st.forall(v => v >= 0.0 && v <= 0.25))
      def check(form: String, run: (Array[Double], Array[Double]) => Double, exact: Boolean): Unit = {
        val (g2, st2) = (Array.fill(n)(Double.NaN), Array.fill(n)(Double.NaN))
        val l2 = run(g2, st2)
        if (exact) {
          assert(l2 == loss && g2.toSeq == g.toSeq && st2.toSeq == st.toSeq, form)
        } else {
          assert(relErr(l2, loss) < 1e-14, s"$form n=$n: loss $l2 against $loss")
          for (i <- 0 until n) {
            // exp and log1p within an ulp or two; at |m| = 800 both are 0 or exactly 1 - y.
            assert(math.abs(g2(i) - g(i)) <= 4 * math.ulp(g(i)) + 1e-300, s"$form gradient $i")
            assert(math.abs(st2(i) - st(i)) <= 4 * math.ulp(st(i)) + 1e-300, s"$form state $i")
          }
        }
      }
      if (vectorHere) {
        check("vector", (gg, ss) => LogisticKernelsVector.evaluateRows(b, 0, n, z, gg, ss),
          exact = false)
      }
      check("evaluateBlock", (gg, ss) => LogisticLoss.INSTANCE.evaluateBlock(b, z, gg, ss),
        exact = !vectorHere)
    }
  }

  private def ulps(a: Double, b: Double): Double =
    if (a == b) 0.0 else math.abs(a - b) / math.ulp(b)

  /** softplus over one array: (exp(-|m|), log(1 + exp(m))) for each margin. */
  private def softplus(m: Array[Double]): (Array[Double], Array[Double]) = {
    val length = LogisticKernelsVector.padded(m.length)
    val (e, l) = (new Array[Double](length), new Array[Double](length))
    LogisticKernelsVector.softplus(java.util.Arrays.copyOf(m, length), length, e, l)
    (e.take(m.length), l.take(m.length))
  }

  test("the vector exp and log1p against StrictMath: within 2 ulp, the edges exact") {
    assume(LogisticKernels.VECTOR, "no vector form on this JVM")
    val rnd = new Random(9)
    val ms = Array.tabulate(40000)(i => i % 5 match {
      case 0 => -rnd.nextDouble() * 746
      case 1 => rnd.nextGaussian()
      case 2 => -math.pow(10, -rnd.nextDouble() * 300)
      case 3 => -math.log(math.sqrt(2) - 1) * (1 + (rnd.nextDouble() - 0.5) * 1e-9)
      case _ => rnd.nextGaussian() * 40
    }) ++ Array(0.0, -0.0, -1e-300, 1e-300, -708.0, -709.9, -744.0, -745.1, -745.2, -746.0, 746.0,
      -1e6, 1e6, -36.7, 36.7)
    val (e, l) = softplus(ms)
    ms.indices.foreach { i =>
      val wantE = StrictMath.exp(-math.abs(ms(i)))
      // Below the normal range (|m| > 708.4) a result has fewer digits: an ulp of the result.
      assert(ulps(e(i), wantE) <= 2.0, s"exp(${-math.abs(ms(i))}) = ${e(i)}, StrictMath $wantE")
      // log1p of our e, so that the error of exp does not count twice.
      val wantL = math.max(ms(i), 0.0) + StrictMath.log1p(e(i))
      assert(ulps(l(i), wantL) <= 2.0, s"log(1 + exp(${ms(i)})) = ${l(i)}, StrictMath $wantL")
    }
    val (e2, l2) = softplus(Array(Double.NegativeInfinity, Double.PositiveInfinity, Double.NaN, 0.0))
    assert(e2.toSeq.map(_.toString) == Seq("0.0", "0.0", "NaN", "1.0"))
    assert(l2.toSeq.map(_.toString) == Seq("0.0", "Infinity", "NaN", math.log(2).toString))
  }

  test("the vector kernels give the same bits before and after the JIT compiles them") {
    assume(LogisticKernels.VECTOR, "no vector form on this JVM")
    // The Vector API's own EXP and LOG1P would fail this: interpreted they are Math's, compiled
    // Intel SVML's, and the two differ in the last bit.
    val rnd = new Random(10)
    val n = 203
    val z = Array.fill(n)(rnd.nextGaussian() * 6)
    val u = Array.fill(n)(rnd.nextGaussian())
    val b = block(Array.tabulate(n)(i => (i % 2).toDouble), Array.fill(n)(1.0))
    val steps = Array(1.0, 0.5, 0.25)
    def once(): Seq[Long] = {
      val (g, st, sums) = (new Array[Double](n), new Array[Double](n), new Array[Double](3))
      val loss = LogisticKernelsVector.evaluateRows(b, 0, n, z, g, st)
      LogisticKernelsVector.addLineLosses(b, z, u, steps, sums)
      (Seq(loss) ++ g ++ st ++ sums).map(java.lang.Double.doubleToRawLongBits)
    }
    val first = once()
    (0 until 3000).foreach(_ => once())
    assert(once() == first)
  }
}
