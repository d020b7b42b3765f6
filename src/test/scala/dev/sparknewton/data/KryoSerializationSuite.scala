package dev.sparknewton.data

import dev.sparknewton.TestData
import dev.sparknewton.linalg.ColumnMatrix
import dev.sparknewton.ml.ScoredRow
import dev.sparknewton.models.{Curvature, CurvatureAggregator, LineValuesAggregator, LinearModel, PointStates, Shared, SoftmaxCrossEntropy, ValueGradientAggregator}
import java.util.Optional
import org.apache.spark.SparkConf
import org.apache.spark.serializer.KryoSerializer
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.reflect.ClassTag
import scala.util.Random

/**
 * Everything that travels through Spark's data serializer (task results of the aggregations and
 * scans, cached and shuffled rows) survives a Kryo round trip: a cluster may set
 * `spark.serializer = KryoSerializer` (Kryo 4 on Java 17 cannot serialize records, so none of
 * these may be one).
 */
class KryoSerializationSuite extends AnyFunSuite {

  private val kryo = new KryoSerializer(new SparkConf()).newInstance()

  private def roundTrip[T: ClassTag](value: T): T = kryo.deserialize[T](kryo.serialize(value))

  /** A Shared that is a plain value, as a broadcast's value is on an executor. */
  private final class Plain[T](value: T) extends Shared[T] {
    override def get(): T = value
    override def close(): Unit = ()
  }

  test("aggregators with their partial sums, row blocks and scored rows survive Kryo") {
    val d = 5
    val rows = TestData.multiclassRows(n = 60, d = d, k = 3, density = 0.6, seed = 3L)
    val blocks = TestData.blocks(rows, d, 20, sparse = true).asScala ++
      TestData.blocks(rows, d, 20, sparse = false).asScala
    val model = new LinearModel(d, true, new SoftmaxCrossEntropy(3))
    val theta = new Plain(Array.fill(model.dimension())(new Random(4).nextGaussian()))
    val v = new Plain(ColumnMatrix.ofColumns(Array.fill(model.dimension())(0.5)))
    val states = new PointStates(7L, 0L)
    val fused = CurvatureAggregator.blockProduct(theta, v, model, RowSample.of(0.5, 1L), states,
      Curvature.GAUSS_NEWTON)
    val grad = new ValueGradientAggregator(theta, model, true, true, RowSample.all(),
      java.util.List.of(fused), states)
    val line = new LineValuesAggregator(theta, new Plain(Array.fill(model.dimension())(1.0)),
      Array(1.0, 0.5), model)
    blocks.foreach { b =>
      grad.add(b)
      line.add(b)
      assert(roundTrip(b).numRows() == b.numRows())
    }
    // A partial sum travels in the form compacted() leaves it in, as the folds send it: a task's
    // feature-major curvature products hold part of the fused sum until then.
    val g = roundTrip(grad.compacted())
    assert(g.lossSum() == grad.lossSum())
    assert(g.gradientSum(model.dimension()).sameElements(grad.gradientSum(model.dimension())))
    assert(g.fused().get(0).sum(model.dimension(), 1).data()
      .sameElements(grad.fused().get(0).sum(model.dimension(), 1).data()))
    assert(roundTrip(line).lossSums().sameElements(line.lossSums()))
    val scored = roundTrip(new ScoredRow(Array(1.0, 2.0), 1.0, 0.5))
    assert(scored.outputs().sameElements(Array(1.0, 2.0)) && scored.weight() == 0.5)
    val mapping = LabelMapping.ofNumbers(java.util.List.of(1.0, 5.0, 9.0), LabelKind.MULTICLASS,
      1000, Optional.empty(), "here")
    assert(roundTrip(mapping).map(5.0) == 1.0)
  }

  test("an IDX chunk (a broadcast value) survives Kryo") {
    val labels = Array[Byte](3, -1)
    val pixels = Array[Byte](0, 1, 2, -128, -1, 0)
    val labelOf = Array.tabulate(256)(_.toDouble)
    val rows = roundTrip(new IdxSource.Chunk(labels, pixels)).rows(labelOf).asScala.toSeq
    assert(rows.map(_.getDouble(0)) == Seq(3.0, 255.0))
    assert(rows.map(_.getAs[org.apache.spark.ml.linalg.Vector](1).toArray.toSeq) ==
      Seq(Seq(0.0, 1 / 255.0, 2 / 255.0), Seq(128 / 255.0, 1.0, 0.0)))
  }

  test("a libsvm scan with its line locations survives Kryo") {
    val scan = new LibSvmScan(11)
    scan.addRow(1.0, 3, new LineLocation("file:/a/b.txt", 0L, 1L))
    scan.fail(new LineLocation("file:/a/b.txt", 100L, 4L), "cannot parse")
    val back = roundTrip(scan)
    assert(back.rows() == 1 && back.errorAt().lineInSplit() == 4L && back.error() == "cannot parse")
    assert(back.labels().get(1.0).fileName() == "b.txt")
  }
}
