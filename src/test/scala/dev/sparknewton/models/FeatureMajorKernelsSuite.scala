package dev.sparknewton.models

import dev.sparknewton.TestData
import dev.sparknewton.data.{RowBlock, RowSample}
import dev.sparknewton.linalg.ColumnMatrix
import java.io.{ByteArrayInputStream, ByteArrayOutputStream, ObjectInputStream, ObjectOutputStream}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * A single-output linear model's curvature products over a task's CSR blocks with 8 or more
 * columns (`LinearModel.curvatureProducts`: one sweep per block on a feature-major copy of `V`,
 * the sum held feature-major until the aggregator flushes it): the bits of the column-major products
 * block by block, the dense Gauss-Newton matrix times `V`, and a sum that survives merging,
 * compacting and Java serialization before it was flushed; and the line pass's outputs and
 * slopes (one output: `theta` and `p` interleaved in one array) against the column-major products.
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
    // r of 8 (one whole vector or two), 9 (a row padded to whole vectors), 16; multi-output
    // models keep the column-major products, and the same checks hold for them.
    for (r <- Seq(1, 8, 9, 16) if k * r >= 8 && k * r <= 20) {
      test(s"$name, intercept=$intercept, r=$r: the column-major products' bits, and G V") {
        val model = new LinearModel(d, intercept, loss)
        assert(model.featureMajorPays(r) == (k == 1))
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
    // news20's sketch (d = 62,061, r = 113: 115 MB) is wide enough to pay from memory; 20
    // columns there (20 MB) are not, and d = 10^6 at r = 64 exceeds the workspace.
    val news20 = new LinearModel(62061, false, LogisticLoss.INSTANCE)
    assert(news20.featureMajorPays(113) && !news20.featureMajorPays(20))
    assert(!new LinearModel(1000000, false, LogisticLoss.INSTANCE).featureMajorPays(64))
    // The JMH benchmark's H V (d = 20,000, r = 8: 2.6 MB) stays in the cache share.
    assert(new LinearModel(20000, true, LogisticLoss.INSTANCE).featureMajorPays(8))
    // A multi-output model's products stay column-major.
    val softmax = new LinearModel(d, true, new SoftmaxCrossEntropy(10))
    val v = randomMatrix(softmax.dimension(), 1, new Random(1))
    val products = softmax.curvatureProducts(Curvature.GAUSS_NEWTON,
      new Array[Double](softmax.dimension()), v)
    assert(!products.getClass.getName.contains("FeatureMajor"))
  }

  test("dense and CSR blocks in one task: the sum of both paths, to rounding") {
    val rows = TestData.rows(300, d, 0.3, 8L)
    val model = new LinearModel(d, true, LogisticLoss.INSTANCE)
    val rnd = new Random(9)
    val theta = Array.fill(model.dimension())(0.3 * rnd.nextGaussian())
    val v = randomMatrix(model.dimension(), 8, rnd)
    val sparse = TestData.blocks(rows, d, 50, sparse = true).asScala.toSeq
    val dense = TestData.blocks(rows, d, 50, sparse = false).asScala.toSeq
    val mixed = sparse.indices.map(i => if (i % 2 == 0) sparse(i) else dense(i))
    val got = fold(aggregator(model, theta, v), mixed).sum(model.dimension(), 8).data()
    assert(maxRelErr(got, blockByBlock(model, sparse, theta, v)) < 1e-13)
  }

  test("a held sum is flushed before it is merged, compacted or serialized") {
    val model = new LinearModel(d, true, LogisticLoss.INSTANCE)
    val rnd = new Random(10)
    val theta = Array.fill(model.dimension())(0.3 * rnd.nextGaussian())
    val v = randomMatrix(model.dimension(), 9, rnd)
    val blocks = TestData.blocks(TestData.rows(240, d, 0.2, 11L), d, 40, sparse = true)
      .asScala.toSeq
    val (first, second) = blocks.splitAt(3)
    val want = blockByBlock(model, blocks, theta, v)
    val p = model.dimension()

    val merged = fold(aggregator(model, theta, v), first)
      .merge(fold(aggregator(model, theta, v), second))
    assert(maxRelErr(merged.sum(p, 9).data(), want) < 1e-13, "merge")
    assert(merged.count() == 240)

    val compacted = fold(aggregator(model, theta, v), first).compacted()
      .merge(fold(aggregator(model, theta, v), second).compacted())
    assert(maxRelErr(compacted.sum(p, 9).data(), want) < 1e-13, "compacted, then merged")

    val bytes = new ByteArrayOutputStream()
    val out = new ObjectOutputStream(bytes)
    out.writeObject(fold(aggregator(model, theta, v), blocks))
    out.close()
    val back = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray)).readObject()
      .asInstanceOf[CurvatureAggregator]
    val got = back.sum(p, 9).data()
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
}
