package dev.sparknewton.objective

import dev.sparknewton.{SharedSpark, TestData}
import dev.sparknewton.data.RowBlock
import dev.sparknewton.distributed.RddBlockFold
import dev.sparknewton.linalg.{ColumnMatrix, Vectors}
import dev.sparknewton.models.{Activation, Curvature, FeedForwardNetwork, LinearModel, Model, SoftmaxCrossEntropy, SquaredLoss, SquaredNormLoss}
import java.util.concurrent.{Callable, Executors}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * The model contract of [[ModelObjectiveSuite]] for feed-forward networks, for every hidden
 * activation and every output (softmax, squared error on one-hot targets, least squares, the
 * autoencoder), on a 5-4-3-K network over sparse and dense blocks with instance weights not all 1:
 * outputs against a row-by-row reference; gradient, Jacobian and exact Hessian products (the
 * R-operator) against central finite differences; the Gauss-Newton product and matrix against an
 * explicitly formed `J^T H_l J`; symmetry and positive semidefiniteness; block products, the dense
 * matrix, the diagonal and the gradient squares against single products; losses along a line and
 * at offsets against evaluations; a distributed fold against a local one; no hidden layer against
 * [[LinearModel]].
 *
 * Finite differences and ReLU's kinks: ReLU is piecewise linear, so a central difference is exact
 * (up to rounding) only when no hidden pre-activation changes sign between the points of the
 * stencil. Every finite-difference check below first asserts exactly that, with the reference
 * forward pass, at each point it evaluates; a point where it failed would be a test error, never
 * a silent pass across a kink.
 */
class NetworkModelSuite extends AnyFunSuite with SharedSpark {

  private val d = 5
  private val hidden = Array(4, 3)
  private val n = 60

  private final case class Output(name: String, rows: IndexedSeq[TestData.Row],
      build: (Array[Int], Activation) => FeedForwardNetwork)

  private val outputs = Seq(
    Output("softmax K=3", TestData.multiclassRows(n, d, k = 3, density = 0.7, seed = 41L),
      (h, a) => FeedForwardNetwork.classifier(d, h, a, 3)),
    Output("squared one-hot K=3", TestData.multiclassRows(n, d, k = 3, density = 0.7, seed = 42L),
      (h, a) => FeedForwardNetwork.squaredError(d, h, a, 3)),
    Output("least squares K=1", TestData.regressionRows(n, d, density = 0.7, seed = 43L),
      (h, a) => FeedForwardNetwork.squaredError(d, h, a, 1)),
    Output("autoencoder", TestData.rows(n, d, density = 0.7, seed = 44L),
      (h, a) => FeedForwardNetwork.autoencoder(d, h, a)))

  private def blocks(o: Output, sparse: Boolean, blockRows: Int = 17) =
    TestData.blocks(o.rows, d, blockRows, sparse)

  private def objective(net: Model, blocks: java.util.List[RowBlock],
      kind: Curvature = Curvature.GAUSS_NEWTON): ModelObjective =
    new ModelObjective(net, new LocalBlockFold(blocks), 0L, 0L, kind)

  /** Glorot's point with every coordinate (biases too) moved, so no bias is 0. */
  private def point(net: FeedForwardNetwork, seed: Long): Array[Double] = {
    val rnd = new Random(seed)
    net.initialPoint(seed).map(_ + 0.5 * rnd.nextGaussian())
  }

  private def relErr(a: Double, b: Double): Double = math.abs(a - b) / math.max(1.0, math.abs(b))

  private def maxRelErr(a: Array[Double], b: Array[Double]): Double = {
    assert(a.length == b.length)
    a.indices.map(i => relErr(a(i), b(i))).max
  }

  private def unit(p: Int, j: Int): Array[Double] = { val e = new Array[Double](p); e(j) = 1.0; e }

  // ---- the row-by-row reference ---------------------------------------------------------------

  private def dense(row: TestData.Row): Array[Double] = {
    val x = new Array[Double](d)
    row.indices.indices.foreach(k => x(row.indices(k)) = row.values(k))
    x
  }

  /** (the hidden pre-activations, the outputs) of one row, straight from the layer accessors. */
  private def reference(net: FeedForwardNetwork, theta: Array[Double],
      row: TestData.Row): (Seq[Array[Double]], Array[Double]) = {
    val x = dense(row)
    var a = x
    val pre = Seq.newBuilder[Array[Double]]
    var z: Array[Double] = null
    for (l <- 0 until net.numLayers()) {
      val w = net.weights(theta, l)
      val b = net.biases(theta, l)
      val s = Array.tabulate(w.length)(j => b(j) + w(j).indices.map(i => w(j)(i) * a(i)).sum)
      if (l < net.numLayers() - 1) {
        pre += s
        a = s.map(net.activation().value)
      } else z = s
    }
    (pre.result(), if (net.reconstructs()) z.indices.map(k => z(k) - x(k)).toArray else z)
  }

  /**
   * For ReLU: asserts that no hidden pre-activation is 0 at `base` or changes sign between `base`
   * and any of `others` (so each finite-difference stencil lies in one linear piece).
   */
  private def assertNoKinkCrossed(net: FeedForwardNetwork, rows: Seq[TestData.Row],
      base: Array[Double], others: Seq[Array[Double]]): Unit = {
    if (net.activation() == Activation.RELU) {
      def signs(theta: Array[Double]) = rows.flatMap(r => reference(net, theta, r)._1.flatten).map(math.signum)
      val s0 = signs(base)
      assert(!s0.contains(0.0), "a hidden pre-activation is exactly 0")
      others.foreach(p => assert(signs(p) == s0, "a finite-difference point crosses a ReLU kink"))
    }
  }

  /** `J` of one block, `(n K) x P` column-major, one `jacobianTimes` per unit vector. */
  private def jacobian(net: Model, block: RowBlock, theta: Array[Double]): ColumnMatrix = {
    val p = net.dimension()
    val rows = block.numRows() * net.numOutputs()
    val j = ColumnMatrix.zeros(rows, p)
    val column = new Array[Double](rows)
    for (c <- 0 until p) {
      net.jacobianTimes(block, theta, new ColumnMatrix(p, 1, unit(p, c)), column)
      j.setColumn(c, column.clone())
    }
    j
  }

  /** `sum_i c_i J_i^T H_l(z_i) J_i / sum_i c_i`, formed entry by entry from `J` and `loss.curvature`. */
  private def explicitGaussNewton(net: Model, blocks: Seq[RowBlock], theta: Array[Double]): ColumnMatrix = {
    val p = net.dimension()
    val k = net.numOutputs()
    val loss = net.loss()
    val width = loss.stateWidth()
    val g = ColumnMatrix.zeros(p, p)
    var weight = 0.0
    for (block <- blocks) {
      val rows = block.numRows()
      val j = jacobian(net, block, theta)
      val z = new Array[Double](rows * k)
      net.outputs(block, theta, z)
      val state = new Array[Double](math.max(1, rows * width))
      val grad = new Array[Double](rows * k)
      (0 until rows).foreach(i => loss.evaluate(z, i, rows, block.label(i), grad, state, i * width))
      for (i <- 0 until rows) {
        val c = block.weight(i)
        weight += c
        for (a <- 0 until p; b <- 0 until p) {
          var s = 0.0
          for (o <- 0 until k; q <- 0 until k) {
            s += j.get(o * rows + i, a) * loss.curvature(state, i * width, o, q) * j.get(q * rows + i, b)
          }
          g.set(a, b, g.get(a, b) + c * s)
        }
      }
    }
    Vectors.scale(1.0 / weight, g.data())
    g
  }

  private def smallestEigenvalue(m: ColumnMatrix): Double =
    breeze.linalg.eigSym(new breeze.linalg.DenseMatrix(m.rows(), m.cols(), m.data().clone()))
      .eigenvalues.toArray.min

  // ---- the contract, per activation x output x storage ---------------------------------------

  for (activation <- Activation.values().toSeq; o <- outputs; sparse <- Seq(false, true)) {
    val label = s"${activation.configName()}, ${o.name}, ${if (sparse) "sparse" else "dense"}"
    def net = o.build(hidden, activation)

    test(s"outputs equal the row-by-row reference; gradient and J match central differences ($label)") {
      val model = net
      val bs = blocks(o, sparse)
      val f = objective(model, bs)
      val w = point(model, 11)
      val p = model.dimension()
      var at = 0
      for (block <- bs.asScala) {
        val z = new Array[Double](block.numRows() * model.numOutputs())
        model.outputs(block, w, z)
        for (i <- 0 until block.numRows(); k <- 0 until model.numOutputs()) {
          assert(relErr(z(k * block.numRows() + i), reference(model, w, o.rows(at + i))._2(k)) < 1e-13)
        }
        at += block.numRows()
      }
      val h = 1e-6
      assertNoKinkCrossed(model, o.rows, w,
        (0 until p).flatMap(j => Seq(Vectors.plus(w, h, unit(p, j)), Vectors.plus(w, -h, unit(p, j)))))
      val g = f.evaluate(w).gradient()
      for (j <- 0 until p) {
        val fd = (f.evaluate(Vectors.plus(w, h, unit(p, j))).value()
          - f.evaluate(Vectors.plus(w, -h, unit(p, j))).value()) / (2 * h)
        assert(math.abs(fd - g(j)) < 1e-7 * math.max(1.0, math.abs(g(j))), s"coordinate $j: fd $fd vs ${g(j)}")
      }
      val block = bs.get(1)
      val j = jacobian(model, block, w)
      val rows = block.numRows() * model.numOutputs()
      val zp = new Array[Double](rows)
      val zm = new Array[Double](rows)
      for (c <- 0 until p) {
        model.outputs(block, Vectors.plus(w, h, unit(p, c)), zp)
        model.outputs(block, Vectors.plus(w, -h, unit(p, c)), zm)
        val fd = zp.indices.map(t => (zp(t) - zm(t)) / (2 * h)).toArray
        assert(maxRelErr(j.column(c), fd) < 1e-7, s"Jacobian column $c")
      }
    }

    test(s"Hessian product matches differences of the gradient, symmetric; Gauss-Newton equals J^T H_l J, PSD ($label)") {
      val model = net
      val bs = blocks(o, sparse)
      val hessian = objective(model, bs, Curvature.HESSIAN)
      val gaussNewton = objective(model, bs)
      val rnd = new Random(12)
      val w = point(model, 12)
      val v = TestData.randomVector(model.dimension(), rnd)
      val u = TestData.randomVector(model.dimension(), rnd)
      val h = 1e-5
      assertNoKinkCrossed(model, o.rows, w, Seq(Vectors.plus(w, h, v), Vectors.plus(w, -h, v)))
      val e = hessian.evaluate(w)
      val hv = e.hessianVectorProduct(v)
      val gp = hessian.evaluate(Vectors.plus(w, h, v)).gradient()
      val gm = hessian.evaluate(Vectors.plus(w, -h, v)).gradient()
      val fd = gp.indices.map(j => (gp(j) - gm(j)) / (2 * h)).toArray
      assert(maxRelErr(hv, fd) < 1e-6, "H v against differences of the gradient")
      assert(relErr(Vectors.dot(u, hv), Vectors.dot(v, e.hessianVectorProduct(u))) < 1e-12)
      // With hidden layers the second-order terms are not negligible: the check above tells them apart.
      val gv = gaussNewton.evaluate(w).hessianVectorProduct(v)
      assert(maxRelErr(gv, hv) > 1e-3, "Hessian and Gauss-Newton products should differ")

      val g = gaussNewton.evaluate(w)
      val explicit = explicitGaussNewton(model, bs.asScala.toSeq, w)
      val block = ColumnMatrix.ofColumns(v, u, TestData.randomVector(model.dimension(), rnd))
      val product = g.hessianBlockProduct(block)
      for (c <- 0 until 3) {
        assert(maxRelErr(product.column(c), explicit.multiply(block.column(c))) < 1e-12)
      }
      val densed = g.denseHessian()
      assert(maxRelErr(densed.data(), explicit.data()) < 1e-12)
      val smallest = smallestEigenvalue(densed)
      val largest = breeze.linalg.max(breeze.linalg.eigSym(
        new breeze.linalg.DenseMatrix(densed.rows(), densed.cols(), densed.data().clone())).eigenvalues)
      assert(smallest >= -1e-12 * largest, s"smallest eigenvalue $smallest, largest $largest")
    }

    test(s"block products equal single ones; dense Gauss-Newton, its diagonal and the gradient squares equal explicit forms ($label)") {
      val model = net
      val bs = blocks(o, sparse)
      val rnd = new Random(13)
      val w = point(model, 13)
      val p = model.dimension()
      val cols = Array.fill(4)(TestData.randomVector(p, rnd))
      for (kind <- Curvature.values()) {
        val e = objective(model, bs, kind).evaluate(w)
        val hv = e.hessianBlockProduct(ColumnMatrix.ofColumns(cols: _*))
        cols.indices.foreach(c => assert(maxRelErr(hv.column(c), e.hessianVectorProduct(cols(c))) < 1e-12, kind))
      }
      val request = EvaluationRequest.valueAndGradient().withDiagonal().withGradientSquares()
      val e = objective(model, bs).evaluate(w, request)
      val densed = e.denseHessian()
      for (j <- 0 until p) {
        assert(maxRelErr(densed.column(j), e.hessianVectorProduct(unit(p, j))) < 1e-12)
        assert(relErr(e.hessianDiagonal().get()(j), densed.get(j, j)) < 1e-12, s"diagonal $j")
      }
      // Per-row gradients one row at a time: J_i^T dl/dz_i of single-row blocks.
      val squares = new Array[Double](p)
      var weight = 0.0
      val k = model.numOutputs()
      for (block <- bs.asScala; i <- 0 until block.numRows()) {
        val row = block.select(Array(i))
        val z = new Array[Double](k)
        model.outputs(row, w, z)
        val dz = new Array[Double](k)
        model.loss().evaluate(z, 0, 1, row.label(0), dz, new Array[Double](math.max(1, model.loss().stateWidth())), 0)
        val gi = new Array[Double](p)
        model.addJacobianTransposeTimes(row, w, dz, new ColumnMatrix(p, 1, gi))
        (0 until p).foreach(j => squares(j) += row.weight(0) * gi(j) * gi(j))
        weight += row.weight(0)
      }
      assert(maxRelErr(e.gradientSquares().get(), squares.map(_ / weight)) < 1e-12)
    }

    test(s"losses along a line and at offsets equal evaluations at those points ($label)") {
      val model = net
      val f = objective(model, blocks(o, sparse))
      val rnd = new Random(14)
      val w = point(model, 14)
      val direction = TestData.randomVector(model.dimension(), rnd)
      val steps = Array(1.0, 0.5, 0.25, -0.1, 0.0)
      val e = f.evaluate(w)
      val along = e.valuesAlong(direction, steps)
      steps.indices.foreach(s => assert(relErr(along(s), f.evaluate(Vectors.plus(w, steps(s), direction)).value()) < 1e-13))
      val offsets = ColumnMatrix.ofColumns(Array.fill(3)(TestData.randomVector(model.dimension(), rnd).map(_ * 0.3)): _*)
      val at = e.valuesAt(offsets)
      (0 until 3).foreach(j => assert(relErr(at(j), f.evaluate(Vectors.plus(w, 1.0, offsets.column(j))).value()) < 1e-13))
    }
  }

  // ---- distributed = local --------------------------------------------------------------------

  test("distributed evaluation equals the local fold for 1, 3 and 7 partitions, every output and activation, dense and sparse") {
    val rnd = new Random(21)
    for ((o, activation) <- outputs.zip(Activation.values().toSeq); sparse <- Seq(false, true)) {
      val model = o.build(hidden, activation)
      val bs = blocks(o, sparse, blockRows = 7)
      val p = model.dimension()
      val w = point(model, 21)
      val v = TestData.randomVector(p, rnd)
      val omega = ColumnMatrix.ofColumns(Array.fill(3)(TestData.randomVector(p, rnd)): _*)
      val offsets = ColumnMatrix.ofColumns(v.map(_ * 0.1), omega.column(0).map(_ * 0.1))
      val request = EvaluationRequest.valueAndGradient().withDiagonal().withGradientSquares()
        .withBlockProduct(omega, dev.sparknewton.data.RowSample.all())
      val local = objective(model, bs).evaluate(w, request)
      val localHessian = objective(model, bs, Curvature.HESSIAN).evaluate(w)
      for (parts <- Seq(1, 3, 7)) {
        val fold = RddBlockFold.cache(jsc.parallelize(bs, parts), 2)
        try {
          val dist = new ModelObjective(model, fold, 0L, 1L << 24).evaluate(w, request)
          assert(relErr(dist.value(), local.value()) < 1e-9)
          assert(maxRelErr(dist.gradient(), local.gradient()) < 1e-9)
          assert(maxRelErr(dist.hessianDiagonal().get(), local.hessianDiagonal().get()) < 1e-9)
          assert(maxRelErr(dist.gradientSquares().get(), local.gradientSquares().get()) < 1e-9)
          assert(maxRelErr(dist.hessianBlockProduct(omega).data(), local.hessianBlockProduct(omega).data()) < 1e-9)
          assert(maxRelErr(dist.hessianVectorProduct(v), local.hessianVectorProduct(v)) < 1e-9)
          assert(maxRelErr(dist.denseHessian().data(), local.denseHessian().data()) < 1e-9)
          assert(maxRelErr(dist.valuesAlong(v, Array(1.0, 0.3)), local.valuesAlong(v, Array(1.0, 0.3))) < 1e-9)
          assert(maxRelErr(dist.valuesAt(offsets), local.valuesAt(offsets)) < 1e-9)
          val distHessian = new ModelObjective(model, fold, 0L, 1L << 24, Curvature.HESSIAN).evaluate(w)
          assert(maxRelErr(distHessian.hessianBlockProduct(omega).data(),
            localHessian.hessianBlockProduct(omega).data()) < 1e-9)
        } finally fold.close()
      }
    }
  }

  // ---- no hidden layer = LinearModel ----------------------------------------------------------

  test("a network without hidden layer is the linear model with intercept: same theta, value, gradient, products, line values") {
    val rnd = new Random(22)
    val cases = Seq(
      (outputs(0), FeedForwardNetwork.classifier(d, Array(), Activation.TANH, 3),
        new LinearModel(d, true, new SoftmaxCrossEntropy(3))),
      (outputs(2), FeedForwardNetwork.squaredError(d, Array(), Activation.RELU, 1),
        new LinearModel(d, true, SquaredLoss.INSTANCE)))
    for ((o, net, linear) <- cases; sparse <- Seq(false, true)) {
      assert(net.dimension() == linear.dimension() && net.linearInParameters())
      assert(net.penalized().sameElements(linear.penalized()))
      assert(net.initialPoint(3).forall(_ == 0.0))
      val bs = blocks(o, sparse)
      val w = TestData.randomVector(net.dimension(), rnd)
      assert(net.weights(w, 0).map(_.toSeq).toSeq == linear.coefficients(w).map(_.toSeq).toSeq)
      assert(net.biases(w, 0).sameElements(linear.intercepts(w)))
      val v = TestData.randomVector(net.dimension(), rnd)
      val omega = ColumnMatrix.ofColumns(v, TestData.randomVector(net.dimension(), rnd))
      val request = EvaluationRequest.valueAndGradient().withDiagonal().withGradientSquares()
      val en = objective(net, bs, Curvature.HESSIAN).evaluate(w, request)
      val el = objective(linear, bs).evaluate(w, request)
      assert(relErr(en.value(), el.value()) < 1e-13)
      assert(maxRelErr(en.gradient(), el.gradient()) < 1e-13)
      assert(maxRelErr(en.hessianDiagonal().get(), el.hessianDiagonal().get()) < 1e-13)
      assert(maxRelErr(en.gradientSquares().get(), el.gradientSquares().get()) < 1e-13)
      assert(maxRelErr(en.hessianBlockProduct(omega).data(), el.hessianBlockProduct(omega).data()) < 1e-13)
      val gn = objective(net, bs).evaluate(w)
      assert(maxRelErr(gn.hessianVectorProduct(v), el.hessianVectorProduct(v)) < 1e-13)
      assert(maxRelErr(gn.denseHessian().data(), el.denseHessian().data()) < 1e-12)
      assert(maxRelErr(en.valuesAlong(v, Array(1.0, 0.5, -2.0)), el.valuesAlong(v, Array(1.0, 0.5, -2.0))) < 1e-13)
    }
  }

  // ---- initialization, layout, activations, losses --------------------------------------------

  test("Glorot initialization: seeded, within U(-a, a) per layer (4a into sigmoid units), filling it, biases 0") {
    for (activation <- Activation.values()) {
      val net = FeedForwardNetwork.classifier(50, Array(40, 30), activation, 10)
      val a = net.initialPoint(7L)
      assert(a.sameElements(net.initialPoint(7L)), "same seed, same point")
      assert(!a.sameElements(net.initialPoint(8L)), "another seed, another point")
      for (l <- 0 until net.numLayers()) {
        val bound = math.sqrt(6.0 / (net.layerInputs(l) + net.layerOutputs(l)))
        val expected = if (activation == Activation.SIGMOID && l < 2) 4 * bound else bound
        assert(math.abs(net.glorotBound(l) - expected) < 1e-15)
        val w = net.weights(a, l).flatten
        assert(w.forall(x => math.abs(x) <= expected), s"layer $l exceeds $expected")
        // U(-a, a): max |w| near a, mean square a^2 / 3 (>= 300 weights: within 20%).
        assert(w.map(math.abs).max > 0.95 * expected)
        val meanSquare = w.map(x => x * x).sum / w.length
        assert(math.abs(meanSquare / (expected * expected / 3) - 1) < 0.2, s"layer $l mean square $meanSquare")
        assert(net.biases(a, l).forall(_ == 0.0))
      }
    }
  }

  test("the layout: per layer [w_j; b_j] columns one after another, biases unpenalized, split and packed back") {
    val net = FeedForwardNetwork.classifier(3, Array(2), Activation.TANH, 2)
    assert(net.dimension() == 4 * 2 + 3 * 2 && net.numLayers() == 2 && net.layerOffset(1) == 8)
    val theta = Array.tabulate(14)(i => i + 1.0)
    assert(net.weights(theta, 0).map(_.toSeq).toSeq == Seq(Seq(1.0, 2, 3), Seq(5.0, 6, 7)))
    assert(net.biases(theta, 0).toSeq == Seq(4.0, 8.0))
    assert(net.weights(theta, 1).map(_.toSeq).toSeq == Seq(Seq(9.0, 10), Seq(12.0, 13)))
    assert(net.biases(theta, 1).toSeq == Seq(11.0, 14.0))
    assert(net.weightIndex(1, 1, 0) == 11 && net.biasIndex(1, 0) == 10)
    val biasAt = Set(3, 7, 10, 13)
    assert(net.penalized().toSeq == (0 until 14).map(i => !biasAt(i)))
    val weights = (0 until 2).map(l => net.weights(theta, l)).toArray
    val biases = (0 until 2).map(l => net.biases(theta, l)).toArray
    assert(net.parameters(weights, biases).sameElements(theta))
    assert(!net.linearInParameters())
    assert(net.hiddenWidths().toSeq == Seq(2))
    assert(intercept[IllegalArgumentException](net.biases(new Array[Double](13), 0)).getMessage.contains("14"))
    assert(intercept[IllegalArgumentException](
      FeedForwardNetwork.classifier(3, Array(2, 0), Activation.RELU, 2)).getMessage.contains(">= 1 unit"))
    assert(intercept[IllegalArgumentException](
      FeedForwardNetwork.classifier(100000, Array(100000), Activation.RELU, 2)).getMessage.contains("parameters"))
    // A block of the wrong width is refused, not misread.
    val wide = TestData.blocks(TestData.rows(4, 4, 1.0, 1L), 4, 4, sparse = false).get(0)
    assert(intercept[IllegalArgumentException](net.outputs(wide, theta, new Array[Double](8))).getMessage.contains("coefficients"))
    assert(FeedForwardNetwork.autoencoder(3, Array(2), Activation.RELU).toString == "autoencoder 3-2-3, relu, squared norm of 3 outputs")
  }

  test("activations: derivatives match differences of the value, stable at huge inputs, config names") {
    val h = 1e-6
    for (a <- Activation.values(); s <- Seq(-3.0, -0.7, 0.2, 1.5, 4.0)) {
      val d1 = (a.value(s + h) - a.value(s - h)) / (2 * h)
      val d2 = (a.derivative(s + h) - a.derivative(s - h)) / (2 * h)
      assert(math.abs(a.derivative(s) - d1) < 1e-8, s"$a' at $s")
      assert(math.abs(a.secondDerivative(s) - d2) < 1e-8, s"$a'' at $s")
    }
    for (a <- Activation.values(); s <- Seq(-800.0, -40.0, 40.0, 800.0)) {
      assert(!a.value(s).isNaN && !a.derivative(s).isNaN && !a.secondDerivative(s).isNaN, s"$a at $s")
    }
    assert(Activation.SIGMOID.value(800) == 1.0 && Activation.SIGMOID.value(-800) == 0.0)
    assert(Activation.SOFTPLUS.value(800) == 800.0 && Activation.SOFTPLUS.value(-800) == 0.0)
    assert(Activation.SOFTPLUS.value(-40) > 0.0 && Activation.SIGMOID.derivative(-40) > 0.0)
    assert(Activation.RELU.derivative(0.0) == 0.0 && Activation.RELU.derivative(1e-300) == 1.0)
    assert(Activation.values().map(_.configName()).toSeq == Seq("sigmoid", "tanh", "relu", "softplus"))
    Activation.values().foreach(a => assert(Activation.parse(" " + a.configName().toUpperCase + " ") == a))
    assert(intercept[IllegalArgumentException](Activation.parse("gelu")).getMessage.contains("relu"))
  }

  test("squared-norm losses: gradient against differences, L L^T = H_l = I, bound 0, labels checked") {
    val rnd = new Random(5)
    for (loss <- Seq(SquaredNormLoss.oneHot(3), SquaredNormLoss.ofResidual(3)); y <- 0 until 3) {
      val z = TestData.randomVector(3, rnd)
      val g = new Array[Double](3)
      val value = loss.evaluate(z, 0, 1, y, g, null, 0)
      assert(value == loss.loss(z, 0, 1, y) && value >= loss.lowerBound() && loss.lowerBound() == 0.0)
      val target = Array.tabulate(3)(k => if (loss.oneHotTargets() && k == y) 1.0 else 0.0)
      assert(math.abs(value - 0.5 * z.indices.map(k => math.pow(z(k) - target(k), 2)).sum) < 1e-15)
      val h = 1e-6
      for (k <- 0 until 3) {
        val fd = (loss.loss(Vectors.plus(z, h, unit(3, k)), 0, 1, y) - loss.loss(Vectors.plus(z, -h, unit(3, k)), 0, 1, y)) / (2 * h)
        assert(math.abs(fd - g(k)) < 1e-9)
      }
      val factor = Array.tabulate(3)(m => { val c = new Array[Double](3); loss.curvatureFactor(null, 0, 2.0, m, c, 0, 1); c })
      for (k <- 0 until 3; l <- 0 until 3) {
        assert(math.abs((0 until 3).map(m => factor(m)(k) * factor(m)(l)).sum - 2.0 * loss.curvature(null, 0, k, l)) < 1e-15)
      }
    }
    assert(intercept[IllegalArgumentException](SquaredNormLoss.oneHot(3).loss(Array(0.0, 0, 0), 0, 1, 3.0)).getMessage.contains("class index"))
    assert(intercept[IllegalArgumentException](SquaredNormLoss.oneHot(1)).getMessage.contains("2 classes"))
  }

  test("networks and an aggregator over one survive Kryo (a cluster may set spark.serializer)") {
    val kryo = new org.apache.spark.serializer.KryoSerializer(new org.apache.spark.SparkConf()).newInstance()
    def roundTrip[T: scala.reflect.ClassTag](value: T): T = kryo.deserialize[T](kryo.serialize(value))
    val o = outputs(3)
    val bs = blocks(o, sparse = true).asScala
    for (model <- Seq(o.build(hidden, Activation.RELU), FeedForwardNetwork.squaredError(d, hidden, Activation.TANH, 3))) {
      // A plain value, as a broadcast's is on an executor (a local fold's handle is a record).
      val value = point(model, 4)
      val theta = new dev.sparknewton.models.Shared[Array[Double]] {
        override def get(): Array[Double] = value
        override def close(): Unit = ()
      }
      val agg = new dev.sparknewton.models.ValueGradientAggregator(theta, roundTrip(model), true, true,
        dev.sparknewton.data.RowSample.all(), java.util.List.of(), dev.sparknewton.models.PointStates.none())
      val reference = new dev.sparknewton.models.ValueGradientAggregator(theta, model, true, true,
        dev.sparknewton.data.RowSample.all(), java.util.List.of(), dev.sparknewton.models.PointStates.none())
      bs.foreach { b => agg.add(b); reference.add(b) }
      val back = roundTrip(agg)
      assert(back.lossSum() == reference.lossSum() && back.lossSum() > 0.0)
      assert(back.gradientSum(model.dimension()).sameElements(reference.gradientSum(model.dimension())))
      assert(roundTrip(model).toString == model.toString)
    }
  }

  test("one network instance serves several threads at once: every result equals the sequential one") {
    val o = outputs(0)
    val model = o.build(hidden, Activation.SOFTPLUS)
    val bs = blocks(o, sparse = true, blockRows = 5).asScala.toSeq
    val w = point(model, 9)
    val v = ColumnMatrix.ofColumns(Array.fill(2)(TestData.randomVector(model.dimension(), new Random(9))): _*)
    def products(block: RowBlock): Seq[Double] = {
      val width = model.loss().stateWidth()
      val z = new Array[Double](block.numRows() * model.numOutputs())
      model.outputs(block, w, z)
      val s = new Array[Double](block.numRows() * width)
      val g = new Array[Double](z.length)
      (0 until block.numRows()).foreach(i => model.loss().evaluate(z, i, block.numRows(), block.label(i), g, s, i * width))
      val out = ColumnMatrix.zeros(model.dimension(), 2)
      model.addCurvatureTimes(Curvature.HESSIAN, block, w, s, v, out)
      val grad = ColumnMatrix.zeros(model.dimension(), 1)
      model.addJacobianTransposeTimes(block, w, g, grad)
      out.data().toSeq ++ grad.data().toSeq
    }
    val sequential = bs.map(products)
    val pool = Executors.newFixedThreadPool(4)
    try {
      val futures = (0 until 4).map(_ => pool.submit(new Callable[Seq[Seq[Double]]] {
        override def call(): Seq[Seq[Double]] = (0 until 20).flatMap(_ => bs.map(products))
      }))
      futures.foreach(f => assert(f.get().grouped(bs.size).forall(_ == sequential)))
    } finally pool.shutdown()
  }
}
