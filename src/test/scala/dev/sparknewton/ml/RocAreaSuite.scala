package dev.sparknewton.ml

import dev.sparknewton.SharedSpark
import dev.sparknewton.data.{LabelKind, LabelMapping}
import org.apache.spark.ml.linalg.{SQLDataTypes, Vectors => MlVectors}
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics
import org.apache.spark.sql.{Dataset, Row}
import org.apache.spark.sql.types.{DoubleType, StructType}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * The Dataset-API AUC ([[RocArea]], what Spark Connect sessions use) against Spark MLlib's
 * `BinaryClassificationMetrics(numBins = 0)` on classic Spark, on the same (score, label, weight)
 * rows: tied scores, weights (zeros included), -0.0 beside 0.0, several partitions after the sort.
 */
class RocAreaSuite extends AnyFunSuite with SharedSpark {

  private val schema = new StructType().add("score", DoubleType).add("label", DoubleType)
    .add("weight", DoubleType)

  private def frame(rows: Seq[(Double, Double, Double)], partitions: Int): Dataset[Row] =
    spark.createDataFrame(rows.map { case (s, y, w) => Row(s, y, w) }.asJava, schema)
      .repartition(partitions)

  private def mllib(rows: Seq[(Double, Double, Double)]): Double =
    new BinaryClassificationMetrics(spark.sparkContext.parallelize(rows, 3), 0).areaUnderROC()

  /** Seeded rows; `grid > 0` rounds the scores to multiples of 1/grid so that ties are common. */
  private def rows(n: Int, seed: Long, grid: Int, weighted: Boolean): Seq[(Double, Double, Double)] = {
    val rnd = new Random(seed)
    Seq.fill(n) {
      val y = if (rnd.nextDouble() < 0.3) 1.0 else 0.0
      val raw = rnd.nextGaussian() + 0.8 * y
      val s = if (grid > 0) math.rint(raw * grid) / grid else raw
      val w = if (!weighted) 1.0 else if (rnd.nextDouble() < 0.05) 0.0 else 0.1 + 2.9 * rnd.nextDouble()
      (s, y, w)
    }
  }

  /** Runs `body` with the sort's output in `n` partitions (no adaptive coalescing into one). */
  private def withSortPartitions[T](n: Int)(body: => T): T = {
    val keys = Seq("spark.sql.shuffle.partitions", "spark.sql.adaptive.coalescePartitions.enabled")
    val saved = keys.map(k => k -> spark.conf.getOption(k))
    spark.conf.set(keys(0), n.toString)
    spark.conf.set(keys(1), "false")
    try body finally saved.foreach { case (k, v) => v.fold(spark.conf.unset(k))(spark.conf.set(k, _)) }
  }

  private def assertClose(ours: Double, theirs: Double, what: String): Unit =
    assert(math.abs(ours - theirs) <= 1e-12 * math.max(1.0, math.abs(theirs)), s"$what: $ours vs MLlib $theirs")

  test("equals MLlib's exact AUC with tied scores and weights, over 1, 3 and 7 partitions") {
    for ((grid, weighted, seed) <- Seq((4, true, 1L), (0, true, 2L), (2, false, 3L), (0, false, 4L));
         partitions <- Seq(1, 3, 7)) {
      val r = rows(3000, seed, grid, weighted)
      val expected = mllib(r)
      val ours = withSortPartitions(partitions)(RocArea.of(frame(r, partitions)))
      assertClose(ours, expected, s"grid $grid weighted $weighted partitions $partitions")
    }
  }

  test("all rows tied is the diagonal (0.5); -0.0 and 0.0 are two scores, as MLlib's Double keys") {
    val tied = Seq.tabulate(50)(i => (0.25, (i % 3 % 2).toDouble, 1.0 + i % 4))
    assertClose(withSortPartitions(3)(RocArea.of(frame(tied, 3))), 0.5, "all tied")
    assertClose(mllib(tied), 0.5, "MLlib all tied")
    val zeros = Seq((0.0, 1.0, 1.0), (-0.0, 0.0, 1.0), (-0.0, 1.0, 2.0), (0.0, 0.0, 1.0),
      (1.0, 1.0, 1.0), (-1.0, 0.0, 1.0), (0.0, 1.0, 1.0), (-0.0, 0.0, 3.0))
    assertClose(withSortPartitions(3)(RocArea.of(frame(zeros, 2))), mllib(zeros), "signed zeros")
  }

  test("one class only, or no weight at all: MLlib's conventions (rates of an empty class are 0)") {
    val positives = Seq((0.3, 1.0, 1.0), (0.1, 1.0, 2.0), (0.2, 1.0, 1.0))
    val negatives = positives.map { case (s, _, w) => (s, 0.0, w) }
    val weightless = positives.map { case (s, y, _) => (s, y, 0.0) } ++ negatives.map { case (s, y, _) => (s, y, 0.0) }
    for ((r, expected) <- Seq((positives, 1.0), (negatives, 0.0), (weightless, 0.5))) {
      assertClose(mllib(r), expected, "MLlib")
      assertClose(RocArea.of(frame(r, 2)), expected, "ours")
    }
  }

  test("binary test metrics through the Dataset API equal the classic ones (MLlib's AUC)") {
    val rnd = new Random(7)
    val d = 6
    val data = Seq.fill(1500) {
      val x = Array.fill(d)(if (rnd.nextDouble() < 0.5) 0.0 else math.rint(rnd.nextGaussian() * 2) / 2)
      val y = if (rnd.nextDouble() < 0.4) 1.0 else 0.0
      Row(y, MlVectors.dense(x).compressed, if (rnd.nextDouble() < 0.1) 0.0 else 0.5 + rnd.nextDouble())
    }
    val df = spark.createDataFrame(data.asJava, new StructType().add("label", DoubleType)
      .add("features", SQLDataTypes.VectorType).add("weight", DoubleType)).repartition(3)
    val model = new LinearModelFit(ModelType.BINARY_LOGISTIC, Array(Array(0.5, -1.0, 0.25, 0.0, 2.0, -0.5)),
      Array(0.125), LabelMapping.ofNumbers(java.util.List.of(0.0, 1.0), LabelKind.BINARY, 2,
        java.util.Optional.empty(), "test"), java.util.List.of())
    val classic = BinaryMetrics.evaluate(model, df)
    val datasets = withSortPartitions(5)(BinaryMetrics.evaluateByDatasets(model, df))
    assert(datasets.rows == 1500 && classic.rows == 1500)
    assertClose(datasets.auc, classic.auc, "auc")
    assertClose(datasets.accuracy, classic.accuracy, "accuracy")
    assertClose(datasets.logLoss, classic.logLoss, "logLoss")
  }
}
