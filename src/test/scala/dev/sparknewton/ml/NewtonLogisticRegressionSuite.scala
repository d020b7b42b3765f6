package dev.sparknewton.ml

import dev.sparknewton.SharedSpark
import dev.sparknewton.ml.EstimatorData.{classification, maxRelErr}
import dev.sparknewton.ml.classification.{NewtonLogisticRegression, NewtonLogisticRegressionModel}
import org.apache.spark.ml.classification.{LogisticRegression, LogisticRegressionModel}
import org.apache.spark.ml.evaluation.{BinaryClassificationEvaluator, MulticlassClassificationEvaluator}
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.sql.DataFrame
import org.scalatest.funsuite.AnyFunSuite

/**
 * `NewtonLogisticRegression` against Spark MLlib's `LogisticRegression` on the same data and
 * settings (`standardization = false`, `elasticNetParam = 0`, same `regParam`, MLlib at
 * `tol = 1e-12`): coefficients, intercepts and the rawPrediction / probability / prediction
 * columns, binomial and multinomial, with and without intercept and instance weights.
 *
 * MLlib's multinomial family regularizes the whole `K x d` matrix, as ours does (no reference
 * class): with `regParam > 0` the optimum is unique (and has `sum_k W_kj = 0`). Without
 * regularization the multinomial optimum is determined only up to a shift of all classes, so
 * the multinomial cases use `regParam > 0`.
 */
class NewtonLogisticRegressionSuite extends AnyFunSuite with SharedSpark {
  private lazy val binary = classification(spark, 400, 5, 2, seed = 11).cache()
  private lazy val threeClasses = classification(spark, 450, 4, 3, seed = 12).cache()

  private def mllib(family: String, regParam: Double, intercept: Boolean, weighted: Boolean) = {
    val lr = new LogisticRegression().setFamily(family).setRegParam(regParam)
      .setElasticNetParam(0.0).setStandardization(false).setFitIntercept(intercept)
      .setTol(1e-12).setMaxIter(1000)
    if (weighted) lr.setWeightCol("weight") else lr
  }

  private def ours(family: String, regParam: Double, intercept: Boolean, weighted: Boolean) = {
    val lr = new NewtonLogisticRegression().setFamily(family).setRegParam(regParam)
      .setFitIntercept(intercept).setTol(1e-12)
    if (weighted) lr.setWeightCol("weight") else lr
  }

  private def flat(m: org.apache.spark.ml.linalg.Matrix): Array[Double] =
    (for (k <- 0 until m.numRows; j <- 0 until m.numCols) yield m(k, j)).toArray

  private def columns(df: DataFrame): Seq[(Vector, Vector, Double)] =
    df.select("rawPrediction", "probability", "prediction").collect().toSeq
      .map(r => (r.getAs[Vector](0), r.getAs[Vector](1), r.getDouble(2)))

  /** Our columns are MLlib's to 1e-6 (raw, probabilities) and the predictions are the same. */
  private def assertSameColumns(a: DataFrame, b: DataFrame): Unit = {
    val (x, y) = (columns(a), columns(b))
    assert(x.size == y.size)
    for (((r1, p1, c1), (r2, p2, c2)) <- x.zip(y)) {
      assert(maxRelErr(r1.toArray, r2.toArray) <= 1e-6, s"rawPrediction $r1 vs $r2")
      assert(maxRelErr(p1.toArray, p2.toArray) <= 1e-6, s"probability $p1 vs $p2")
      assert(c1 == c2, s"prediction $c1 vs $c2 at probability $p1")
    }
  }

  for (intercept <- Seq(true, false); weighted <- Seq(true, false)) {
    test(s"binomial (intercept=$intercept, weights=$weighted): coefficients and columns are MLlib's to 1e-6") {
      val reference = mllib("binomial", 1e-3, intercept, weighted).fit(binary)
      val model = ours("auto", 1e-3, intercept, weighted).fit(binary)
      assert(!model.isMultinomial && model.numClasses == 2 && model.numFeatures == 5)
      assert(model.summary.termination.converged(), model.summary.termination.description())
      assert(maxRelErr(model.coefficients.toArray, reference.coefficients.toArray) <= 1e-6,
        s"${model.coefficients} vs ${reference.coefficients}")
      assert(math.abs(model.intercept - reference.intercept) <= 1e-6)
      if (!intercept) assert(model.intercept == 0.0)
      assertSameColumns(model.transform(binary), reference.transform(binary))
    }

    test(s"multinomial K = 3 (intercept=$intercept, weights=$weighted): coefficient matrix and columns are MLlib's to 1e-6") {
      val reference = mllib("multinomial", 1e-2, intercept, weighted).fit(threeClasses)
      val model = ours("auto", 1e-2, intercept, weighted).fit(threeClasses)
      assert(model.isMultinomial && model.numClasses == 3)
      assert(maxRelErr(flat(model.coefficientMatrix), flat(reference.coefficientMatrix)) <= 1e-6,
        s"${model.coefficientMatrix} vs ${reference.coefficientMatrix}")
      assert(maxRelErr(model.interceptVector.toArray, reference.interceptVector.toArray) <= 1e-6)
      assertSameColumns(model.transform(threeClasses), reference.transform(threeClasses))
    }
  }

  test("family = multinomial on two classes is MLlib's 2 x d multinomial model") {
    val reference = mllib("multinomial", 1e-2, true, true).fit(binary)
    val model = ours("multinomial", 1e-2, true, true).fit(binary)
    assert(model.isMultinomial && model.coefficientMatrix.numRows == 2)
    assert(maxRelErr(flat(model.coefficientMatrix), flat(reference.coefficientMatrix)) <= 1e-6)
    assert(maxRelErr(model.interceptVector.toArray, reference.interceptVector.toArray) <= 1e-6)
    assert(intercept[IllegalStateException](model.coefficients).getMessage.contains("coefficientMatrix"))
    assertSameColumns(model.transform(binary), reference.transform(binary))
  }

  test("threshold and thresholds decide binomial predictions as MLlib's, and stay consistent") {
    val model = ours("auto", 1e-3, true, false).fit(binary)
    val reference: LogisticRegressionModel = mllib("binomial", 1e-3, true, false).fit(binary)
    for (t <- Seq(0.2, 0.5, 0.8)) {
      model.setThreshold(t)
      reference.setThreshold(t)
      assertSameColumns(model.transform(binary), reference.transform(binary))
      assert(model.getThresholds.sameElements(Array(1 - t, t)))
    }
    model.setThresholds(Array(3.0, 1.0))
    reference.setThresholds(Array(3.0, 1.0))
    assert(math.abs(model.getThreshold - 0.25) < 1e-15 && !model.isSet(model.threshold))
    assertSameColumns(model.transform(binary), reference.transform(binary))
    // Only the rawPrediction column: the prediction then comes from raw2prediction.
    val rawOnly = model.setProbabilityCol("").transform(binary).select("prediction").collect().map(_.getDouble(0))
    val viaProbability = model.setProbabilityCol("probability").transform(binary).select("prediction").collect().map(_.getDouble(0))
    assert(rawOnly.sameElements(viaProbability))
    assert(rawOnly.count(_ == 1.0) > 0 && rawOnly.count(_ == 0.0) > 0)
    val wrongLength = ours("auto", 1e-2, true, false).setThresholds(Array(1.0, 2.0))
    assert(intercept[IllegalArgumentException](wrongLength.fit(threeClasses)).getMessage
      .contains("thresholds has 2 entries but the data have 3 classes"))
    val three = ours("auto", 1e-2, true, false).setThresholds(Array(1.0, 2.0, 1.0)).fit(threeClasses)
    assert(three.getThresholds.sameElements(Array(1.0, 2.0, 1.0)))
    assert(intercept[IllegalArgumentException](three.getThreshold).getMessage.contains("binomial"))
  }

  test("summary: objective history, passes, jobs, termination; metrics equal MLlib's evaluators on our predictions") {
    val model = ours("auto", 1e-3, true, true).fit(binary)
    assert(model.hasSummary)
    val s = model.summary
    assert(s.solver == "exact-newton" && s.termination.converged())
    assert(s.objectiveHistory.length == s.totalIterations + 1)
    assert(s.objectiveHistory.sliding(2).forall(p => p(1) <= p(0)))
    assert(s.passes > 0 && s.jobs >= s.passes && s.bytesSent > 0 && s.wallSeconds > 0)
    val predictions = s.predictions
    val auc = new BinaryClassificationEvaluator().setWeightCol("weight").evaluate(predictions)
    assert(math.abs(s.areaUnderROC - auc) <= 1e-12, s"${s.areaUnderROC} vs $auc")
    val pr = new BinaryClassificationEvaluator().setMetricName("areaUnderPR").setWeightCol("weight")
      .evaluate(predictions)
    assert(math.abs(s.areaUnderPR - pr) <= 1e-12, s"${s.areaUnderPR} vs $pr")
    for ((name, ours) <- Seq("accuracy" -> s.accuracy, "weightedPrecision" -> s.weightedPrecision,
        "weightedRecall" -> s.weightedRecall)) {
      val theirs = new MulticlassClassificationEvaluator().setMetricName(name).setWeightCol("weight")
        .evaluate(predictions)
      assert(math.abs(ours - theirs) <= 1e-12, s"$name: $ours vs $theirs")
    }
    val roc = s.roc.collect()
    assert(roc.head.getDouble(0) == 0.0 && roc.last.getDouble(0) == 1.0 && roc.last.getDouble(1) == 1.0)
    // evaluate(dataset) on other rows gives that dataset's metrics (weighted by the model's weightCol).
    val other = classification(spark, 300, 5, 2, seed = 13)
    val e = model.evaluate(other)
    val otherAuc = new BinaryClassificationEvaluator().setWeightCol("weight").evaluate(model.transform(other))
    assert(math.abs(e.areaUnderROC - s.areaUnderROC) > 1e-6)
    assert(math.abs(e.areaUnderROC - otherAuc) <= 1e-12)
    assert(e.metrics().isInstanceOf[BinaryMetrics])

    val multi = ours("auto", 1e-2, true, true).fit(threeClasses)
    val ms = multi.summary
    val acc = new MulticlassClassificationEvaluator().setMetricName("accuracy").setWeightCol("weight")
      .evaluate(ms.predictions)
    assert(math.abs(ms.accuracy - acc) <= 1e-12)
    assert(intercept[IllegalStateException](ms.areaUnderROC).getMessage.contains("binomial"))
  }

  test("fold = driver: the default fold's model, its passes as sweeps on the driver (two Spark jobs); a bad fold is refused") {
    val rdd = ours("auto", 1e-3, true, true).fit(binary)
    val driver = ours("auto", 1e-3, true, true).setFold("driver").fit(binary)
    assert(driver.getFold == "driver" && rdd.getFold == "auto")
    assert(maxRelErr(driver.coefficients.toArray, rdd.coefficients.toArray) <= 1e-9)
    assert(math.abs(driver.intercept - rdd.intercept) <= 1e-9)
    assert(driver.summary.passes == rdd.summary.passes && driver.summary.passes >= 3)
    // The default fold: the cache job and one job a pass; the driver fold: the cache and the collect.
    assert(rdd.summary.jobs == rdd.summary.passes + 1 && driver.summary.jobs == 2,
      s"${rdd.summary.jobs} and ${driver.summary.jobs} jobs")
    val e = intercept[IllegalArgumentException](new NewtonLogisticRegression().setFold("local"))
    assert(e.getMessage.contains("parameter fold given invalid value local"), e.getMessage)
    assert(new NewtonLogisticRegression().fold.doc.endsWith(": auto, rdd, dataset, driver"))
  }

  test("warmStartIterations: L-BFGS iterations, then Newton-CG, to MLlib's multinomial optimum; a solver without a line search is refused") {
    val reference = mllib("multinomial", 1e-2, true, false).fit(threeClasses)
    val model = ours("auto", 1e-2, true, false).setSolver("newton-cg").setWarmStartIterations(5)
      .setLbfgsMemory(4).fit(threeClasses)
    assert(model.getWarmStartIterations == 5 && model.getLbfgsMemory == 4)
    assert(model.summary.termination.converged(), model.summary.termination.description())
    assert(model.summary.totalIterations > 5, "Newton iterations after the warm start")
    assert(maxRelErr(flat(model.coefficientMatrix), flat(reference.coefficientMatrix)) <= 1e-6,
      s"${model.coefficientMatrix} vs ${reference.coefficientMatrix}")
    assert(new NewtonLogisticRegression().getWarmStartIterations == 0, "off by default (reference.conf)")
    val e = intercept[IllegalArgumentException](
      ours("auto", 1e-2, true, false).setSolver("hessian-free").setWarmStartIterations(5).fit(threeClasses))
    assert(e.getMessage.startsWith("solver.warmStartIterations = 5 applies to exact-newton, newton-cg, lrsfn"),
      e.getMessage)
  }

  test("every solver name trains through the CLI's path and reports itself in the summary") {
    val small = binary.limit(200)
    for (name <- SolverSettings.NAMES.toArray(new Array[String](0)) if name != "auto") {
      // Adam's default mini-batch (1% of rows) of 200 rows is 2 rows on average and can be empty.
      val m = new NewtonLogisticRegression().setSolver(name).setMaxIter(3).setRank(3)
        .setBatchFraction(0.25).fit(small)
      assert(m.summary.solver == name && m.summary.totalIterations <= 3, name)
    }
  }

  test("labels that are not class indices, bad weights and a third class under binomial fail with one line") {
    import org.apache.spark.sql.functions.{col, lit, when}
    def message(df: DataFrame, lr: NewtonLogisticRegression = new NewtonLogisticRegression()) =
      intercept[IllegalArgumentException](lr.fit(df)).getMessage
    val half = binary.withColumn("label", when(col("label") === 1.0, 0.5).otherwise(0.0))
    assert(message(half).contains("value 0.5 is not a class index"))
    val negative = binary.withColumn("label", col("label") - 1)
    assert(message(negative).contains("value -1.0 is not a class index"))
    val badWeight = binary.withColumn("weight", lit(-2.0))
    assert(message(badWeight, new NewtonLogisticRegression().setWeightCol("weight"))
      .contains("weight 'weight' value -2.0 is negative"))
    assert(message(threeClasses, new NewtonLogisticRegression().setFamily("binomial"))
      .contains("family = binomial supports 2 classes, but label 'label' has 3"))
    assert(message(binary.withColumn("label", lit(0.0))).contains("needs at least 2 classes"))
    assert(message(binary, new NewtonLogisticRegression().setLabelCol("y")).contains("`y`"))
  }
}
