package dev.sparknewton.distributed

import dev.sparknewton.{SharedSpark, TestData, TestModels}
import dev.sparknewton.data.{RowBlock, RowSample, TrainingData}
import dev.sparknewton.linalg.ColumnMatrix
import dev.sparknewton.ml.ModelTraining
import dev.sparknewton.models.{InlineShared, LogisticLoss, OutputLoss, SoftmaxCrossEntropy}
import dev.sparknewton.objective.{BlockFold, EvaluationRequest}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * The Dataset fold (the Dataset API alone, for Spark Connect) against the RDD fold on classic
 * local Spark: the same blocks in the same partitions give the same value, gradient, diagonal,
 * Hv, H*V, dense Hessian and line values (to 1e-12; in fact the same bits, since both merge the
 * partial sums in the same order), the same passes, and whole training runs end at the same
 * optimum after the same passes.
 */
class DatasetBlockFoldSuite extends AnyFunSuite with SharedSpark {

  private val d = 9

  private final case class Case(name: String, loss: OutputLoss, rows: IndexedSeq[TestData.Row])

  private val cases = Seq(
    Case("binary logistic", LogisticLoss.INSTANCE, TestData.rows(n = 300, d = d, density = 0.4, seed = 17L)),
    Case("multinomial K=3", new SoftmaxCrossEntropy(3),
      TestData.multiclassRows(n = 300, d = d, k = 3, density = 0.4, seed = 18L)))

  private def relErr(a: Double, b: Double): Double = math.abs(a - b) / math.max(1.0, math.abs(b))

  private def maxRelErr(a: Array[Double], b: Array[Double]): Double = {
    assert(a.length == b.length)
    a.indices.map(i => relErr(a(i), b(i))).foldLeft(0.0)(math.max)
  }

  private def rddFold(blocks: java.util.List[RowBlock], partitions: Int, depth: Int = 2) =
    RddBlockFold.cache(jsc.parallelize(blocks, partitions), depth)

  test("every product equals the RDD fold's for 1, 3 and 7 partitions, dense and sparse, binary and multinomial") {
    val rnd = new Random(5)
    val intercept = true // the model's layouts are ModelObjectiveSuite's; here the fold is under test
    for (c <- cases; sparse <- Seq(false, true); parts <- Seq(1, 3, 7)) {
      val label = s"${c.name}, sparse=$sparse, $parts partitions"
      val blocks = TestData.blocks(c.rows, d, 23, sparse) // 14 blocks
      val rdd = rddFold(blocks, parts)
      val ds = DatasetBlockFold.of(spark, blocks, parts, 2)
      try {
        assert(ds.numRows() == 300 && ds.numPartitions() == parts && ds.sizeInBytes() == rdd.sizeInBytes(), label)
        // Curvature state kept between passes on the Dataset fold too (budget > 0).
        val fr = TestModels.objective(c.loss, d, intercept, rdd, 0L, 1L << 24)
        val fd = TestModels.objective(c.loss, d, intercept, ds, 0L, 1L << 24)
        val n = fr.dimension()
        val w = TestData.randomVector(n, rnd)
        val v = TestData.randomVector(n, rnd)
        val omega = ColumnMatrix.ofColumns(Array.fill(3)(TestData.randomVector(n, rnd)): _*)
        val sample = RowSample.of(0.4, 3L)
        val request = EvaluationRequest.valueAndGradient().withDiagonal().withBlockProduct(omega, sample)
        val (pr, pd) = (rdd.passes(), ds.passes())
        val er = fr.evaluate(w, request)
        val ed = fd.evaluate(w, request)
        assert(ds.passes() == pd + 1 && rdd.passes() == pr + 1, s"one fused pass ($label)")
        assert(relErr(ed.value(), er.value()) <= 1e-12, label)
        assert(maxRelErr(ed.gradient(), er.gradient()) <= 1e-12, label)
        assert(maxRelErr(ed.hessianDiagonal().get(), er.hessianDiagonal().get()) <= 1e-12, label)
        assert(maxRelErr(ed.curvature(sample).hessianBlockProduct(omega).data(),
          er.curvature(sample).hessianBlockProduct(omega).data()) <= 1e-12, label)
        assert(maxRelErr(ed.hessianVectorProduct(v), er.hessianVectorProduct(v)) <= 1e-12, label)
        assert(maxRelErr(ed.curvature(sample).hessianVectorProduct(v),
          er.curvature(sample).hessianVectorProduct(v)) <= 1e-12, label)
        assert(maxRelErr(ed.hessianBlockProduct(omega).data(), er.hessianBlockProduct(omega).data()) <= 1e-12, label)
        assert(maxRelErr(ed.denseHessian().data(), er.denseHessian().data()) <= 1e-12, label)
        val steps = Array(1.0, 0.5, 0.25, 0.125)
        assert(maxRelErr(ed.valuesAlong(v, steps), er.valuesAlong(v, steps)) <= 1e-12, label)
        assert(ds.passes() - pd == rdd.passes() - pr, s"the same passes on both folds ($label)")
      } finally {
        rdd.close()
        ds.close()
      }
    }
  }

  test("a deeper tree merges in the RDD fold's order, every block exactly once, one pass each") {
    val blocks = TestData.blocks(TestData.rows(48, 5, 0.5, 4L), 5, 2, sparse = false) // 24 blocks
    for ((partitions, depth) <- Seq((8, 1), (16, 2), (24, 3), (7, 4))) {
      val rdd = rddFold(blocks, partitions, depth)
      val ds = DatasetBlockFold.of(spark, blocks, partitions, depth)
      try {
        val expected = rdd.aggregate("merge order", new MergeOrder(1L)).ids
        for (seed <- 1L to 3L) {
          val order = ds.aggregate("merge order", new MergeOrder(seed)).ids
          assert(order == expected, s"$partitions partitions, depth $depth, seed $seed")
        }
        assert(expected.sorted == (0L until 24L).toVector)
        assert(ds.passes() == 3)
      } finally {
        rdd.close()
        ds.close()
      }
    }
  }

  test("the sampled rows collected to the driver are the RDD fold's, in the same order") {
    val blocks = TestData.blocks(cases.head.rows, d, 23, sparse = true)
    val rdd = rddFold(blocks, 3)
    val ds = DatasetBlockFold.of(spark, blocks, 3, 2)
    try {
      val sample = RowSample.of(0.3, 9L)
      def keys(bs: java.util.List[RowBlock]) =
        bs.asScala.map(b => (b.id(), (0 until b.numRows()).map(b.rowKey))).toVector
      val got = ds.collect("sample", sample)
      assert(keys(got) == keys(rdd.collect("sample", sample)))
      assert(got.asScala.map(_.numRows()).sum > 50 && ds.passes() == 1)
    } finally {
      rdd.close()
      ds.close()
    }
  }

  test("no blocks: the empty sum; the point travels inline, not as a broadcast") {
    val ds = DatasetBlockFold.of(spark, java.util.List.of[RowBlock](), 2, 2)
    try {
      val zero = new MergeOrder(1L)
      assert(ds.aggregate("empty", zero) eq zero)
      assert(ds.numRows() == 0 && ds.numPartitions() == 2)
      assert(ds.share(Array(1.0)).isInstanceOf[InlineShared[_]])
    } finally ds.close()
  }

  private def libsvmData(name: String, rows: IndexedSeq[TestData.Row], binary: Boolean): TrainingData =
    FoldComparisons.libsvmData(spark, name, rows, d, binary)

  test("spark.fold = dataset trains to the optimum of spark.fold = rdd in the same passes (exact Newton, Newton-CG)") {
    // driverCurvatureMb 0: every Hessian-vector product a pass over the cached blocks.
    FoldComparisons.sameOptimum(spark, d, 31L, FoldChoice.DATASET, 0L, 1e-10)
  }

  test("spark.fold = auto is the RDD fold on classic Spark; dataset builds the Dataset fold") {
    assert(DistributedFolds.resolve(FoldChoice.AUTO, spark) == FoldChoice.RDD)
    assert(DistributedFolds.resolve(FoldChoice.DATASET, spark) == FoldChoice.DATASET)
    val data = libsvmData("ds-auto", TestData.rows(200, d, 0.5, 33L), binary = true)
    val settings = new ModelTraining.Settings(1e-3, true, 2, 2, 1.0, 0L, 0L)
    val auto = ModelTraining.cacheFold(spark, data, settings)
    val dataset = ModelTraining.cacheFold(spark, data, settings.withFold(FoldChoice.DATASET))
    try {
      assert(auto.isInstanceOf[RddBlockFold] && dataset.isInstanceOf[DatasetBlockFold])
      assert(dataset.numRows() == 200 && dataset.numPartitions() == 2)
    } finally {
      auto.close()
      dataset.close()
    }
    val e = intercept[IllegalArgumentException](FoldChoice.parse("spark.fold", "rdds"))
    assert(e.getMessage == "spark.fold must be one of auto, rdd, dataset, driver, got 'rdds'")
  }
}
