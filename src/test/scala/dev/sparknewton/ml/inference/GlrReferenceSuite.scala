package dev.sparknewton.ml.inference

import dev.sparknewton.SharedSpark
import dev.sparknewton.data.{LabelKind, LabelMapping, TrainingData}
import dev.sparknewton.ml.ModelTraining
import dev.sparknewton.solvers.{ExactNewton, ExactNewtonConfig}
import java.util.Optional
import org.apache.spark.ml.linalg.{Vectors => MlVectors}
import org.apache.spark.ml.linalg.SQLDataTypes.VectorType
import org.apache.spark.ml.regression.GeneralizedLinearRegression
import org.apache.spark.sql.{DataFrame, Row}
import org.apache.spark.sql.types.{DoubleType, StructField, StructType}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * Our coefficient standard errors, Wald statistics and p-values against Spark MLlib 4.0.1's
 * `GeneralizedLinearRegression` (IRLS, `regParam = 0`, `tol = 1e-12`) on the same weighted rows
 * (including zero-weight rows, which GLR's `numInstances` counts), with and without an intercept:
 * `family = "binomial"` (logit link, z values) and `"gaussian"` (identity link, t values with the
 * estimated dispersion). MLlib runs in this JVM, so the reference numbers are produced by the
 * test itself. Our model is fitted by exact Newton to a relative gradient of 1e-12 through
 * [[ModelTraining]] over an RDD fold, and the table is computed on that same fold. GLR orders
 * its arrays as coefficients, then intercept: our `LinearModel` layout for one output.
 */
class GlrReferenceSuite extends AnyFunSuite with SharedSpark {

  private val schema = StructType(Seq(
    StructField(TrainingData.LABEL, DoubleType), StructField(TrainingData.FEATURES, VectorType),
    StructField(TrainingData.WEIGHT, DoubleType)))

  /**
   * `n` rows of `d` dense features `N(0, 1) * (1 + j)^-0.5`, a common factor making them
   * correlated; weights in [0.5, 1.5), every 25th row weight 0. Coefficients `0.15 N(0, 1)`, so
   * that the statistics are moderate and the p-values between about 1e-8 and 1.
   */
  private def rows(n: Int, d: Int, binary: Boolean, seed: Long): Seq[Row] = {
    val rnd = new Random(seed)
    val beta = Array.fill(d)(0.15 * rnd.nextGaussian())
    (0 until n).map { i =>
      val f = rnd.nextGaussian()
      val x = Array.tabulate(d)(j => (rnd.nextGaussian() + 0.6 * f) / math.sqrt(1.0 + j))
      val m = 0.4 + x.indices.map(j => x(j) * beta(j)).sum
      val y = if (binary) { if (rnd.nextDouble() < 1.0 / (1.0 + math.exp(-m))) 1.0 else 0.0 }
              else m + 0.8 * rnd.nextGaussian()
      val w = if (i % 25 == 0) 0.0 else 0.5 + rnd.nextDouble()
      Row(y, MlVectors.dense(x), w)
    }
  }

  private def frame(rows: Seq[Row]): DataFrame =
    spark.createDataFrame(rows.asJava, schema).repartition(3)

  private def settings(intercept: Boolean) =
    new ModelTraining.Settings(0.0, intercept, 3, 2, 1.0, 0L, 0L)

  /** GLR's numbers: coefficients (then intercept), se, statistics, p-values, dispersion, dof. */
  private final case class Glr(estimates: Array[Double], se: Array[Double], stat: Array[Double],
      p: Array[Double], dispersion: Double, dof: Long)

  private def glr(df: DataFrame, family: String, link: String, intercept: Boolean): Glr = {
    val m = new GeneralizedLinearRegression().setFamily(family).setLink(link).setRegParam(0.0)
      .setFitIntercept(intercept).setWeightCol(TrainingData.WEIGHT).setTol(1e-12).setMaxIter(100)
      .fit(df)
    val s = m.summary
    val est = if (intercept) m.coefficients.toArray :+ m.intercept else m.coefficients.toArray
    Glr(est, s.coefficientStandardErrors, s.tValues, s.pValues, s.dispersion, s.degreesOfFreedom)
  }

  private def ours(data: TrainingData, intercept: Boolean): CoefficientTable = {
    val fold = ModelTraining.cacheBlocks(data, settings(intercept))
    try {
      val s = ModelTraining.fit(spark, fold, data, settings(intercept),
        new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-12)), _ => ())
      assert(s.termination().converged(), s.termination())
      val model = ModelTraining.linearModel(data, settings(intercept))
      val theta = model.parameters(s.linear().coefficientMatrix(), s.linear().intercepts())
      val r = new CoefficientInference(model, fold, InferenceConfig.defaults()).at(theta)
      assert(r.computed(), r)
      r.table().get()
    } finally fold.close()
  }

  private def relErr(a: Double, b: Double): Double = math.abs(a - b) / math.abs(b)

  /**
   * Estimates, standard errors and statistics to 1e-6 relative; p-values to 1e-6 relative plus
   * 1e-14 absolute: GLR computes them as `2 (1 - cdf(|s|))`, whose absolute rounding is about
   * 1e-16 (ours are upper tails, [[WaldPValues]]). Measured, max over the parameters of the four
   * cases: estimates 1.0e-13, standard errors 7.8e-16, statistics 1.0e-13, dispersion 1.5e-16
   * relative; p-values 7.8e-9 relative at GLR's 1.6e-8 (its rounding), and GLR's 0.0 for the
   * gaussian intercept (a t value at which GLR's `1 - cdf` rounds to 0) where ours is positive.
   */
  private def assertSame(t: CoefficientTable, g: Glr, label: String): Unit = {
    val p = g.se.length
    assert(t.estimates().length == p, label)
    for (j <- 0 until p) {
      assert(relErr(t.estimates()(j), g.estimates(j)) < 1e-6, s"$label: estimate $j")
      assert(relErr(t.standardErrors()(j), g.se(j)) < 1e-6,
        s"$label: se $j ours ${t.standardErrors()(j)} GLR ${g.se(j)}")
      assert(relErr(t.statistics()(j), g.stat(j)) < 1e-6, s"$label: statistic $j")
      assert(math.abs(t.pValues()(j) - g.p(j)) <= 1e-6 * g.p(j) + 1e-14,
        s"$label: p-value $j ours ${t.pValues()(j)} GLR ${g.p(j)}")
    }
    assert(relErr(t.dispersion(), g.dispersion) < 1e-6, s"$label: dispersion")
    assert(t.degreesOfFreedom() == g.dof, s"$label: degrees of freedom")
  }

  /** The estimator's summary arrays against GLR's, with [[assertSame]]'s tolerances. */
  private def assertSummary(se: Array[Double], stat: Array[Double], p: Array[Double], g: Glr,
      label: String): Unit = {
    assert(se.length == g.se.length && stat.length == g.se.length && p.length == g.se.length)
    for (j <- g.se.indices) {
      assert(relErr(se(j), g.se(j)) < 1e-6, s"$label: se $j ours ${se(j)} GLR ${g.se(j)}")
      assert(relErr(stat(j), g.stat(j)) < 1e-6, s"$label: statistic $j")
      assert(math.abs(p(j) - g.p(j)) <= 1e-6 * g.p(j) + 1e-14, s"$label: p-value $j")
    }
  }

  for (intercept <- Seq(true, false)) {
    test(s"NewtonLogisticRegression(standardErrors) summary: GLR's binomial table " +
      s"(intercept=$intercept)") {
      val df = frame(rows(800, 12, binary = true, seed = 21L))
      val m = new dev.sparknewton.ml.classification.NewtonLogisticRegression()
        .setRegParam(0.0).setFitIntercept(intercept).setWeightCol(TrainingData.WEIGHT)
        .setSolver("exact-newton").setTol(1e-12).setStandardErrors(true)
        .setLabelCol(TrainingData.LABEL).setFeaturesCol(TrainingData.FEATURES).fit(df)
      val s = m.summary()
      assertSummary(s.coefficientStandardErrors(), s.tValues(), s.pValues(),
        glr(df, "binomial", "logit", intercept), s"estimator binomial intercept=$intercept")
      // The table's passes are not the fit's: exact Newton's passes are its iterations + 1.
      assert(s.coefficientTable().passes() == 2 && s.passes() == s.totalIterations() + 1)
    }

    test(s"NewtonLinearRegression(standardErrors) summary: GLR's gaussian table " +
      s"(intercept=$intercept)") {
      val df = frame(rows(500, 12, binary = false, seed = 22L))
      val m = new dev.sparknewton.ml.regression.NewtonLinearRegression()
        .setRegParam(0.0).setFitIntercept(intercept).setWeightCol(TrainingData.WEIGHT)
        .setSolver("exact-newton").setTol(1e-12).setStandardErrors(true)
        .setLabelCol(TrainingData.LABEL).setFeaturesCol(TrainingData.FEATURES).fit(df)
      val s = m.summary()
      assertSummary(s.coefficientStandardErrors(), s.tValues(), s.pValues(),
        glr(df, "gaussian", "identity", intercept), s"estimator gaussian intercept=$intercept")
    }
  }

  test("without standardErrors, or where there is no table, the summary throws GLR's message") {
    val df = frame(rows(300, 4, binary = true, seed = 23L))
    val lr = new dev.sparknewton.ml.classification.NewtonLogisticRegression().setRegParam(0.0)
      .setLabelCol(TrainingData.LABEL).setFeaturesCol(TrainingData.FEATURES)
    val off = intercept[UnsupportedOperationException](lr.fit(df).summary().pValues())
    assert(off.getMessage.startsWith("No Std. Error of coefficients available for this model"))
    // A duplicated column makes the unregularized Hessian singular: a result with the reason.
    val dup = spark.createDataFrame(df.collect().toSeq.map { r =>
      val x = r.getAs[org.apache.spark.ml.linalg.Vector](1).toArray
      Row(r.getDouble(0), MlVectors.dense(x :+ x(0)), r.getDouble(2))
    }.asJava, schema)
    val singular = intercept[UnsupportedOperationException](
      lr.setStandardErrors(true).setRegParam(1e-3).fit(dup).summary().coefficientStandardErrors())
    assert(singular.getMessage.contains("not positive definite"), singular.getMessage)
    // The regularized Hessian is positive definite there: a table.
    assert(lr.setStandardErrorsHessian("regularized").fit(dup).summary()
      .coefficientStandardErrors().forall(_ > 0.0))
    // Multinomial has no table: refused before training.
    val three = dup.withColumn(TrainingData.LABEL, org.apache.spark.sql.functions
      .when(dup.col(TrainingData.WEIGHT) > 1.2, 2.0).otherwise(dup.col(TrainingData.LABEL)))
    val multi = intercept[IllegalArgumentException](
      lr.setFamily("multinomial").fit(three))
    assert(multi.getMessage.startsWith("coefficient standard errors are defined for binary"),
      multi.getMessage)
  }

  for (intercept <- Seq(true, false)) {
    test(s"binomial, weighted (intercept=$intercept): GLR's standard errors, z and p-values") {
      val d = 12
      val df = frame(rows(800, d, binary = true, seed = 21L))
      val labels = LabelMapping.ofNumbers(java.util.List.of(0.0, 1.0), LabelKind.BINARY, 1000,
        Optional.empty(), "generated rows")
      val data = new TrainingData(df, Optional.empty(), d, labels, java.util.List.of(), "generated")
      val t = ours(data, intercept)
      val g = glr(df, "binomial", "logit", intercept)
      assertSame(t, g, s"binomial intercept=$intercept")
      assert(t.family() == Family.BINOMIAL && t.dispersion() == 1.0)
      assert(t.numRows() == 800 && t.passes() == 2)
      // The comparison is not vacuous: some p-values are far from 0 and 1.
      assert(t.pValues().exists(p => p > 1e-3 && p < 0.5), t.pValues().toSeq)
    }

    test(s"gaussian, weighted (intercept=$intercept): GLR's standard errors, t and p-values") {
      val d = 12
      val df = frame(rows(500, d, binary = false, seed = 22L))
      val data = new TrainingData(df, Optional.empty(), d, LabelMapping.real(), java.util.List.of(),
        "generated")
      val t = ours(data, intercept)
      val g = glr(df, "gaussian", "identity", intercept)
      assertSame(t, g, s"gaussian intercept=$intercept")
      assert(t.family() == Family.GAUSSIAN && t.statisticName() == "t")
      // n counts the 20 zero-weight rows, as GLR's numInstances does.
      assert(t.degreesOfFreedom() == 500 - t.estimates().length)
      assert(t.pValues().exists(p => p > 1e-3 && p < 0.5), t.pValues().toSeq)
    }
  }
}
