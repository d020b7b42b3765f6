package dev.sparknewton.distributed

import dev.sparknewton.SharedSpark
import dev.sparknewton.data.{RowBlock, RowSample, SparseRowBlock}
import dev.sparknewton.linalg.ColumnMatrix
import dev.sparknewton.models.{Curvature, CurvatureAggregator, InlineShared, LinearModel, LogisticLoss, PointStates, Shared, ValueGradientAggregator}
import dev.sparknewton.objective.LocalBlockFold
import java.io.{ByteArrayOutputStream, ObjectOutputStream}
import org.apache.spark.SparkConf
import org.apache.spark.serializer.KryoSerializer
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * A block product's partial sum leaves its task without its zero rows (`compacted`): the rows of
 * the features the partition never stores. The sums must not change, and the bytes must fall.
 */
class CompactedSumsSuite extends AnyFunSuite with SharedSpark {
  private val d = 400
  private val r = 6
  private val model = new LinearModel(d, true, LogisticLoss.INSTANCE)
  private val rnd = new Random(5)
  private val theta = new InlineShared(Array.fill(model.dimension())(0.1 * rnd.nextGaussian()))
  private val v = new InlineShared(new ColumnMatrix(model.dimension(), r,
    Array.fill(model.dimension() * r)(rnd.nextGaussian())))

  /** Blocks whose rows store only features in `[from, until)`: 5 of them a row, 12 rows a block. */
  private def bandBlocks(from: Int, until: Int, count: Int, firstId: Long, seed: Long): Seq[RowBlock] = {
    val g = new Random(seed)
    (0 until count).map { b =>
      val rows = 12
      val starts = Array.tabulate(rows + 1)(_ * 5)
      val columns = (0 until rows).flatMap(_ => g.shuffle((from until until).toList).take(5).sorted).toArray
      val values = Array.fill(columns.length)(g.nextGaussian())
      new SparseRowBlock(firstId + b, d, Array.fill(rows)(g.nextInt(2).toDouble),
        Array.fill(rows)(1.0 + g.nextDouble()), starts, columns, values)
    }
  }

  private def product(): CurvatureAggregator = product(theta, v)

  private def product(at: Shared[Array[Double]], directions: Shared[ColumnMatrix]): CurvatureAggregator =
    CurvatureAggregator.blockProduct(at, directions, model, RowSample.all(), PointStates.none(), Curvature.GAUSS_NEWTON)

  private def folded(blocks: Seq[RowBlock]): CurvatureAggregator = blocks.foldLeft(product())((a, b) => a.add(b))

  private def javaBytes(o: AnyRef): Int = {
    val bytes = new ByteArrayOutputStream()
    val out = new ObjectOutputStream(bytes)
    out.writeObject(o)
    out.close()
    bytes.size()
  }

  private def kryoRoundTrip[T: scala.reflect.ClassTag](o: T): T = {
    val ser = new KryoSerializer(new SparkConf()).newInstance()
    ser.deserialize[T](ser.serialize(o))
  }

  private def sumOf(a: CurvatureAggregator): Array[Double] = a.sum(model.dimension(), r).data()

  test("a compacted partial sum keeps only its nonzero rows and merges to the same bits as the dense one") {
    val quarter = bandBlocks(0, d / 4, 3, 0L, 1L)
    val rest = bandBlocks(d / 4, d, 3, 10L, 2L)
    // The aggregator carries its shared point and directions inline here; the sums are the rest.
    val empty = javaBytes(product())
    val dense = javaBytes(folded(quarter)) - empty
    val compact = javaBytes(folded(quarter).compacted()) - empty
    assert(compact < 0.35 * dense, s"compacted sum $compact bytes against $dense dense")
    // The same sum, compacted or not, and through Kryo (spark.serializer may be Kryo).
    assert(sumOf(folded(quarter).compacted()).sameElements(sumOf(folded(quarter))))
    assert(sumOf(kryoRoundTrip(folded(quarter).compacted())).sameElements(sumOf(folded(quarter))))
    // Merged either way round, into a dense, a compacted or an empty sum: the dense merge's bits.
    val expected = sumOf(folded(rest).merge(folded(quarter)))
    assert(sumOf(folded(rest).merge(folded(quarter).compacted())).sameElements(expected))
    assert(sumOf(folded(rest).compacted().merge(folded(quarter).compacted())).sameElements(expected))
    assert(sumOf(product().merge(folded(quarter).compacted())).sameElements(sumOf(folded(quarter))))
    val both = folded(rest).compacted().merge(folded(quarter).compacted())
    assert(both.count() == 72 && both.weightSum() == folded(rest ++ quarter).weightSum())
    // A sum whose rows are nearly all nonzero stays dense; so does the dense curvature matrix.
    val everywhere = folded(bandBlocks(0, d, 20, 20L, 3L))
    val before = javaBytes(everywhere)
    assert(javaBytes(everywhere.compacted()) == before)
  }

  test("the gradient pass compacts its fused block products, not its vectors") {
    val fused = product()
    val grad = new ValueGradientAggregator(theta, model, true, false, RowSample.all(),
      java.util.List.of(fused), PointStates.none())
    val blocks = bandBlocks(0, d / 4, 3, 0L, 1L)
    blocks.foreach(grad.add)
    val reference = folded(blocks)
    val g = kryoRoundTrip(grad.compacted())
    assert(g.gradientSum(model.dimension()).sameElements(grad.gradientSum(model.dimension())))
    assert(g.fused().get(0).sum(model.dimension(), r).data().sameElements(sumOf(reference)))
  }

  test("distributed block products: the local fold's sums, and a fraction of the dense partial sums' bytes") {
    // Partition p stores only features in the p-th quarter of [0, d).
    val blocks = (0 until 4).flatMap(p => bandBlocks(p * d / 4, (p + 1) * d / 4, 2, 100L * p, 7L + p))
    val local = new LocalBlockFold(blocks.asJava).aggregate("local", product())
    val sc = spark.sparkContext
    val group = "compacted-sums"
    val counter = PassCounter.register(sc, group)
    try {
      val fold = RddBlockFold.cache(jsc.parallelize(blocks.asJava, 4), 1)
      try {
        sc.setJobGroup(group, "test", false)
        val before = counter.settledBytesSent(sc, 10000)
        // Broadcast point and directions, as the objective shares them: the results carry the sums.
        val distributed = fold.aggregate("block product", product(fold.share(theta.get()), fold.share(v.get())))
        val bytes = counter.settledBytesSent(sc, 10000) - before
        sc.clearJobGroup()
        val a = sumOf(distributed)
        val b = sumOf(local)
        val worst = a.indices.map(i => math.abs(a(i) - b(i)) / (1.0 + math.abs(b(i)))).max
        assert(worst < 1e-12, s"distributed against local: $worst")
        val densePartials = 4L * 8 * model.dimension() * r
        assert(bytes < 0.5 * densePartials, s"$bytes bytes to the driver; dense partial sums are $densePartials")
      } finally fold.close()
    } finally {
      sc.clearJobGroup()
      counter.unregister(sc)
    }
  }
}
