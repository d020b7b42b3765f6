package dev.sparknewton.objective

import dev.sparknewton.{SharedSpark, TestData, TestModels}
import dev.sparknewton.data.RowSample
import dev.sparknewton.distributed.RddBlockFold
import dev.sparknewton.linalg.{ColumnMatrix, Vectors}
import dev.sparknewton.models.{CurvatureStateCache, LinearModel, LogisticLoss, OutputLoss, SoftmaxCrossEntropy, SquaredLoss}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * The contract every model passes, on the objective the solvers see: gradient and Gauss-Newton
 * (here exact Hessian) products against central finite differences, symmetry, positive
 * semidefiniteness, block products against single ones, the dense matrix and the diagonal against
 * products with unit vectors, values along a line against evaluations, fused requests against
 * separate ones, kept curvature state against recomputed, and a distributed fold against a local
 * one over 1, 3 and 7 partitions, dense and sparse.
 */
class ModelObjectiveSuite extends AnyFunSuite with SharedSpark {

  private val d = 9

  private final case class Case(name: String, loss: OutputLoss, rows: IndexedSeq[TestData.Row])

  private val cases = Seq(
    Case("binary logistic", LogisticLoss.INSTANCE, TestData.rows(n = 240, d = d, density = 0.4, seed = 7L)),
    Case("multinomial K=4", new SoftmaxCrossEntropy(4),
      TestData.multiclassRows(n = 240, d = d, k = 4, density = 0.4, seed = 8L)),
    Case("least squares", SquaredLoss.INSTANCE,
      TestData.regressionRows(n = 240, d = d, density = 0.4, seed = 9L)))

  private def dataTerm(c: Case, intercept: Boolean, sparse: Boolean, fold: BlockFold = null,
      cacheBytes: Long = 0L): ModelObjective = {
    val f = if (fold != null) fold else new LocalBlockFold(TestData.blocks(c.rows, d, 37, sparse))
    TestModels.objective(c.loss, d, intercept, f, 0L, cacheBytes)
  }

  private def objective(c: Case, intercept: Boolean, sparse: Boolean): SecondOrderObjective =
    TestModels.regularized(dataTerm(c, intercept, sparse), 0.1)

  private def relErr(a: Double, b: Double): Double = math.abs(a - b) / math.max(1.0, math.abs(b))

  private def maxRelErr(a: Array[Double], b: Array[Double]): Double = {
    assert(a.length == b.length)
    a.indices.map(i => relErr(a(i), b(i))).max
  }

  private def unit(n: Int, j: Int): Array[Double] = { val e = new Array[Double](n); e(j) = 1.0; e }

  for (c <- cases; intercept <- Seq(false, true); sparse <- Seq(false, true)) {
    val label = s"${c.name}, intercept=$intercept, sparse=$sparse"

    test(s"gradient matches central finite differences ($label)") {
      val f = objective(c, intercept, sparse)
      val w = TestData.randomVector(f.dimension(), new Random(11))
      val g = f.evaluate(w).gradient()
      val h = 1e-6
      for (j <- 0 until f.dimension()) {
        val fd = (f.evaluate(Vectors.plus(w, h, unit(w.length, j))).value()
          - f.evaluate(Vectors.plus(w, -h, unit(w.length, j))).value()) / (2 * h)
        assert(math.abs(fd - g(j)) < 1e-7 * math.max(1.0, math.abs(g(j))),
          s"coordinate $j: fd $fd vs gradient ${g(j)}")
      }
    }

    test(s"Hessian product matches finite differences of the gradient; symmetric; PSD ($label)") {
      val f = objective(c, intercept, sparse)
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
      // The data term alone (no lambda I): J^T H_l J is PSD, its smallest eigenvalue >= 0.
      val data = dataTerm(c, intercept, sparse).evaluate(w).denseHessian()
      val smallest = breeze.linalg.eigSym(
        new breeze.linalg.DenseMatrix(data.rows(), data.cols(), data.data())).eigenvalues.toArray.min
      assert(smallest > -1e-12, s"smallest eigenvalue $smallest")
    }

    test(s"H*V equals r single products, dense Hessian equals H e_j, diagonal is diag(H) ($label)") {
      val f = objective(c, intercept, sparse)
      val rnd = new Random(13)
      val n = f.dimension()
      val w = TestData.randomVector(n, rnd)
      val e = f.evaluate(w, EvaluationRequest.valueAndGradient().withDiagonal())
      val cols = Array.fill(5)(TestData.randomVector(n, rnd))
      val hv = e.hessianBlockProduct(ColumnMatrix.ofColumns(cols: _*))
      cols.indices.foreach(k => assert(maxRelErr(hv.column(k), e.hessianVectorProduct(cols(k))) < 1e-13))
      val dense = e.denseHessian()
      for (j <- 0 until n) {
        assert(maxRelErr(dense.column(j), e.hessianVectorProduct(unit(n, j))) < 1e-13)
        assert(relErr(e.hessianDiagonal().get()(j), dense.get(j, j)) < 1e-13)
      }
    }

    test(s"values along a direction equal evaluations at the shifted points ($label)") {
      val f = objective(c, intercept, sparse)
      val rnd = new Random(14)
      val w = TestData.randomVector(f.dimension(), rnd)
      val p = TestData.randomVector(f.dimension(), rnd)
      val steps = Array(1.0, 0.5, 0.25, -0.1, 0.0)
      val values = f.evaluate(w).valuesAlong(p, steps)
      steps.indices.foreach(k => assert(relErr(values(k), f.evaluate(Vectors.plus(w, steps(k), p)).value()) < 1e-13))
    }

    test(s"values at several offsets equal evaluations at the shifted points ($label)") {
      val f = objective(c, intercept, sparse)
      val rnd = new Random(16)
      val w = TestData.randomVector(f.dimension(), rnd)
      val offsets = ColumnMatrix.ofColumns(Array.fill(4)(TestData.randomVector(f.dimension(), rnd)): _*)
      val values = f.evaluate(w).valuesAt(offsets)
      assert(values.length == 4)
      (0 until 4).foreach(j =>
        assert(relErr(values(j), f.evaluate(Vectors.plus(w, 1.0, offsets.column(j))).value()) < 1e-13))
    }

    test(s"gradient squares are the weighted mean of the squared per-row gradients ($label)") {
      val w = TestData.randomVector(dataTerm(c, intercept, sparse).dimension(), new Random(17))
      val got = dataTerm(c, intercept, sparse)
        .evaluate(w, EvaluationRequest.valueAndGradient().withGradientSquares()).gradientSquares().get()
      val expected = new Array[Double](w.length)
      var weight = 0.0
      for (row <- c.rows) {
        // One row of weight 1: its objective's gradient is the row's own g_i.
        val one = TestModels.objective(c.loss, d, intercept,
          new LocalBlockFold(TestData.blocks(Seq(row.copy(weight = 1.0)), d, 1, sparse)))
        val g = one.evaluate(w).gradient()
        g.indices.foreach(j => expected(j) += row.weight * g(j) * g(j))
        weight += row.weight
      }
      assert(maxRelErr(got, expected.map(_ / weight)) < 1e-12)
    }

    test(s"a mini-batch gradient equals the gradient of the sampled rows alone ($label)") {
      val blocks = TestData.blocks(c.rows, d, 37, sparse)
      val sample = RowSample.of(0.3, 9L)
      val term = TestModels.objective(c.loss, d, intercept, new LocalBlockFold(blocks))
      val sampled = TestModels.objective(c.loss, d, intercept,
        new LocalBlockFold(blocks.asScala.map(b => sample.apply(b)).asJava))
      val w = TestData.randomVector(term.dimension(), new Random(18))
      val mini = term.evaluate(w, EvaluationRequest.valueAndGradient().onSample(sample))
      val reference = sampled.evaluate(w)
      assert(relErr(mini.value(), reference.value()) < 1e-13)
      assert(maxRelErr(mini.gradient(), reference.gradient()) < 1e-13)
      assert(relErr(mini.value(), term.evaluate(w).value()) > 1e-6, "the sample must differ from the data")
    }

    test(s"a request fusing diagonal, dense Hessian and H*V equals the separate products; kept state equals recomputed ($label)") {
      val rnd = new Random(15)
      val sample = RowSample.of(0.5, 3L)
      for (cacheBytes <- Seq(0L, 1L << 20)) {
        val f = TestModels.regularized(dataTerm(c, intercept, sparse, cacheBytes = cacheBytes), 0.1)
        val n = f.dimension()
        val w = TestData.randomVector(n, rnd)
        val omega = ColumnMatrix.ofColumns(Array.fill(3)(TestData.randomVector(n, rnd)): _*)
        val fused = f.evaluate(w, EvaluationRequest.valueAndGradient().withDiagonal()
          .withDenseHessian(RowSample.all()).withBlockProduct(omega, sample))
        val plain = f.evaluate(w)
        assert(fused.value() == plain.value() && fused.gradient().sameElements(plain.gradient()))
        val dense = fused.curvature(RowSample.all()).denseHessian()
        assert(dense.rows() == n && dense.cols() == n)
        assert(dense.data().sameElements(plain.denseHessian().data()))
        val block = fused.curvature(sample).hessianBlockProduct(omega.copy())
        assert(block.rows() == n && block.cols() == 3)
        assert(block.data().sameElements(plain.curvature(sample).hessianBlockProduct(omega).data()))
        val v = TestData.randomVector(n, rnd)
        assert(fused.hessianVectorProduct(v).sameElements(plain.hessianVectorProduct(v)))
      }
    }
  }

  test("each loss's curvature factor L satisfies L L^T = H_l, weighted by c") {
    val rnd = new Random(22)
    for (c <- cases) {
      val k = c.loss.numOutputs()
      val z = Array.fill(k)(rnd.nextGaussian() * 2)
      val state = new Array[Double](math.max(1, c.loss.stateWidth()))
      c.loss.evaluate(z, 0, 1, c.rows.head.label, new Array[Double](k), state, 0)
      val weight = 0.7
      val l = Array.tabulate(k)(m => { val col = new Array[Double](k); c.loss.curvatureFactor(state, 0, weight, m, col, 0, 1); col })
      for (a <- 0 until k; b <- 0 until k) {
        val llt = (0 until k).map(m => l(m)(a) * l(m)(b)).sum
        assert(math.abs(llt - weight * c.loss.curvature(state, 0, a, b)) < 1e-15, s"${c.name} ($a, $b)")
      }
    }
  }

  test("a mini-batch request refuses fused curvature") {
    val e = intercept[IllegalArgumentException](EvaluationRequest.valueAndGradient()
      .onSample(RowSample.of(0.5, 1L)).withDiagonal())
    assert(e.getMessage.contains("sample"))
  }

  test("distributed evaluation equals the local fold for 1, 3 and 7 partitions, every model, dense and sparse") {
    val rnd = new Random(21)
    for (c <- cases; intercept <- Seq(false, true); sparse <- Seq(false, true)) {
      val blocks = TestData.blocks(c.rows, d, 23, sparse)
      val local = TestModels.objective(c.loss, d, intercept, new LocalBlockFold(blocks))
      val n = local.dimension()
      val w = TestData.randomVector(n, rnd)
      val v = TestData.randomVector(n, rnd)
      val omega = ColumnMatrix.ofColumns(Array.fill(3)(TestData.randomVector(n, rnd)): _*)
      val sample = RowSample.of(0.3, 5L)
      val request = EvaluationRequest.valueAndGradient().withDiagonal().withBlockProduct(omega, sample)
      val le = local.evaluate(w, request)
      for (parts <- Seq(1, 3, 7)) {
        val fold = RddBlockFold.cache(jsc.parallelize(blocks, parts), 2)
        try {
          val dist = TestModels.objective(c.loss, d, intercept, fold, 0L, 1L << 24)
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

  test("a local fold above the parallel threshold equals the block-by-block sum, the same every time") {
    val rows = TestData.multiclassRows(n = 12000, d = 50, k = 3, density = 1.0, seed = 6L)
    val blocks = TestData.blocks(rows, 50, 500, sparse = false)
    val fold = new LocalBlockFold(blocks)
    assert(fold.sizeInBytes() >= LocalBlockFold.PARALLEL_BYTES && blocks.size() > LocalBlockFold.CHUNKS)
    val model = new LinearModel(50, true, new SoftmaxCrossEntropy(3))
    val theta = fold.share(TestData.randomVector(model.dimension(), new Random(2)))
    def zero = new dev.sparknewton.models.ValueGradientAggregator(theta, model, true, true, RowSample.all(),
      java.util.List.of(), dev.sparknewton.models.PointStates.none())
    var sequential = zero
    blocks.asScala.foreach(b => sequential = sequential.add(b))
    val a = fold.aggregate("test", zero)
    val b = fold.aggregate("test", zero)
    assert(a.count() == 12000 && relErr(a.lossSum(), sequential.lossSum()) < 1e-12)
    assert(maxRelErr(a.gradientSum(model.dimension()), sequential.gradientSum(model.dimension())) < 1e-12)
    assert(a.lossSum() == b.lossSum() && a.gradientSum(model.dimension()).sameElements(b.gradientSum(model.dimension())))
  }

  test("the gradient pass keeps the curvature state within budget, and a newer point releases it") {
    val c = cases(1)
    val f = dataTerm(c, intercept = true, sparse = true, cacheBytes = 1L << 24)
    val w = TestData.randomVector(f.dimension(), new Random(3))
    f.evaluate(w)
    f.evaluate(w)
    val twoPoints = CurvatureStateCache.bytes()
    // 240 rows x 4 probabilities, in 7 blocks, for each of the two newest points.
    assert(twoPoints == 2 * (8L * 240 * 4 + 64 * 7), s"cached $twoPoints bytes")
    f.evaluate(w)
    assert(CurvatureStateCache.bytes() == twoPoints, "the third point releases the first")
    val budget = 8L * 40 * 4 + 64
    val tight = dataTerm(c, intercept = true, sparse = true, cacheBytes = budget)
    tight.evaluate(w)
    tight.evaluate(w)
    assert(CurvatureStateCache.bytes() <= budget)
  }

  test("multinomial with two classes is binary logistic regression on the class difference") {
    val rows = TestData.rows(n = 200, d = d, density = 0.5, seed = 4L)
    val blocks = new LocalBlockFold(TestData.blocks(rows, d, 50, sparse = true))
    val binary = TestModels.objective(LogisticLoss.INSTANCE, d, true, blocks)
    val softmax = TestModels.objective(new SoftmaxCrossEntropy(2), d, true, blocks)
    val w = TestData.randomVector(d + 1, new Random(5))
    // Class 0 at zero, class 1 at [w; b]: softmax(z)_1 = sigma(z_1 - z_0).
    val theta = new Array[Double](d + 1) ++ w
    val eb = binary.evaluate(w)
    val es = softmax.evaluate(theta)
    assert(relErr(es.value(), eb.value()) < 1e-14)
    assert(maxRelErr(es.gradient().drop(d + 1), eb.gradient()) < 1e-14)
    assert(maxRelErr(es.gradient().take(d + 1), eb.gradient().map(-_)) < 1e-14)
  }

  test("the lower bound is the loss's, 0, and holds at random and at huge points") {
    val rnd = new Random(31)
    for (c <- cases; intercept <- Seq(false, true)) {
      val f = objective(c, intercept, sparse = true)
      assert(f.lowerBound() == 0.0 && c.loss.lowerBound() == 0.0, c.name)
      for (scale <- Seq(1.0, 1e3, 1e8)) {
        val w = TestData.randomVector(f.dimension(), rnd).map(_ * scale)
        assert(f.evaluate(w).value() >= f.lowerBound(), s"${c.name} at scale $scale")
      }
    }
    // Objectives that know no bound say so.
    assert(new dev.sparknewton.solvers.QuadraticObjective(dev.sparknewton.linalg.ColumnMatrix.identity(2),
      Array(1.0, 2.0)).lowerBound() == Double.NegativeInfinity)
  }

  test("the layout: [w_k; b_k] per output, intercepts unpenalized, split and packed back") {
    val model = new LinearModel(3, true, new SoftmaxCrossEntropy(2))
    assert(model.dimension() == 8)
    assert(model.penalized().toSeq == Seq(true, true, true, false, true, true, true, false))
    val theta = Array(1.0, 2, 3, 4, 5, 6, 7, 8)
    assert(model.coefficients(theta).map(_.toSeq).toSeq == Seq(Seq(1.0, 2, 3), Seq(5.0, 6, 7)))
    assert(model.intercepts(theta).toSeq == Seq(4.0, 8.0))
    assert(model.parameters(model.coefficients(theta), model.intercepts(theta)).sameElements(theta))
    val none = new LinearModel(3, false, LogisticLoss.INSTANCE)
    assert(none.dimension() == 3 && none.penalized().forall(identity))
    assert(intercept[IllegalArgumentException](new LinearModel(50000, true, new SoftmaxCrossEntropy(50000)))
      .getMessage.contains("parameters"))
  }

  test("softmax cross-entropy is stable for huge outputs and matches the naive form where that is exact") {
    val l = new SoftmaxCrossEntropy(3)
    val big = Array(1000.0, -1000.0, 999.0)
    val g = new Array[Double](3)
    val s = new Array[Double](3)
    val v = l.evaluate(big, 0, 1, 2.0, g, s, 0)
    // log(e^1000 + e^-1000 + e^999) - 999 = 1 + log(1 + e^-1 + e^-2000), to ulp(1000) = 1.1e-13.
    assert(math.abs(v - (1.0 + math.log1p(math.exp(-1.0)))) < 2.3e-13 && g.forall(x => !x.isNaN))
    for (z <- Seq(Array(0.3, -1.2, 2.0), Array(0.0, 0.0, 0.0)); y <- 0 to 2) {
      val naive = math.log(z.map(math.exp).sum) - z(y)
      assert(math.abs(l.loss(z, 0, 1, y) - naive) < 1e-14)
      val p = z.map(math.exp).map(_ / z.map(math.exp).sum)
      l.evaluate(z, 0, 1, y, g, s, 0)
      (0 to 2).foreach { k =>
        assert(math.abs(g(k) - (p(k) - (if (k == y) 1 else 0))) < 1e-15)
        (0 to 2).foreach(j => assert(math.abs(l.curvature(s, 0, k, j) - ((if (k == j) p(k) else 0) - p(k) * p(j))) < 1e-15))
      }
    }
  }

  test("logistic loss is stable for huge margins and matches the naive form where that is exact") {
    val l = LogisticLoss.INSTANCE
    assert(l.loss(800.0, 0.0) == 800.0)
    assert(l.loss(-800.0, 1.0) == 800.0)
    assert(l.loss(800.0, 1.0) == 0.0)
    assert(l.curvature(800.0, 1.0) >= 0.0 && l.curvature(-800.0, 0.0) >= 0.0)
    val g = new Array[Double](1)
    val s = new Array[Double](1)
    for (m <- Seq(-800.0, -3.0, -0.2, 0.0, -0.0, 0.7, 4.0, 800.0); y <- Seq(0.0, 1.0)) {
      // The one-exp fused form is the three separate stable forms, bit for bit.
      assert(l.evaluate(Array(m), 0, 1, y, g, s, 0) == l.loss(m, y))
      assert(g(0) == l.derivative(m, y) && s(0) == l.curvature(m, y))
      if (math.abs(m) < 10) {
        val naive = math.log(1 + math.exp(m)) - y * m
        assert(math.abs(l.loss(m, y) - naive) < 1e-14)
        val sg = 1 / (1 + math.exp(-m))
        assert(math.abs(l.derivative(m, y) - (sg - y)) < 1e-15)
        assert(math.abs(l.curvature(m, y) - sg * (1 - sg)) < 1e-15)
      }
    }
  }

  test("a curvature sample is reproducible, independent of evaluation order, and unbiased in size") {
    val blocks = TestData.blocks(TestData.rows(5000, 4, 0.5, 5L), 4, 500, sparse = true)
    val s = RowSample.of(0.05, 99L)
    val a = blocks.asScala.map(b => s.selectedRows(b).toSeq)
    val b = blocks.asScala.reverse.map(b => s.selectedRows(b).toSeq).reverse
    assert(a == b)
    val total = a.map(_.size).sum
    // Binomial(5000, 0.05): mean 250, sd 15.4; 5 sd either side.
    assert(total > 173 && total < 327, s"sampled $total rows")
    assert(a.forall(r => r == r.sorted && r.distinct == r))
    val other = blocks.asScala.map(b => RowSample.of(0.05, 100L).selectedRows(b).toSeq)
    assert(other != a)
  }

  test("a curvature sample within the driver budget is collected once, then costs no pass") {
    for (c <- cases) {
      val blocks = TestData.blocks(c.rows, d, 23, sparse = true)
      val fold = RddBlockFold.cache(jsc.parallelize(blocks, 3), 2)
      try {
        val local = TestModels.objective(c.loss, d, false, new LocalBlockFold(blocks))
        val driver = TestModels.objective(c.loss, d, false, fold, Long.MaxValue, 1L << 24)
        val rnd = new Random(8)
        val w = TestData.randomVector(local.dimension(), rnd)
        val sample = RowSample.of(0.2, 17L)
        val de = driver.evaluate(w)
        val before = fold.passes()
        val h = de.curvature(sample)
        assert(fold.passes() == before, "the sample is collected when a product first needs it")
        val v1 = TestData.randomVector(local.dimension(), rnd)
        val v2 = TestData.randomVector(local.dimension(), rnd)
        val hv1 = h.hessianVectorProduct(v1)
        assert(fold.passes() == before + 1, "one pass collects the sample")
        val hv2 = h.hessianVectorProduct(v2)
        assert(fold.passes() == before + 1, "products on a collected sample run on the driver")
        val le = local.evaluate(w).curvature(sample)
        assert(maxRelErr(hv1, le.hessianVectorProduct(v1)) < 1e-12)
        assert(maxRelErr(hv2, le.hessianVectorProduct(v2)) < 1e-12)
      } finally fold.close()
    }
  }

  test("a fused dense Hessian is served from the evaluation pass even with a driver budget") {
    val blocks = TestData.blocks(cases(1).rows, d, 23, sparse = true)
    val fold = RddBlockFold.cache(jsc.parallelize(blocks, 3), 2)
    try {
      val driver = TestModels.objective(cases(1).loss, d, true, fold, Long.MaxValue)
      val local = TestModels.objective(cases(1).loss, d, true, new LocalBlockFold(blocks))
      val w = TestData.randomVector(local.dimension(), new Random(4))
      val request = EvaluationRequest.valueAndGradient().withDenseHessian(RowSample.all())
      val before = fold.passes()
      val h = driver.evaluate(w, request).curvature(RowSample.all()).denseHessian()
      assert(fold.passes() == before + 1, "gradient and dense Hessian in one pass, no collect")
      assert(maxRelErr(h.data(), local.evaluate(w).denseHessian().data()) < 1e-9)
    } finally fold.close()
  }

  test("training data whose weights are all zero (e.g. the training part of a split) are refused in one line") {
    val d = 4
    val zero = TestData.rows(30, d, 0.8, 9L).map(_.copy(weight = 0.0))
    val f = TestModels.logistic(d, true, new LocalBlockFold(TestData.blocks(zero, d, 7, sparse = true)))
    val e = intercept[IllegalArgumentException](f.evaluate(new Array[Double](d + 1)))
    assert(e.getMessage == "the training data have no rows with positive weight")
  }
}
