package dev.sparknewton.ml

import breeze.linalg.{DenseMatrix, DenseVector}
import dev.sparknewton.{SharedSpark, TestData, TestModels}
import dev.sparknewton.data.{Blockifier, DataLoader, DataSpec, LabelKind, LabelMapping, TrainingData}
import dev.sparknewton.models.{OutputLoss, SoftmaxCrossEntropy, SquaredLoss}
import dev.sparknewton.objective.{LocalBlockFold, SecondOrderObjective}
import dev.sparknewton.solvers.{ExactNewton, ExactNewtonConfig, NewtonCg, NewtonCgConfig, Solver}
import java.util.Optional
import org.apache.spark.ml.classification.LogisticRegression
import org.apache.spark.ml.linalg.{Vectors => MlVectors}
import org.apache.spark.ml.linalg.SQLDataTypes.VectorType
import org.apache.spark.ml.regression.{LinearRegression, LinearRegressionModel}
import org.apache.spark.sql.{DataFrame, Row}
import org.apache.spark.sql.types.{DoubleType, StructField, StructType}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._

/**
 * Our optima against independent ones: Spark MLlib 4.0.1's multinomial `LogisticRegression`
 * (generated data with weights, with and without intercept, and the UCI Bank Marketing data with
 * `education` as a 4-class label), a dense solve of the normal equations for least squares, and
 * MLlib's `LinearRegression` under the regParam mapping below. MLlib runs in this JVM, so the
 * reference numbers are produced by the test itself; the gaps measured when the suite was written
 * are quoted next to each tolerance.
 *
 * Objectives are compared on our own objective, evaluated on the driver over the collected blocks
 * (a [[LocalBlockFold]]), at MLlib's coefficients and at ours; MLlib's own `objectiveHistory.last`
 * is checked to be that same number, so both ways of reading MLlib's objective agree.
 *
 * '''MLlib `LinearRegression` and our least squares.''' MLlib scales the label by a standard
 * deviation `s` internally, and its `regParam` acts as `regParam / s` on the original scale:
 * with `loss = squaredError`, `elasticNetParam = 0` and `standardization = false` it minimizes
 * `(1/(2 sum c)) sum c_i (y_i - w.x_i - b)^2 + (regParam / s)/2 ||w||^2`, our objective with
 * `lambda = regParam / s`, i.e. `regParam = lambda * s`, where (ybar = sum c_i y_i / sum c,
 * W = sum c_i):
 *
 *  - `solver = "normal"` (and `"auto"` with at most 4096 features), `WeightedLeastSquares` with
 *    `standardizeLabel = true`: the weighted population standard deviation,
 *    `s = sqrt(sum c_i (y_i - ybar)^2 / W)`;
 *  - `solver = "l-bfgs"`: the label `Summarizer`'s weighted unbiased standard deviation,
 *    `s = sqrt(sum c_i (y_i - ybar)^2 / (W - sum c_i^2 / W))` (`n - 1` for unit weights).
 *
 * Both with and without an intercept (without one the label is scaled but not centered, and `s`
 * is still the deviation about `ybar`). It holds when `s > 0` (MLlib special-cases a constant
 * label) and every feature has nonzero weighted variance (MLlib gives a constant column the
 * coefficient 0, also without an intercept, where ours need not be 0). Read from
 * `ml/regression/LinearRegression.scala` and `ml/optim/WeightedLeastSquares.scala` and verified
 * below: each solver under the other solver's `s` misses our coefficients by ~7e-5.
 */
class MllibReferenceSuite extends AnyFunSuite with SharedSpark {

  private val schema = StructType(Seq(
    StructField(TrainingData.LABEL, DoubleType), StructField(TrainingData.FEATURES, VectorType),
    StructField(TrainingData.WEIGHT, DoubleType)))

  /** Rows as a 3-partition frame with columns label, features (sparse) and weight. */
  private def frame(rows: Seq[TestData.Row], d: Int): DataFrame =
    spark.createDataFrame(
      rows.map(r => Row(r.label, MlVectors.sparse(d, r.indices, r.values), r.weight)).asJava, schema)
      .repartition(3)

  private def classData(rows: Seq[TestData.Row], d: Int): TrainingData = {
    val labels = LabelMapping.ofNumbers(rows.map(r => java.lang.Double.valueOf(r.label)).distinct.asJava,
      LabelKind.MULTICLASS, 1000, Optional.empty(), "generated rows")
    new TrainingData(frame(rows, d), Optional.empty(), d, labels, java.util.List.of(), "generated")
  }

  private def realData(rows: Seq[TestData.Row], d: Int): TrainingData =
    new TrainingData(frame(rows, d), Optional.empty(), d, LabelMapping.real(), java.util.List.of(),
      "generated")

  /** Our objective over the collected blocks of `data.train()`, evaluated on the driver. */
  private def localObjective(data: TrainingData, loss: OutputLoss, intercept: Boolean,
      lambda: Double): SecondOrderObjective = {
    val blocks = Blockifier.blockify(data.train(), data.numFeatures(), 1.0, 2).collect()
    TestModels.regularized(
      TestModels.objective(loss, data.numFeatures(), intercept, new LocalBlockFold(blocks)), lambda)
  }

  /** The parameter vector of `LinearModel`: column k is `[w_k; b_k]` (`w_k` without intercept). */
  private def theta(w: Array[Array[Double]], b: Array[Double], intercept: Boolean): Array[Double] =
    w.indices.flatMap(k => if (intercept) w(k) :+ b(k) else w(k)).toArray

  private def settings(lambda: Double, intercept: Boolean) =
    new ModelTraining.Settings(lambda, intercept, 3, 2, 1.0, 0L, 0L)

  private def relErr(a: Double, b: Double): Double = math.abs(a - b) / math.max(1.0, math.abs(b))

  private def maxRelErr(a: Array[Double], b: Array[Double]): Double = {
    assert(a.length == b.length)
    a.indices.map(j => relErr(a(j), b(j))).max
  }

  // ---------------------------------------------------------------------------------------------
  // Multinomial logistic regression against MLlib's LogisticRegression.

  /** MLlib's model at tol 1e-12: `(W, b, objectiveHistory.last, iterations)`. */
  private final case class MllibFit(w: Array[Array[Double]], b: Array[Double], lastObjective: Double,
      iterations: Int)

  private def mllibMultinomial(data: TrainingData, lambda: Double, intercept: Boolean): MllibFit = {
    val m = new LogisticRegression()
      .setFamily("multinomial").setStandardization(false).setElasticNetParam(0.0)
      .setRegParam(lambda).setFitIntercept(intercept).setTol(1e-12).setMaxIter(10000)
      .setWeightCol(TrainingData.WEIGHT)
      .fit(data.train())
    val history = m.summary.objectiveHistory
    MllibFit(m.coefficientMatrix.rowIter.map(_.toArray).toArray, m.interceptVector.toArray,
      history.last, history.length - 1)
  }

  /**
   * Fits `data` with each solver and checks, on our objective `f` evaluated locally: MLlib's
   * `objectiveHistory.last` is `f` at MLlib's point (1e-12), each summary's objective is `f` at
   * the reported (centered) model (1e-12), ours is no higher than MLlib's (1 + 1e-12) and MLlib's
   * is within 1e-8 of ours. Returns our fits.
   */
  private def assertMllibOptimum(data: TrainingData, lambda: Double, intercept: Boolean,
      solvers: Seq[Solver]): (MllibFit, Seq[TrainingSummary]) = {
    val k = data.labels().numClasses()
    val f = localObjective(data, new SoftmaxCrossEntropy(k), intercept, lambda)
    val mllib = mllibMultinomial(data, lambda, intercept)
    assert(mllib.w.length == k && mllib.b.length == k)
    val fMllib = f.evaluate(theta(mllib.w, mllib.b, intercept)).value()
    assert(math.abs(mllib.lastObjective - fMllib) <= 1e-12 * fMllib,
      s"MLlib reports ${mllib.lastObjective}, our objective at its point is $fMllib")
    val fits = for (solver <- solvers) yield {
      val s = ModelTraining.fit(spark, data, settings(lambda, intercept), solver, _ => ())
      val label = s"${solver.name()}: ${s.termination()} after ${s.iterations()} iterations"
      assert(s.termination().converged(), label)
      val m = s.linear()
      assert(m.`type`() == ModelType.MULTINOMIAL_LOGISTIC && m.numOutputs() == k, label)
      val fOurs = f.evaluate(theta(m.coefficientMatrix(), m.intercepts(), intercept)).value()
      assert(math.abs(s.objective() - fOurs) <= 1e-12 * fOurs, s"$label: ${s.objective()} vs $fOurs")
      assert(fOurs <= fMllib * (1 + 1e-12), s"$label: ours $fOurs above MLlib's $fMllib")
      assert((fMllib - fOurs) / fOurs <= 1e-8, s"$label: ours $fOurs, MLlib $fMllib")
      s
    }
    (mllib, fits)
  }

  private def newtonSolvers: Seq[Solver] = Seq(
    new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-10)),
    new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10)))

  for (intercept <- Seq(true, false)) {
    test(s"multinomial K = 4, weighted rows (intercept=$intercept): our optimum is MLlib's") {
      val d = 10
      val rows = TestData.multiclassRows(n = 1500, d = d, k = 4, density = 0.6, seed = 51L)
      val data = classData(rows, d)
      // Measured: (f_MLlib - f_ours) / f_ours within +-1.3e-15 for both solvers and both cases
      // (MLlib: 23 L-BFGS iterations with intercept, 16 without); its objectiveHistory agrees
      // with our objective at its point to 7e-16.
      val (mllib, fits) = assertMllibOptimum(data, 1e-3, intercept, newtonSolvers)
      for (s <- fits) {
        // Measured: coefficients 2.6e-8 (intercept) and 5.9e-8 (none) apart, relative to
        // max(1, |W_kj|): MLlib stops on its relative change in f, at about that accuracy.
        val w = s.linear().coefficientMatrix()
        (0 until 4).foreach(c => assert(maxRelErr(w(c), mllib.w(c)) < 1e-6, s"${s.solver()} row $c"))
        if (intercept) {
          assert(maxRelErr(s.linear().intercepts(), mllib.b) < 1e-6, s"${s.solver()} intercepts")
          assert(math.abs(mllib.b.sum) < 1e-12 && math.abs(s.linear().intercepts().sum) < 1e-12)
        } else {
          assert(s.linear().intercepts().forall(_ == 0.0))
        }
      }
    }
  }

  test("multinomial on the bank data (label education, 4 classes): our optimum is MLlib's") {
    val e = DataSpec.embedded(0.0, 42L)
    val spec = new DataSpec(e.path(), e.format(), e.numFeatures(), "education", e.featuresCol(),
      e.weightCol(), e.testPath(), e.testFraction(), e.seed(), e.csvDelimiter(), e.positiveLabel(),
      e.labelKind(), e.maxClasses(), e.labelsPath(), e.testLabelsPath()).withLabels(LabelKind.MULTICLASS, 1000)
    val loaded = DataLoader.load(spark, spec)
    assert(loaded.labels().classes().asScala == Seq("primary", "secondary", "tertiary", "unknown"))
    // 7 numeric columns as they are (balance up to ~1e5) and 9 one-hot encoded, among them the
    // data's own label y: 40 features, 164 parameters.
    assert(loaded.numFeatures() == 40 && loaded.featureNames().asScala.exists(_.startsWith("y=")))
    // Parsed and encoded once, in as many partitions as the session has cores: MLlib runs one job
    // over the frame's partitions per L-BFGS iteration (the embedded lines come in 8).
    val data = new TrainingData(loaded.train().coalesce(2), loaded.test(), loaded.numFeatures(),
      loaded.labels(), loaded.featureNames(), loaded.description())
    data.train().persist()
    try {
      // Newton-CG with the Nystrom preconditioner here: with the default diagonal one it does not
      // converge on these unscaled features (measured twice at tol 1e-10: NO_PROGRESS after 22
      // iterations / 123 s and after 56 iterations / 4,464 passes / 256 s, CG at its
      // 250-iteration cap every third or fourth iteration, |g| stuck near 1e-6 = 2e-9 |g_0|,
      // f 4.2e-12 and 9.5e-13 above MLlib's): too slow for this suite, and above MLlib's optimum.
      val solvers = Seq(
        new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-10)),
        new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10)
          .withPreconditioner(NewtonCgConfig.Preconditioner.NYSTROM)))
      // Measured over four runs: MLlib (tol 1e-12) stops after 73-74 L-BFGS iterations at
      // f = 0.795299305014805, no stall; (f_MLlib - f_ours) / f_ours between -1.4e-16 and
      // +7.0e-16 for exact Newton (8-10 iterations) and -9.8e-16 and +7.0e-16 for Newton-CG (7-8):
      // the same optimum to rounding. MLlib's objectiveHistory and ours at its point: 8.4e-16.
      val (mllib, fits) = assertMllibOptimum(data, 1e-3, intercept = true, solvers)
      assert(fits.forall(_.numRows() == 45211) && mllib.iterations > 0)
    } finally {
      data.train().unpersist()
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Least squares: the normal equations, and MLlib's LinearRegression.

  private val lsFeatures = 8
  private val lsLambda = 0.05
  private lazy val lsRows = TestData.regressionRows(n = 400, d = lsFeatures, density = 0.8, seed = 52L)
  private lazy val lsData = realData(lsRows, lsFeatures)

  /**
   * The minimizer by a dense solve: `(X~^T C X~ / sum c + lambda P) theta = X~^T C y / sum c`,
   * `X~ = [X 1]` (or `X` without intercept), `C = diag(c)`, `P` the identity on the coefficients
   * and 0 on the intercept.
   */
  private def normalEquations(intercept: Boolean): Array[Double] = {
    val p = if (intercept) lsFeatures + 1 else lsFeatures
    val x = DenseMatrix.zeros[Double](lsRows.size, p)
    lsRows.zipWithIndex.foreach { case (row, i) =>
      row.indices.indices.foreach(t => x(i, row.indices(t)) = row.values(t))
      if (intercept) x(i, lsFeatures) = 1.0
    }
    val c = DenseVector(lsRows.map(_.weight).toArray)
    val y = DenseVector(lsRows.map(_.label).toArray)
    val cx = x.copy
    (0 until p).foreach(j => cx(::, j) :*= c)
    val sumC = lsRows.map(_.weight).sum
    val a = (x.t * cx) / sumC
    (0 until lsFeatures).foreach(j => a(j, j) += lsLambda)
    (a \ ((cx.t * y) / sumC)).toArray
  }

  private def ours(intercept: Boolean, solver: Solver): Array[Double] = {
    val s = ModelTraining.fit(spark, lsData, settings(lsLambda, intercept), solver, _ => ())
    assert(s.termination().converged(), s"${solver.name()}: ${s.termination()}")
    assert(s.linear().`type`() == ModelType.LEAST_SQUARES)
    val w = s.linear().coefficients(0)
    if (intercept) w :+ s.linear().intercepts()(0) else w
  }

  private def lsSolvers: Seq[Solver] = Seq(
    new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-12)),
    new NewtonCg(NewtonCgConfig.defaults().withTol(1e-12)))

  for (intercept <- Seq(true, false)) {
    test(s"least squares, weighted rows (intercept=$intercept): the solution of the normal equations") {
      val expected = normalEquations(intercept)
      val f = localObjective(lsData, SquaredLoss.INSTANCE, intercept, lsLambda)
      for (solver <- lsSolvers) {
        val theta = ours(intercept, solver)
        assert(maxRelErr(theta, expected) <= 1e-10, s"${solver.name()}: ${theta.toSeq} vs ${expected.toSeq}")
        assert(f.evaluate(expected).value() <= f.evaluate(theta).value() * (1 + 1e-14))
      }
    }
  }

  /** The weighted mean and sum of squared deviations of the labels, and the weight sums. */
  private final case class LabelMoments(sumC: Double, sumC2: Double, squares: Double) {
    /** The weighted population standard deviation, `WeightedLeastSquares`' `bStd`. */
    def populationStd: Double = math.sqrt(squares / sumC)
    /** The weighted unbiased standard deviation, the `Summarizer`'s `std`. */
    def unbiasedStd: Double = math.sqrt(squares / (sumC - sumC2 / sumC))
  }

  private def labelMoments(rows: Seq[TestData.Row]): LabelMoments = {
    val sumC = rows.map(_.weight).sum
    val mean = rows.map(r => r.weight * r.label).sum / sumC
    LabelMoments(sumC, rows.map(r => r.weight * r.weight).sum,
      rows.map(r => r.weight * (r.label - mean) * (r.label - mean)).sum)
  }

  private def mllibLinear(solver: String, regParam: Double, intercept: Boolean): Array[Double] = {
    val m: LinearRegressionModel = new LinearRegression()
      .setSolver(solver).setStandardization(false).setElasticNetParam(0.0).setRegParam(regParam)
      .setFitIntercept(intercept).setTol(1e-12).setMaxIter(10000).setWeightCol(TrainingData.WEIGHT)
      .fit(lsData.train())
    val w = m.coefficients.toArray
    if (intercept) w :+ m.intercept else { assert(m.intercept == 0.0); w }
  }

  for (intercept <- Seq(true, false)) {
    test(s"least squares (intercept=$intercept): MLlib LinearRegression with regParam = lambda * s_y " +
      "(normal: population std, l-bfgs: unbiased std) gives our coefficients") {
      val moments = labelMoments(lsRows)
      val (population, unbiased) = (moments.populationStd, moments.unbiasedStd)
      // With 400 weighted rows the two deviations differ by 0.13%: enough to tell them apart.
      assert(unbiased / population - 1 > 1e-3)
      val theta = ours(intercept, new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-12)))
      val thetaCg = ours(intercept, new NewtonCg(NewtonCgConfig.defaults().withTol(1e-12)))
      // Measured (both intercept settings): normal 5e-16 / 7e-16 from exact Newton; l-bfgs at
      // tol 1e-12 2.8e-9 (it stops on its relative change in f).
      val normal = mllibLinear("normal", lsLambda * population, intercept)
      assert(maxRelErr(theta, normal) <= 1e-8, s"${theta.toSeq} vs MLlib normal ${normal.toSeq}")
      assert(maxRelErr(thetaCg, normal) <= 1e-8, s"${thetaCg.toSeq} vs MLlib normal ${normal.toSeq}")
      val lbfgs = mllibLinear("l-bfgs", lsLambda * unbiased, intercept)
      assert(maxRelErr(theta, lbfgs) <= 1e-7, s"${theta.toSeq} vs MLlib l-bfgs ${lbfgs.toSeq}")
      // Each solver under the other's deviation solves another problem (measured 7.1e-5 and 7.3e-5 off).
      assert(maxRelErr(theta, mllibLinear("normal", lsLambda * unbiased, intercept)) > 1e-5)
      assert(maxRelErr(theta, mllibLinear("l-bfgs", lsLambda * population, intercept)) > 1e-5)
    }
  }
}
