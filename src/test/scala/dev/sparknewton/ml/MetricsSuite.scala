package dev.sparknewton.ml

import dev.sparknewton.SharedSpark
import dev.sparknewton.distributed.PassCounter
import org.apache.spark.SparkException
import org.apache.spark.api.java.JavaRDD
import org.apache.spark.mllib.evaluation.{MulticlassMetrics => MllibMulticlassMetrics}
import org.apache.spark.mllib.evaluation.{RegressionMetrics => MllibRegressionMetrics}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

class MetricsSuite extends AnyFunSuite with SharedSpark {

  private val Tol = 1e-12

  private def assertClose(actual: Double, expected: Double, what: String, tol: Double = Tol): Unit =
    assert(math.abs(actual - expected) <= tol * math.max(1.0, math.abs(expected)),
      s"$what: $actual vs $expected")

  private def rdd(rows: Seq[ScoredRow], partitions: Int): JavaRDD[ScoredRow] =
    jsc.parallelize(rows.asJava, partitions)

  /** The prediction rule written independently of the code under test: first index of the max. */
  private def argmax(z: Array[Double]): Int = z.indexOf(z.max)

  /**
   * Seeded K-class scores: the true class's score is raised by `signal`; scores are rounded to
   * multiples of 0.5 so that ties are frequent; weights uniform in [0.1, 3].
   */
  private def multiclassRows(n: Int, k: Int, seed: Long, labels: Int = -1,
      signal: Double = 1.0): IndexedSeq[ScoredRow] = {
    val rnd = new Random(seed)
    val numLabels = if (labels < 0) k else labels
    IndexedSeq.fill(n) {
      val y = rnd.nextInt(numLabels)
      val z = Array.fill(k)(rnd.nextGaussian())
      z(y) += signal
      for (j <- z.indices) z(j) = math.rint(2.0 * z(j)) / 2.0
      new ScoredRow(z, y.toDouble, 0.1 + 2.9 * rnd.nextDouble())
    }
  }

  private def mllibMulticlass(rows: Seq[ScoredRow]): MllibMulticlassMetrics =
    new MllibMulticlassMetrics(spark.sparkContext.parallelize(
      rows.map(r => (argmax(r.outputs).toDouble, r.label, r.weight)), 3))

  /** Compares everything MLlib computes; `present` are the classes that occur as true labels. */
  private def assertMatchesMllib(ours: MulticlassMetrics, rows: Seq[ScoredRow]): Unit = {
    val mllib = mllibMulticlass(rows)
    val present = rows.filter(_.weight > 0).map(_.label).distinct.sorted
    assert(mllib.labels.toSeq == present)
    assertClose(ours.accuracy, mllib.accuracy, "accuracy")
    assertClose(ours.weightedPrecision, mllib.weightedPrecision, "weightedPrecision")
    assertClose(ours.weightedRecall, mllib.weightedRecall, "weightedRecall")
    assertClose(ours.macroF1, mllib.labels.map(l => mllib.fMeasure(l)).sum / mllib.labels.length,
      "macroF1")
    assertClose(ours.totalWeight, rows.map(_.weight).sum, "totalWeight")
    assert(ours.rows == rows.length)
    ours.confusionMatrix.ifPresent { m =>
      // MLlib's matrix is over its labels only: compare the rows and columns of those classes.
      val cm = mllib.confusionMatrix
      for (i <- present.indices; j <- present.indices) {
        assertClose(m(present(i).toInt)(present(j).toInt), cm(i, j), s"confusion($i, $j)")
      }
    }
  }

  /** sum c (-log softmax(z)_y) / sum c with the textbook formula (fine for moderate scores). */
  private def directLogLoss(rows: Seq[ScoredRow]): Double = {
    val losses = rows.map { r =>
      val p = math.exp(r.outputs()(r.label.toInt)) / r.outputs.map(math.exp).sum
      r.weight * -math.log(p)
    }
    losses.sum / rows.map(_.weight).sum
  }

  test("multiclass metrics equal Spark MLlib's on weighted rows with tied scores") {
    val k = 6
    val rows = multiclassRows(3000, k, 11L)
    assert(rows.count(r => r.outputs.count(_ == r.outputs.max) > 1) > 100, "ties are exercised")
    val ours = MulticlassMetrics.evaluate(rdd(rows, 4), k)
    assert(ours.numClasses == k)
    assert(ours.accuracy > 0.3 && ours.accuracy < 0.9, "a non-trivial classifier")
    assert(ours.confusionMatrix.isPresent)
    assertMatchesMllib(ours, rows)
    assertClose(ours.weightedRecall, ours.accuracy, "weighted recall is the accuracy")
    val m = ours.confusionMatrix.get
    assert(m.length == k && m.forall(_.length == k))
    for (c <- 0 until k) {
      assertClose(m(c).sum, rows.filter(_.label == c).map(_.weight).sum, s"true weight of $c")
    }
  }

  test("a small example computed by hand: ties to the smallest index, a weight-0 row") {
    val rows = Seq(
      new ScoredRow(Array(2.0, 1.0, 0.0), 0, 1.0), //   predicted 0
      new ScoredRow(Array(1.0, 3.0, 3.0), 2, 2.0), //   predicted 1 (tie of 1 and 2)
      new ScoredRow(Array(0.0, 0.0, 0.0), 0, 0.5), //   predicted 0 (three-way tie)
      new ScoredRow(Array(0.0, 1.0, 5.0), 2, 1.5), //   predicted 2
      new ScoredRow(Array(5.0, 0.0, 1.0), 1, 1.0), //   predicted 0
      new ScoredRow(Array(0.0, 0.0, 9.0), 1, 0.0)) //   weight 0: counted as a row, nothing else
    val ours = MulticlassMetrics.evaluate(rdd(rows, 2), 3)
    // True weights T = (1.5, 1, 3.5), predicted P = (2.5, 2, 1.5), correct C = (1.5, 0, 1.5),
    // W = 6. Precision (0.6, 0, 1), recall (1, 0, 3/7), F1 (0.75, 0, 0.6).
    assert(ours.rows == 6)
    assertClose(ours.totalWeight, 6.0, "W")
    assert(ours.confusionMatrix.get.map(_.toSeq).toSeq ==
      Seq(Seq(1.5, 0.0, 0.0), Seq(1.0, 0.0, 0.0), Seq(0.0, 2.0, 1.5)))
    assertClose(ours.accuracy, 0.5, "accuracy")
    assertClose(ours.weightedRecall, 0.5, "weightedRecall")
    assertClose(ours.weightedPrecision, (1.5 * 0.6 + 1.0 * 0.0 + 3.5 * 1.0) / 6.0, "precision")
    assertClose(ours.macroF1, (0.75 + 0.0 + 0.6) / 3.0, "macroF1")
    val softmaxLoss = Seq(
      1.0 -> (math.log(math.exp(2) + math.exp(1) + 1) - 2),
      2.0 -> (math.log(math.exp(1) + 2 * math.exp(3)) - 3),
      0.5 -> math.log(3.0),
      1.5 -> (math.log(1 + math.exp(1) + math.exp(5)) - 5),
      1.0 -> (math.log(math.exp(5) + 1 + math.exp(1)) - 0))
    assertClose(ours.logLoss, softmaxLoss.map { case (c, l) => c * l }.sum / 6.0, "logLoss")
    assertMatchesMllib(ours, rows)
  }

  test("a class that is never a true label is left out of macro-F1, as from MLlib's labels") {
    // Four classes, true labels in 0..2 only; class 3 is predicted (its scores are noise) and
    // class 2 is never predicted (its score is always the lowest).
    val rows = multiclassRows(2000, 4, 5L, labels = 3).map { r =>
      val z = r.outputs.clone()
      z(2) = z.min - 1.0
      new ScoredRow(z, r.label, r.weight)
    }
    val predicted = rows.map(r => argmax(r.outputs)).toSet
    assert(predicted.contains(3) && !predicted.contains(2))
    val ours = MulticlassMetrics.evaluate(rdd(rows, 3), 4)
    assertMatchesMllib(ours, rows)
    // Class 2 is present with F1 = 0: the mean is over three classes, not two or four.
    val mllib = mllibMulticlass(rows)
    assert(mllib.fMeasure(2.0) == 0.0)
    assertClose(ours.macroF1, (mllib.fMeasure(0.0) + mllib.fMeasure(1.0)) / 3.0, "macroF1")
    assert(ours.confusionMatrix.get()(3).forall(_ == 0.0), "no true row of class 3")
  }

  test("one class only: the metrics of that class") {
    val rows = multiclassRows(500, 3, 9L).map(r => new ScoredRow(r.outputs, 1.0, r.weight))
    val ours = MulticlassMetrics.evaluate(rdd(rows, 3), 3)
    assertMatchesMllib(ours, rows)
    assertClose(ours.weightedPrecision, 1.0, "every prediction of class 1 is right")
  }

  test("log-loss equals the direct formula and MLlib's logLoss of the softmax probabilities") {
    // Gaussian scores, not rounded: exp does not overflow, the textbook formula is accurate.
    val rnd = new Random(21L)
    val k = 5
    val rows = IndexedSeq.fill(1500) {
      val y = rnd.nextInt(k)
      val z = Array.fill(k)(2.0 * rnd.nextGaussian())
      z(y) += 1.5
      new ScoredRow(z, y.toDouble, 0.1 + 2.9 * rnd.nextDouble())
    }
    val ours = MulticlassMetrics.evaluate(rdd(rows, 4), k)
    assertClose(ours.logLoss, directLogLoss(rows), "direct")
    val withProbabilities = rows.map { r =>
      val e = r.outputs.map(math.exp)
      (argmax(r.outputs).toDouble, r.label, r.weight, e.map(_ / e.sum))
    }
    val mllib = new MllibMulticlassMetrics(spark.sparkContext.parallelize(withProbabilities, 3))
    assertClose(ours.logLoss, mllib.logLoss(1e-15), "MLlib")
  }

  test("log-loss is finite and exact for huge scores") {
    val rows = Seq(
      new ScoredRow(Array(1000.0, -1000.0), 0, 1.0), //  loss 0
      new ScoredRow(Array(1000.0, -1000.0), 1, 2.0), //  loss 2000
      new ScoredRow(Array(-1000.0, 1000.0), 1, 1.0), //  loss 0
      new ScoredRow(Array(1000.0, 1000.0), 1, 4.0), //   loss log 2
      new ScoredRow(Array(-1000.0, -1000.0), 0, 2.0)) // loss log 2
    // exp(1000) overflows: the textbook formula gives NaN here.
    assert(directLogLoss(rows).isNaN)
    val ours = MulticlassMetrics.evaluate(rdd(rows, 2), 2)
    assert(java.lang.Double.isFinite(ours.logLoss))
    assertClose(ours.logLoss, (2.0 * 2000.0 + 6.0 * math.log(2.0)) / 10.0, "logLoss")
    val one = MulticlassMetrics.evaluate(rdd(Seq(new ScoredRow(Array(1000.0, 999.0, -1e300), 1,
      1.0)), 1), 3)
    assertClose(one.logLoss, 1.0 + math.log1p(math.exp(-1.0)), "log(1 + e) - 0")
  }

  test("more than 50 classes: no confusion matrix, the same metrics") {
    val k = 60
    val rows = multiclassRows(3000, k, 13L, signal = 2.5)
    val ours = MulticlassMetrics.evaluate(rdd(rows, 3), k)
    assert(!ours.confusionMatrix.isPresent)
    assertMatchesMllib(ours, rows)
    val fifty = MulticlassMetrics.evaluate(
      rdd(multiclassRows(300, 50, 14L), 2), MulticlassMetrics.CONFUSION_MATRIX_MAX_CLASSES)
    assert(fifty.confusionMatrix.isPresent)
  }

  test("distributed multiclass metrics equal a local fold, across partition counts") {
    val k = 7
    val rows = multiclassRows(2500, k, 17L)
    val local = MulticlassMetrics.of(
      rows.foldLeft(new MulticlassMetricsAggregator(k))((a, r) => a.add(r)))
    for (partitions <- Seq(1, 3, 7)) {
      val d = MulticlassMetrics.evaluate(rdd(rows, partitions), k)
      assert(d.rows == local.rows)
      assertClose(d.totalWeight, local.totalWeight, s"W, $partitions partitions")
      assertClose(d.accuracy, local.accuracy, s"accuracy, $partitions partitions")
      assertClose(d.logLoss, local.logLoss, s"logLoss, $partitions partitions")
      assertClose(d.macroF1, local.macroF1, s"macroF1, $partitions partitions")
      assertClose(d.weightedPrecision, local.weightedPrecision, s"precision, $partitions")
      assertClose(d.weightedRecall, local.weightedRecall, s"recall, $partitions partitions")
      val (dm, lm) = (d.confusionMatrix.get, local.confusionMatrix.get)
      for (i <- 0 until k; j <- 0 until k) assertClose(dm(i)(j), lm(i)(j), s"confusion($i, $j)")
    }
  }

  /** y = 3 + 2 x + noise, prediction = 2.9 + 1.8 x; weights from `weight`. */
  private def regressionRows(n: Int, seed: Long, weight: Random => Double,
      offset: Double = 0.0): IndexedSeq[ScoredRow] = {
    val rnd = new Random(seed)
    IndexedSeq.fill(n) {
      val x = rnd.nextGaussian()
      val y = offset + 3.0 + 2.0 * x + 0.7 * rnd.nextGaussian()
      new ScoredRow(Array(offset + 2.9 + 1.8 * x), y, weight(rnd))
    }
  }

  private def mllibRegression(rows: Seq[ScoredRow]): MllibRegressionMetrics =
    new MllibRegressionMetrics(spark.sparkContext.parallelize(
      rows.map(r => (r.outputs()(0), r.label, r.weight)), 3))

  /** The weighted R^2 by two passes: the weighted mean first, then the sums. */
  private def twoPassR2(rows: Seq[ScoredRow]): Double = {
    val w = rows.map(_.weight).sum
    val mean = rows.map(r => r.weight * r.label).sum / w
    val ssRes = rows.map(r => r.weight * math.pow(r.label - r.outputs()(0), 2)).sum
    val ssTot = rows.map(r => r.weight * math.pow(r.label - mean, 2)).sum
    1.0 - ssRes / ssTot
  }

  test("RMSE and MAE equal Spark MLlib's on weighted rows; R^2 on unit weights") {
    val weighted = regressionRows(3000, 31L, rnd => 0.1 + 2.9 * rnd.nextDouble())
    val ours = RegressionMetrics.evaluate(rdd(weighted, 4))
    val mllib = mllibRegression(weighted)
    assert(ours.rows == 3000)
    assertClose(ours.totalWeight, weighted.map(_.weight).sum, "W")
    assertClose(ours.rmse, mllib.rootMeanSquaredError, "rmse")
    assertClose(ours.mae, mllib.meanAbsoluteError, "mae")
    assertClose(ours.r2, twoPassR2(weighted), "weighted r2, two passes")
    assert(ours.r2 > 0.5 && ours.r2 < 0.95)

    val unit = weighted.map(r => new ScoredRow(r.outputs, r.label, 1.0))
    val oursUnit = RegressionMetrics.evaluate(rdd(unit, 4))
    val mllibUnit = mllibRegression(unit)
    assertClose(oursUnit.rmse, mllibUnit.rootMeanSquaredError, "unit rmse")
    assertClose(oursUnit.mae, mllibUnit.meanAbsoluteError, "unit mae")
    assertClose(oursUnit.r2, mllibUnit.r2, "unit r2")
  }

  test("weighted R^2 treats weights as frequencies: MLlib's r2 on the rows repeated w times") {
    val rows = regressionRows(1500, 37L, rnd => (1 + rnd.nextInt(4)).toDouble)
    val repeated =
      rows.flatMap(r => Seq.fill(r.weight.toInt)(new ScoredRow(r.outputs, r.label, 1.0)))
    val ours = RegressionMetrics.evaluate(rdd(rows, 3))
    val mllib = mllibRegression(repeated)
    assertClose(ours.r2, mllib.r2, "r2")
    assertClose(ours.rmse, mllib.rootMeanSquaredError, "rmse")
    assertClose(ours.mae, mllib.meanAbsoluteError, "mae")
    // Scaling every weight changes nothing.
    val scaled = RegressionMetrics.evaluate(rdd(rows.map(r =>
      new ScoredRow(r.outputs, r.label, 7.3 * r.weight)), 3))
    assertClose(scaled.r2, ours.r2, "scaled r2")
    assertClose(scaled.rmse, ours.rmse, "scaled rmse")
    // What MLlib's r2 on the weighted rows is instead (the Javadoc's statement):
    // SS_tot (W - 1) / (W - sum c^2 / W) in place of SS_tot.
    val w = rows.map(_.weight).sum
    val w2 = rows.map(r => r.weight * r.weight).sum
    val ssRes = ours.rmse * ours.rmse * w
    val ssTot = ssRes / (1.0 - ours.r2)
    assertClose(mllibRegression(rows).r2, 1.0 - ssRes / (ssTot * (w - 1.0) / (w - w2 / w)),
      "MLlib's weighted r2", 1e-10)
  }

  test("R^2 keeps its digits when the targets' spread is tiny against their mean") {
    val rows = regressionRows(2000, 41L, rnd => 0.5 + rnd.nextDouble(), offset = 1e8)
    // sum c y^2 - W ybar^2 would cancel about 16 digits here.
    assertClose(RegressionMetrics.evaluate(rdd(rows, 5)).r2, twoPassR2(rows), "r2", 1e-7)
  }

  test("distributed regression metrics equal a local fold, across partition counts") {
    val rows = regressionRows(2500, 43L, rnd => if (rnd.nextInt(10) == 0) 0.0 else rnd.nextDouble())
    val local = RegressionMetrics.of(
      rows.foldLeft(new RegressionMetricsAggregator())((a, r) => a.add(r)))
    for (partitions <- Seq(1, 3, 7)) {
      val d = RegressionMetrics.evaluate(rdd(rows, partitions))
      assert(d.rows == 2500)
      assertClose(d.totalWeight, local.totalWeight, s"W, $partitions partitions")
      assertClose(d.rmse, local.rmse, s"rmse, $partitions partitions")
      assertClose(d.mae, local.mae, s"mae, $partitions partitions")
      assertClose(d.r2, local.r2, s"r2, $partitions partitions")
    }
  }

  test("R^2 of constant targets is NaN; a perfect fit has R^2 = 1 and zero errors") {
    val constant = (0 until 10).map(i => new ScoredRow(Array(i.toDouble), 4.0, 1.0))
    assert(RegressionMetrics.evaluate(rdd(constant, 2)).r2.isNaN)
    val perfect = (0 until 10).map(i => new ScoredRow(Array(i.toDouble), i.toDouble, 1.0 + i))
    val m = RegressionMetrics.evaluate(rdd(perfect, 2))
    assert(m.r2 == 1.0 && m.rmse == 0.0 && m.mae == 0.0)
  }

  test("each evaluate is exactly one Spark job") {
    val sc = spark.sparkContext
    val classRows = rdd(multiclassRows(1000, 4, 51L), 7) // 7 partitions: treeAggregate shuffles
    val regRows = rdd(regressionRows(1000, 52L, _ => 1.0), 7)
    for ((group, run) <- Seq[(String, () => Any)](
        "multiclass-metrics" -> (() => MulticlassMetrics.evaluate(classRows, 4)),
        "regression-metrics" -> (() => RegressionMetrics.evaluate(regRows)))) {
      val counter = PassCounter.register(sc, group)
      try {
        sc.setJobGroup(group, "test", false)
        run()
        sc.clearJobGroup()
        counter.awaitQuiet(5000)
        assert(counter.jobs() == 1, group)
      } finally {
        sc.clearJobGroup()
        counter.unregister(sc)
      }
    }
  }

  test("no rows, or no positive weight: IllegalArgumentException") {
    val empty = rdd(Seq.empty, 2)
    assert(intercept[IllegalArgumentException](MulticlassMetrics.evaluate(empty, 3))
      .getMessage.contains("no test rows"))
    assert(intercept[IllegalArgumentException](RegressionMetrics.evaluate(empty))
      .getMessage.contains("no test rows"))
    val zero = rdd(Seq(new ScoredRow(Array(1.0, 2.0), 1.0, 0.0)), 1)
    assert(intercept[IllegalArgumentException](MulticlassMetrics.evaluate(zero, 2))
      .getMessage.contains("1 rows, total weight 0.0"))
    intercept[IllegalArgumentException](MulticlassMetrics.evaluate(zero, 1))
  }

  test("bad rows fail loudly with the offending value") {
    def failure(run: => Any): String = intercept[SparkException](run).getMessage
    assert(failure(MulticlassMetrics.evaluate(rdd(Seq(new ScoredRow(Array(1.0, 2.0), 2.0, 1.0)),
      1), 2)).contains("label must be a class index in 0..1, got 2.0"))
    assert(failure(MulticlassMetrics.evaluate(rdd(Seq(new ScoredRow(Array(1.0, 2.0), 0.5, 1.0)),
      1), 2)).contains("got 0.5"))
    assert(failure(MulticlassMetrics.evaluate(rdd(Seq(new ScoredRow(Array(1.0, 2.0), 0.0, 1.0)),
      1), 3)).contains("expected 3 outputs (one score per class), got 2"))
    assert(failure(MulticlassMetrics.evaluate(rdd(Seq(new ScoredRow(Array(1.0, Double.NaN), 0.0,
      1.0)), 1), 2)).contains("score 1 is not finite: NaN"))
    assert(failure(RegressionMetrics.evaluate(rdd(Seq(new ScoredRow(Array(1.0, 2.0), 0.0, 1.0)),
      1))).contains("expected 1 output (the prediction), got 2"))
    assert(intercept[IllegalArgumentException](new ScoredRow(Array(1.0), 0.0, -1.0))
      .getMessage.contains("got -1.0"))
    assert(intercept[IllegalArgumentException](new ScoredRow(Array(1.0), Double.NaN, 1.0))
      .getMessage.contains("label must be finite"))
    intercept[IllegalArgumentException](new ScoredRow(null, 0.0, 1.0))
  }
}
