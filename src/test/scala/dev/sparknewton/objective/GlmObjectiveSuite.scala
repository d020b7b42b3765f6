package dev.sparknewton.objective

import dev.sparknewton.{SharedSpark, TestData}
import dev.sparknewton.data.{RowBlock, RowSample}
import dev.sparknewton.distributed.RddBlockFold
import dev.sparknewton.linalg.{ColumnMatrix, Vectors}
import dev.sparknewton.models.{LogisticLoss, SquaredLoss}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

class GlmObjectiveSuite extends AnyFunSuite with SharedSpark {

  private val d = 12
  private val rows = TestData.rows(n = 300, d = d, density = 0.4, seed = 7L)

  private def localObjective(intercept: Boolean, sparse: Boolean, lambda: Double = 0.1,
      blockRows: Int = 37): SecondOrderObjective = {
    val fold = new LocalBlockFold(TestData.blocks(rows, d, blockRows, sparse))
    val glm = new GlmObjective(LogisticLoss.INSTANCE, intercept, d, fold, 0L)
    new L2Regularized(glm, lambda, d)
  }

  private def relErr(a: Double, b: Double): Double = math.abs(a - b) / math.max(1.0, math.abs(b))

  private def maxRelErr(a: Array[Double], b: Array[Double]): Double = {
    assert(a.length == b.length)
    a.indices.map(i => relErr(a(i), b(i))).max
  }

  for (intercept <- Seq(false, true); sparse <- Seq(false, true)) {
    val label = s"intercept=$intercept sparse=$sparse"

    test(s"gradient matches central finite differences ($label)") {
      val f = localObjective(intercept, sparse)
      val rnd = new Random(11)
      val w = TestData.randomVector(f.dimension(), rnd)
      val g = f.evaluate(w).gradient()
      val h = 1e-6
      for (j <- 0 until f.dimension()) {
        val wp = w.clone(); wp(j) += h
        val wm = w.clone(); wm(j) -= h
        val fd = (f.evaluate(wp).value() - f.evaluate(wm).value()) / (2 * h)
        assert(math.abs(fd - g(j)) < 1e-7, s"coordinate $j: fd $fd vs gradient ${g(j)}")
      }
    }

    test(s"Hv matches finite differences of the gradient, and is symmetric ($label)") {
      val f = localObjective(intercept, sparse)
      val rnd = new Random(12)
      val w = TestData.randomVector(f.dimension(), rnd)
      val v = TestData.randomVector(f.dimension(), rnd)
      val u = TestData.randomVector(f.dimension(), rnd)
      val e = f.evaluate(w)
      val hv = e.hessianVectorProduct(v)
      val h = 1e-5
      val gp = f.evaluate(Vectors.plus(w, h, v)).gradient()
      val gm = f.evaluate(Vectors.plus(w, -h, v)).gradient()
      val fd = gp.indices.map(j => (gp(j) - gm(j)) / (2 * h)).toArray
      assert(maxRelErr(hv, fd) < 1e-7)
      val hu = e.hessianVectorProduct(u)
      assert(relErr(Vectors.dot(u, hv), Vectors.dot(v, hu)) < 1e-12)
    }

    test(s"H*V equals r single Hv, dense Hessian equals H e_j, diagonal is diag(H) ($label)") {
      val f = localObjective(intercept, sparse)
      val rnd = new Random(13)
      val n = f.dimension()
      val w = TestData.randomVector(n, rnd)
      val e = f.evaluate(w, EvaluationRequest.valueAndGradient().withDiagonal())
      val cols = Array.fill(5)(TestData.randomVector(n, rnd))
      val hv = e.hessianBlockProduct(ColumnMatrix.ofColumns(cols: _*))
      cols.indices.foreach(c => assert(maxRelErr(hv.column(c), e.hessianVectorProduct(cols(c))) < 1e-13))
      val dense = e.denseHessian()
      for (j <- 0 until n) {
        val ej = new Array[Double](n); ej(j) = 1.0
        assert(maxRelErr(dense.column(j), e.hessianVectorProduct(ej)) < 1e-13)
        assert(relErr(e.hessianDiagonal().get()(j), dense.get(j, j)) < 1e-13)
      }
    }

    test(s"values along a direction equal evaluations at the shifted points ($label)") {
      val f = localObjective(intercept, sparse)
      val rnd = new Random(14)
      val w = TestData.randomVector(f.dimension(), rnd)
      val p = TestData.randomVector(f.dimension(), rnd)
      val steps = Array(1.0, 0.5, 0.25, -0.1, 0.0)
      val values = f.evaluate(w).valuesAlong(p, steps)
      steps.indices.foreach(k => assert(relErr(values(k), f.evaluate(Vectors.plus(w, steps(k), p)).value()) < 1e-13))
    }
  }

  test("logistic loss is stable for huge margins and matches the naive form where that is exact") {
    val l = LogisticLoss.INSTANCE
    assert(l.loss(800.0, 0.0) == 800.0)
    assert(l.loss(-800.0, 1.0) == 800.0)
    assert(l.loss(800.0, 1.0) == 0.0)
    assert(l.curvature(800.0, 1.0) >= 0.0 && l.curvature(-800.0, 0.0) >= 0.0)
    for (m <- Seq(-3.0, -0.2, 0.0, 0.7, 4.0); y <- Seq(0.0, 1.0)) {
      val naive = math.log(1 + math.exp(m)) - y * m
      assert(math.abs(l.loss(m, y) - naive) < 1e-14)
      val s = 1 / (1 + math.exp(-m))
      assert(math.abs(l.derivative(m, y) - (s - y)) < 1e-15)
      assert(math.abs(l.curvature(m, y) - s * (1 - s)) < 1e-15)
    }
  }

  test("least squares objective has the closed-form gradient X^T (X w - y) / n") {
    val blocks = TestData.blocks(rows, d, 50, sparse = true)
    val f = new GlmObjective(SquaredLoss.INSTANCE, false, d, new LocalBlockFold(blocks), 0L)
    val w = TestData.randomVector(d, new Random(3))
    val g = f.evaluate(w).gradient()
    val total = rows.map(_.weight).sum
    val expected = new Array[Double](d)
    rows.foreach { r =>
      val m = r.indices.indices.map(k => r.values(k) * w(r.indices(k))).sum
      r.indices.indices.foreach(k => expected(r.indices(k)) += r.weight * (m - r.label) * r.values(k) / total)
    }
    assert(maxRelErr(g, expected) < 1e-13)
  }

  test("a curvature sample is reproducible, independent of evaluation order, and unbiased in size") {
    val blocks = TestData.blocks(TestData.rows(5000, 4, 0.5, 5L), 4, 500, sparse = true)
    val s = RowSample.of(0.05, 99L)
    val a = blocks.asScala.map(b => s.selectedRows(b.id(), b.numRows()).toSeq)
    val b = blocks.asScala.reverse.map(b => s.selectedRows(b.id(), b.numRows()).toSeq).reverse
    assert(a == b)
    val total = a.map(_.size).sum
    // Binomial(5000, 0.05): mean 250, sd 15.4; 5 sd either side.
    assert(total > 173 && total < 327, s"sampled $total rows")
    assert(a.forall(r => r == r.sorted && r.distinct == r))
    val other = blocks.asScala.map(b => RowSample.of(0.05, 100L).selectedRows(b.id(), b.numRows()).toSeq)
    assert(other != a)
  }

  test("distributed evaluation equals the local fold for 1, 3 and 7 partitions, dense and sparse") {
    val rnd = new Random(21)
    for (intercept <- Seq(false, true); sparse <- Seq(false, true)) {
      val blocks = TestData.blocks(rows, d, 23, sparse)
      val local = new GlmObjective(LogisticLoss.INSTANCE, intercept, d, new LocalBlockFold(blocks), 0L)
      val w = TestData.randomVector(local.dimension(), rnd)
      val v = TestData.randomVector(local.dimension(), rnd)
      val omega = ColumnMatrix.ofColumns(Array.fill(3)(TestData.randomVector(local.dimension(), rnd)): _*)
      val sample = RowSample.of(0.3, 5L)
      val request = EvaluationRequest.valueAndGradient().withDiagonal().withBlockProduct(omega, sample)
      val le = local.evaluate(w, request)
      for (parts <- Seq(1, 3, 7)) {
        val fold = RddBlockFold.cache(jsc.parallelize(blocks, parts), 2)
        try {
          val dist = new GlmObjective(LogisticLoss.INSTANCE, intercept, d, fold, 0L)
          val before = fold.passes()
          val de = dist.evaluate(w, request)
          assert(fold.passes() == before + 1, "value, gradient, diagonal and H*Omega are one pass")
          assert(relErr(de.value(), le.value()) < 1e-9)
          assert(maxRelErr(de.gradient(), le.gradient()) < 1e-9)
          assert(maxRelErr(de.hessianDiagonal().get(), le.hessianDiagonal().get()) < 1e-9)
          val fusedD = de.curvature(sample).hessianBlockProduct(omega)
          assert(fold.passes() == before + 1, "the fused block product costs no further pass")
          assert(maxRelErr(fusedD.data(), le.curvature(sample).hessianBlockProduct(omega).data()) < 1e-9)
          assert(maxRelErr(de.hessianVectorProduct(v), le.hessianVectorProduct(v)) < 1e-9)
          assert(maxRelErr(de.curvature(sample).hessianVectorProduct(v),
            le.curvature(sample).hessianVectorProduct(v)) < 1e-9)
          assert(maxRelErr(de.denseHessian().data(), le.denseHessian().data()) < 1e-9)
          val steps = Array(1.0, 0.5, 0.25)
          assert(maxRelErr(de.valuesAlong(v, steps), le.valuesAlong(v, steps)) < 1e-9)
          val blockBefore = fold.passes()
          de.hessianBlockProduct(omega)
          assert(fold.passes() == blockBefore + 1, "H*V for r vectors is one pass")
        } finally fold.close()
      }
    }
  }

  test("a curvature sample within the driver budget is collected once, then costs no pass") {
    val blocks = TestData.blocks(rows, d, 23, sparse = true)
    val fold = RddBlockFold.cache(jsc.parallelize(blocks, 3), 2)
    try {
      val local = new GlmObjective(LogisticLoss.INSTANCE, false, d, new LocalBlockFold(blocks), 0L)
      val driver = new GlmObjective(LogisticLoss.INSTANCE, false, d, fold, Long.MaxValue)
      val rnd = new Random(8)
      val w = TestData.randomVector(d, rnd)
      val sample = RowSample.of(0.2, 17L)
      val de = driver.evaluate(w)
      val before = fold.passes()
      val h = de.curvature(sample)
      assert(fold.passes() == before, "the sample is collected when a product first needs it")
      val v1 = TestData.randomVector(d, rnd)
      val v2 = TestData.randomVector(d, rnd)
      val hv1 = h.hessianVectorProduct(v1)
      assert(fold.passes() == before + 1, "one pass collects the sample")
      val hv2 = h.hessianVectorProduct(v2)
      assert(fold.passes() == before + 1, "products on a collected sample run on the driver")
      val le = local.evaluate(w).curvature(sample)
      assert(maxRelErr(hv1, le.hessianVectorProduct(v1)) < 1e-12)
      assert(maxRelErr(hv2, le.hessianVectorProduct(v2)) < 1e-12)
    } finally fold.close()
  }

  test("a fused dense Hessian is served from the evaluation pass even with a driver budget") {
    val blocks = TestData.blocks(rows, d, 23, sparse = true)
    val fold = RddBlockFold.cache(jsc.parallelize(blocks, 3), 2)
    try {
      val driver = new GlmObjective(LogisticLoss.INSTANCE, true, d, fold, Long.MaxValue)
      val local = new GlmObjective(LogisticLoss.INSTANCE, true, d, new LocalBlockFold(blocks), 0L)
      val w = TestData.randomVector(d + 1, new Random(4))
      val request = EvaluationRequest.valueAndGradient().withDenseHessian(RowSample.all())
      val before = fold.passes()
      val h = driver.evaluate(w, request).curvature(RowSample.all()).denseHessian()
      assert(fold.passes() == before + 1, "gradient and dense Hessian in one pass, no collect")
      assert(maxRelErr(h.data(), local.evaluate(w).denseHessian().data()) < 1e-9)
    } finally fold.close()
  }
}
