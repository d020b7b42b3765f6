package dev.sparknewton.models

import dev.sparknewton.TestData
import dev.sparknewton.data.{RowBlock, RowSample}
import dev.sparknewton.linalg.ColumnMatrix
import java.io.{ByteArrayInputStream, ByteArrayOutputStream, ObjectInputStream, ObjectOutputStream}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * A linear model's curvature products over a task's CSR blocks with `K r >= 2` columns
 * (`LinearModel.curvatureProducts`: one sweep per block on a feature-major copy of `V`, the sum
 * held feature-major until the aggregator flushes it): the bits of the column-major products
 * block by block, the dense Gauss-Newton matrix times `V`, and a sum that survives merging,
 * compacting and Java serialization before it was flushed; and the line pass's outputs and
 * slopes (one array for `theta` and `p`: interleaved for one output, feature-major for `K`)
 * against the column-major products; and a softmax gradient pass (`K >= 8`) on a feature-major
 * `theta` and gradient against the column-major pass, held gradient flushed as the sums are.
 */
class FeatureMajorKernelsSuite extends AnyFunSuite {
  private val d = 37

  /** (label, loss, rows): binary logistic, softmax of 3 and 10 classes. */
  private def cases: Seq[(String, OutputLoss, IndexedSeq[TestData.Row])] = Seq(
    ("logistic", LogisticLoss.INSTANCE, TestData.rows(260, d, 0.2, 5L)),
    ("softmax3", new SoftmaxCrossEntropy(3), TestData.multiclassRows(260, d, 3, 0.2, 6L)),
    ("softmax10", new SoftmaxCrossEntropy(10), TestData.multiclassRows(260, d, 10, 0.2, 7L)))

  private def aggregator(model: Model, theta: Array[Double], v: ColumnMatrix) =
    CurvatureAggregator.blockProduct(new InlineShared(theta), new InlineShared(v), model,
      RowSample.all(), PointStates.none(), Curvature.GAUSS_NEWTON)

  private def fold(a: CurvatureAggregator, blocks: Seq[RowBlock]) = blocks.foldLeft(a)(_.add(_))

  private def randomMatrix(rows: Int, cols: Int, rnd: Random) =
    new ColumnMatrix(rows, cols, Array.fill(rows * cols)(rnd.nextGaussian()))

  /** Each block's state from its outputs, then `addCurvatureTimes` block after block. */
  private def blockByBlock(model: LinearModel, blocks: Seq[RowBlock], theta: Array[Double],
      v: ColumnMatrix): Array[Double] = {
    val out = ColumnMatrix.zeros(model.dimension(), v.cols())
    for (b <- blocks) {
      val nk = b.numRows() * model.numOutputs()
      val z = new Array[Double](nk)
      val state = new Array[Double](b.numRows() * model.loss().stateWidth())
      model.outputs(b, theta, z)
      model.loss().evaluateBlock(b, z, new Array[Double](nk), state)
      model.addCurvatureTimes(Curvature.GAUSS_NEWTON, b, theta, state, v, out)
    }
    out.data()
  }

  /** `G V` with `G` the dense Gauss-Newton matrix (`loss.curvature` entry by entry). */
  private def denseTimes(model: LinearModel, blocks: Seq[RowBlock], theta: Array[Double],
      v: ColumnMatrix): Array[Double] = {
    val g = CurvatureAggregator.denseMatrix(new InlineShared(theta), model, RowSample.all(),
      PointStates.none())
    val p = model.dimension()
    val h = fold(g, blocks).sum(p, p)
    val out = new Array[Double](p * v.cols())
    for (c <- 0 until v.cols(); i <- 0 until p) {
      out(c * p + i) = (0 until p).map(j => h.get(i, j) * v.get(j, c)).sum
    }
    out
  }

  private def maxRelErr(a: Array[Double], b: Array[Double]): Double = {
    val scale = b.map(math.abs).max
    a.indices.map(i => math.abs(a(i) - b(i))).max / scale
  }

  for ((name, loss, rows) <- cases; intercept <- Seq(true, false)) {
    val k = loss.numOutputs()
    // K r of 8 (one whole vector or two), 9 (a row padded to whole vectors), 10, 20.
    for (r <- Seq(1, 2, 3, 8, 9) if k * r >= 8 && k * r <= 20) {
      test(s"$name, intercept=$intercept, r=$r: the column-major products' bits, and G V") {
        val model = new LinearModel(d, intercept, loss)
        assert(model.featureMajorPays(k.toLong * r))
        val rnd = new Random(31 + r)
        val theta = Array.fill(model.dimension())(0.3 * rnd.nextGaussian())
        val v = randomMatrix(model.dimension(), r, rnd)
        val blocks = TestData.blocks(rows, d, 48, sparse = true).asScala.toSeq
        val got = fold(aggregator(model, theta, v), blocks).sum(model.dimension(), r).data()
        val want = blockByBlock(model, blocks, theta, v)
        val differing = got.indices.count(i => got(i) != want(i))
        assert(differing == 0, s"$differing of ${got.length} entries differ from the sum by blocks")
        assert(maxRelErr(got, denseTimes(model, blocks, theta, v)) < 1e-12)
      }
    }
  }

  test("the columns and bytes for which the products run feature-major") {
    val model = new LinearModel(d, true, LogisticLoss.INSTANCE)
    assert(!model.featureMajorPays(LinearModel.FEATURE_MAJOR_MIN_WIDTH - 1))
    assert(model.featureMajorPays(LinearModel.FEATURE_MAJOR_MIN_WIDTH))
    // news20's sketch (d = 62,061, r = 113: 115 MB) is wide enough to pay from memory; its
    // softmax products (K = 20: 20 MB) are not, and d = 10^6 at r = 64 exceeds the workspace.
    assert(new LinearModel(62061, false, LogisticLoss.INSTANCE).featureMajorPays(113))
    val news20 = new LinearModel(62061, true, new SoftmaxCrossEntropy(20))
    assert(!news20.featureMajorPays(20) && !news20.featureMajorLinePays())
    assert(!new LinearModel(1000000, false, LogisticLoss.INSTANCE).featureMajorPays(64))
    // The JMH benchmark's softmax (d = 20,000, K = 10: 3.8 MB) stays in the cache share.
    val jmh = new LinearModel(20000, true, new SoftmaxCrossEntropy(10))
    assert(jmh.featureMajorPays(10) && jmh.featureMajorLinePays())
  }

  test("dense and CSR blocks in one task: the sum of both paths, to rounding") {
    val loss = new SoftmaxCrossEntropy(3)
    val rows = TestData.multiclassRows(300, d, 3, 0.3, 8L)
    val model = new LinearModel(d, true, loss)
    val rnd = new Random(9)
    val theta = Array.fill(model.dimension())(0.3 * rnd.nextGaussian())
    val v = randomMatrix(model.dimension(), 3, rnd)
    val sparse = TestData.blocks(rows, d, 50, sparse = true).asScala.toSeq
    val dense = TestData.blocks(rows, d, 50, sparse = false).asScala.toSeq
    val mixed = sparse.indices.map(i => if (i % 2 == 0) sparse(i) else dense(i))
    val got = fold(aggregator(model, theta, v), mixed).sum(model.dimension(), 3).data()
    assert(maxRelErr(got, blockByBlock(model, sparse, theta, v)) < 1e-13)
  }

  test("a held sum is flushed before it is merged, compacted or serialized") {
    val loss = new SoftmaxCrossEntropy(3)
    val model = new LinearModel(d, true, loss)
    val rnd = new Random(10)
    val theta = Array.fill(model.dimension())(0.3 * rnd.nextGaussian())
    val v = randomMatrix(model.dimension(), 3, rnd)
    val blocks = TestData.blocks(TestData.multiclassRows(240, d, 3, 0.2, 11L), d, 40, sparse = true)
      .asScala.toSeq
    val (first, second) = blocks.splitAt(3)
    val want = blockByBlock(model, blocks, theta, v)
    val p = model.dimension()

    val merged = fold(aggregator(model, theta, v), first)
      .merge(fold(aggregator(model, theta, v), second))
    assert(maxRelErr(merged.sum(p, 3).data(), want) < 1e-13, "merge")
    assert(merged.count() == 240)

    val compacted = fold(aggregator(model, theta, v), first).compacted()
      .merge(fold(aggregator(model, theta, v), second).compacted())
    assert(maxRelErr(compacted.sum(p, 3).data(), want) < 1e-13, "compacted, then merged")

    val bytes = new ByteArrayOutputStream()
    val out = new ObjectOutputStream(bytes)
    out.writeObject(fold(aggregator(model, theta, v), blocks))
    out.close()
    val back = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray)).readObject()
      .asInstanceOf[CurvatureAggregator]
    val got = back.sum(p, 3).data()
    assert(got.indices.forall(i => got(i) == want(i)), "serialized before a flush")
  }
  for ((name, loss, rows) <- cases; intercept <- Seq(true, false)) {
    test(s"line pass, $name, intercept=$intercept: outputsAndSlopes' bits, CSR and dense blocks") {
      val model = new LinearModel(d, intercept, loss)
      val rnd = new Random(41)
      val theta = Array.fill(model.dimension())(0.3 * rnd.nextGaussian())
      val p = Array.fill(model.dimension())(rnd.nextGaussian())
      val sparse = TestData.blocks(rows, d, 48, sparse = true).asScala.toSeq
      val dense = TestData.blocks(rows, d, 48, sparse = false).asScala.toSeq
      val line = model.linePass(theta, p)
      for (b <- sparse ++ dense) {
        val nk = b.numRows() * model.numOutputs()
        val (z, u, zWant, uWant) = (new Array[Double](nk), new Array[Double](nk),
          new Array[Double](nk), new Array[Double](nk))
        line.outputsAndSlopes(b, z, u)
        // The column-major products (for one output: the two row products of multiplyTwo).
        model.outputs(b, theta, zWant)
        model.jacobianTimes(b, theta, new ColumnMatrix(p.length, 1, p), uWant)
        assert(z.sameElements(zWant) && u.sameElements(uWant), s"block ${b.id()}")
      }
    }
  }
  /** The gradient pass block by block through the column-major default pass (`Model.forward`). */
  private def columnMajorGradient(model: LinearModel, blocks: Seq[RowBlock],
      theta: Array[Double]): (Double, Array[Double]) = {
    val gradient = new Array[Double](model.dimension())
    var loss = 0.0
    for (b <- blocks) {
      val nk = b.numRows() * model.numOutputs()
      loss += model.forward(b, theta).addLossGradient(new Array[Double](nk),
        new Array[Double](b.numRows() * model.loss().stateWidth()),
        new ColumnMatrix(model.dimension(), 1, gradient))
    }
    (loss, gradient)
  }

  private def gradientAggregator(model: Model, theta: Array[Double]) =
    new ValueGradientAggregator(new InlineShared(theta), model, true, true, RowSample.all(),
      java.util.List.of(), PointStates.none())

  for (intercept <- Seq(true, false)) {
    test(s"softmax10 gradient pass, intercept=$intercept: the column-major pass's bits") {
      val model = new LinearModel(d, intercept, new SoftmaxCrossEntropy(10))
      assert(model.featureMajorPays(10))
      val rnd = new Random(51)
      val theta = Array.fill(model.dimension())(0.3 * rnd.nextGaussian())
      val rows = TestData.multiclassRows(260, d, 10, 0.2, 7L)
      val sparse = TestData.blocks(rows, d, 48, sparse = true).asScala.toSeq
      val agg = fold2(gradientAggregator(model, theta), sparse)
      val (loss, gradient) = columnMajorGradient(model, sparse, theta)
      assert(agg.lossSum() == loss)
      val got = agg.gradientSum(model.dimension())
      assert(got.indices.forall(j => got(j) == gradient(j)), "gradient")
      // The diagonal and the squares take the pass's derivatives and state: the same as the
      // column-major pass's on the dense blocks of the same rows, to rounding.
      val dense = TestData.blocks(rows, d, 48, sparse = false).asScala.toSeq
      val denseAgg = fold2(gradientAggregator(model, theta), dense)
      val p = model.dimension()
      assert(maxRelErr(agg.diagonalSum(p).get, denseAgg.diagonalSum(p).get) < 1e-12)
      assert(maxRelErr(agg.squaresSum(p).get, denseAgg.squaresSum(p).get) < 1e-12)
      assert(maxRelErr(got, denseAgg.gradientSum(p)) < 1e-12)
      // Outputs asked for before the loss: the same bits as the column-major outputs.
      val pass = model.gradientPasses(theta).forward(sparse.head)
      val want = new Array[Double](sparse.head.numRows() * 10)
      model.outputs(sparse.head, theta, want)
      assert(pass.outputs().sameElements(want))
    }
  }

  test("a held gradient is flushed before it is merged, compacted or serialized") {
    val model = new LinearModel(d, true, new SoftmaxCrossEntropy(10))
    val rnd = new Random(52)
    val theta = Array.fill(model.dimension())(0.3 * rnd.nextGaussian())
    val blocks = TestData.blocks(TestData.multiclassRows(240, d, 10, 0.2, 12L), d, 40,
      sparse = true).asScala.toSeq
    val (first, second) = blocks.splitAt(3)
    val (_, want) = columnMajorGradient(model, blocks, theta)
    val p = model.dimension()
    val merged = fold2(gradientAggregator(model, theta), first)
      .merge(fold2(gradientAggregator(model, theta), second))
    assert(maxRelErr(merged.gradientSum(p), want) < 1e-13, "merge")
    val compacted = fold2(gradientAggregator(model, theta), first).compacted()
      .merge(fold2(gradientAggregator(model, theta), second).compacted())
    assert(maxRelErr(compacted.gradientSum(p), want) < 1e-13, "compacted, then merged")
    val bytes = new ByteArrayOutputStream()
    val out = new ObjectOutputStream(bytes)
    out.writeObject(fold2(gradientAggregator(model, theta), blocks))
    out.close()
    val back = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray)).readObject()
      .asInstanceOf[ValueGradientAggregator]
    val got = back.gradientSum(p)
    assert(got.indices.forall(j => got(j) == want(j)), "serialized before a flush")
  }

  private def fold2(a: ValueGradientAggregator, blocks: Seq[RowBlock]) =
    blocks.foldLeft(a)(_.add(_))
}
