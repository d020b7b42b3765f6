package dev.sparknewton.ml

import dev.sparknewton.SharedSpark
import dev.sparknewton.ml.EstimatorData.{maxRelErr, regression}
import dev.sparknewton.ml.regression.{NewtonLinearRegression, NewtonLinearRegressionModel}
import java.nio.file.Files
import org.apache.spark.ml.evaluation.RegressionEvaluator
import org.apache.spark.ml.regression.LinearRegression
import org.scalatest.funsuite.AnyFunSuite

/**
 * `NewtonLinearRegression` against Spark MLlib's `LinearRegression` (`solver = normal`,
 * `standardization = false`, `elasticNetParam = 0`) under the documented mapping: our
 * `regParam = lambda` is MLlib's `regParam = lambda * s_y`, `s_y` the weighted population
 * standard deviation of the label (MLlib scales the label by it internally); at
 * `regParam = 0` the two are the same problem.
 */
class NewtonLinearRegressionSuite extends AnyFunSuite with SharedSpark {
  private lazy val data = regression(spark, 300, 4, seed = 21).cache()

  /** The weighted population standard deviation of the label. */
  private lazy val labelStd: Double = {
    val rows = data.select("label", "weight").collect().map(r => (r.getDouble(0), r.getDouble(1)))
    val w = rows.map(_._2).sum
    val mean = rows.map(r => r._1 * r._2).sum / w
    math.sqrt(rows.map(r => r._2 * (r._1 - mean) * (r._1 - mean)).sum / w)
  }

  private def mllib(regParam: Double, intercept: Boolean) = new LinearRegression().setSolver("normal")
    .setStandardization(false).setElasticNetParam(0.0).setRegParam(regParam).setFitIntercept(intercept)
    .setWeightCol("weight").fit(data)

  private def ours(regParam: Double, intercept: Boolean) = new NewtonLinearRegression()
    .setRegParam(regParam).setFitIntercept(intercept).setWeightCol("weight").setTol(1e-12).fit(data)

  for (intercept <- Seq(true, false)) {
    test(s"least squares (intercept=$intercept) equals MLlib LinearRegression at regParam = lambda * s_y, and at 0") {
      val lambda = 0.3
      val model = ours(lambda, intercept)
      val reference = mllib(lambda * labelStd, intercept)
      assert(maxRelErr(model.coefficients.toArray :+ model.intercept,
        reference.coefficients.toArray :+ reference.intercept) <= 1e-6,
        s"${model.coefficients} ${model.intercept} vs ${reference.coefficients} ${reference.intercept}")
      // The same regParam on both sides is a different problem (by the factor s_y).
      val unmapped = mllib(lambda, intercept)
      assert(maxRelErr(model.coefficients.toArray, unmapped.coefficients.toArray) > 1e-3)
      val plain = ours(0.0, intercept)
      val plainReference = mllib(0.0, intercept)
      assert(maxRelErr(plain.coefficients.toArray :+ plain.intercept,
        plainReference.coefficients.toArray :+ plainReference.intercept) <= 1e-6)
      val p = model.transform(data).select("prediction").collect().map(_.getDouble(0))
      val q = reference.transform(data).select("prediction").collect().map(_.getDouble(0))
      assert(maxRelErr(p, q) <= 1e-6)
    }
  }

  test("summary: RMSE, MAE equal MLlib's RegressionEvaluator, R^2 its definition, unweighted R^2 MLlib's; evaluate on other rows; save and load bit for bit") {
    val model = ours(0.01, true)
    val s = model.summary
    assert(s.termination.converged() && s.objectiveHistory.length == s.totalIterations + 1)
    // R^2 = 1 - sum c (y - yhat)^2 / sum c (y - ybar)^2. MLlib's weighted R^2 differs: its total
    // sum of squares is the unbiased weighted variance times (sum c - 1), not sum c (y - ybar)^2.
    val rows = s.predictions.select("label", "prediction", "weight").collect()
      .map(r => (r.getDouble(0), r.getDouble(1), r.getDouble(2)))
    val ybar = rows.map(r => r._1 * r._3).sum / rows.map(_._3).sum
    val r2 = 1 - rows.map(r => r._3 * (r._1 - r._2) * (r._1 - r._2)).sum /
      rows.map(r => r._3 * (r._1 - ybar) * (r._1 - ybar)).sum
    assert(math.abs(s.r2 - r2) <= 1e-12, s"${s.r2} vs $r2")
    for ((name, value) <- Seq("rmse" -> s.rootMeanSquaredError, "mae" -> s.meanAbsoluteError)) {
      val theirs = new RegressionEvaluator().setMetricName(name).setWeightCol("weight").evaluate(s.predictions)
      assert(math.abs(value - theirs) <= 1e-9 * math.max(1.0, math.abs(theirs)), s"$name: $value vs $theirs")
    }
    val unweighted = new NewtonLinearRegression().setRegParam(0.01).fit(data)
    val unweightedR2 = new RegressionEvaluator().setMetricName("r2").evaluate(unweighted.summary.predictions)
    assert(math.abs(unweighted.summary.r2 - unweightedR2) <= 1e-12)
    val other = regression(spark, 100, 4, seed = 22)
    val e = model.evaluate(other)
    val otherRmse = new RegressionEvaluator().setWeightCol("weight").evaluate(model.transform(other))
    assert(math.abs(e.rootMeanSquaredError - otherRmse) <= 1e-9 && math.abs(e.r2 - s.r2) > 1e-6)

    val dir = Files.createTempDirectory("newton-linreg").resolve("model").toString
    model.write.save(dir)
    val loaded = NewtonLinearRegressionModel.load(dir)
    assert(loaded.uid == model.uid && !loaded.hasSummary && loaded.getRegParam == 0.01)
    assert(loaded.getWeightCol == "weight" && loaded.getTol == 1e-12)
    val before = model.transform(data).select("prediction").collect().map(_.getDouble(0))
    val after = loaded.transform(data).select("prediction").collect().map(_.getDouble(0))
    assert(before.sameElements(after))
    assert(intercept[IllegalStateException](loaded.summary).getMessage.contains("loaded"))
  }

  test("labels must be finite numbers") {
    import org.apache.spark.sql.functions.{col, lit, when}
    val bad = data.withColumn("label", when(col("label") > 3.0, lit(Double.NaN)).otherwise(col("label")))
    val message = intercept[IllegalArgumentException](new NewtonLinearRegression().fit(bad)).getMessage
    assert(message.contains("label 'label' value NaN is not finite"), message)
  }
}
