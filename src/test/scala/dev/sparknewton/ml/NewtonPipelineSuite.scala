package dev.sparknewton.ml

import dev.sparknewton.SharedSpark
import dev.sparknewton.cli.JobConfig
import dev.sparknewton.ml.EstimatorData.classification
import dev.sparknewton.ml.classification.{NewtonLogisticRegression, NewtonLogisticRegressionModel}
import dev.sparknewton.ml.regression.NewtonLinearRegression
import java.nio.file.Files
import org.apache.spark.ml.{Pipeline, PipelineModel}
import org.apache.spark.ml.classification.LogisticRegression
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator
import org.apache.spark.ml.feature.{StandardScaler, VectorAssembler}
import org.apache.spark.ml.linalg.Vector
import org.apache.spark.ml.tuning.{CrossValidator, ParamGridBuilder, TrainValidationSplit}
import org.apache.spark.sql.DataFrame
import org.scalatest.funsuite.AnyFunSuite

/**
 * The estimators inside Spark ML's machinery: a Pipeline saved and loaded, CrossValidator and
 * TrainValidationSplit over `regParam`, param validation with Spark's messages, and the defaults
 * shared with the command line.
 */
class NewtonPipelineSuite extends AnyFunSuite with SharedSpark {

  /** Columns x0 .. x3 (different scales), label, weight. */
  private lazy val raw: DataFrame = {
    val df = classification(spark, 300, 4, 3, seed = 31)
    val x = (0 until 4).map(j => org.apache.spark.ml.functions.vector_to_array(df("features"))(j).as(s"x$j"))
    df.select(x ++ Seq(df("label"), df("weight")): _*).cache()
  }

  private def out(df: DataFrame): Seq[(Vector, Vector, Double)] =
    df.select("rawPrediction", "probability", "prediction").collect().toSeq
      .map(r => (r.getAs[Vector](0), r.getAs[Vector](1), r.getDouble(2)))

  test("Pipeline VectorAssembler -> StandardScaler -> NewtonLogisticRegression: fitted, saved, loaded with PipelineModel.load, predictions bit for bit") {
    val assembler = new VectorAssembler().setInputCols(Array("x0", "x1", "x2", "x3")).setOutputCol("raw")
    val scaler = new StandardScaler().setInputCol("raw").setOutputCol("features")
    val lr = new NewtonLogisticRegression().setRegParam(1e-2).setWeightCol("weight").setSolver("newton-cg")
    val pipeline = new Pipeline().setStages(Array(assembler, scaler, lr))
    val fitted = pipeline.fit(raw)
    val dir = Files.createTempDirectory("newton-pipeline")
    fitted.write.overwrite().save(dir.resolve("model").toString)
    val loaded = PipelineModel.load(dir.resolve("model").toString)
    val ours = loaded.stages.last.asInstanceOf[NewtonLogisticRegressionModel]
    val original = fitted.stages.last.asInstanceOf[NewtonLogisticRegressionModel]
    assert(ours.uid == original.uid && ours.getRegParam == 1e-2 && ours.getSolver == "newton-cg")
    assert(ours.getWeightCol == "weight" && ours.isMultinomial && ours.numClasses == 3)
    assert(ours.coefficientMatrix == original.coefficientMatrix)
    val (before, after) = (out(fitted.transform(raw)), out(loaded.transform(raw)))
    assert(before.size == 300)
    for (((r1, p1, c1), (r2, p2, c2)) <- before.zip(after)) {
      assert(r1.toArray.sameElements(r2.toArray) && p1.toArray.sameElements(p2.toArray) && c1 == c2)
    }
    // The unfitted pipeline (with the estimator's params) saves and loads too.
    pipeline.write.overwrite().save(dir.resolve("pipeline").toString)
    val stage = Pipeline.load(dir.resolve("pipeline").toString).getStages.last.asInstanceOf[NewtonLogisticRegression]
    assert(stage.uid == lr.uid && stage.getRegParam == 1e-2 && stage.getSolver == "newton-cg")
    assert(stage.getWeightCol == "weight" && stage.getTol == lr.getTol)
    lr.write.overwrite().save(dir.resolve("estimator").toString)
    assert(NewtonLogisticRegression.load(dir.resolve("estimator").toString).getRegParam == 1e-2)
    val linear = new NewtonLinearRegression().setMaxIter(7)
    linear.write.overwrite().save(dir.resolve("linear").toString)
    assert(NewtonLinearRegression.load(dir.resolve("linear").toString).getMaxIter == 7)
  }

  /**
   * Few rows, many noise features and one informative one, scored by held-out log-loss: an
   * unregularized fit overfits (confident and wrong on held-out rows), a huge regParam predicts
   * about the base rate everywhere, and the middle value wins clearly.
   */
  private lazy val tuning: DataFrame = {
    val rnd = new scala.util.Random(41)
    val rows = (0 until 90).map { _ =>
      val x = Array.fill(25)(rnd.nextGaussian())
      val p = 1.0 / (1.0 + math.exp(-3.0 * x(0)))
      EstimatorData.Example(if (rnd.nextDouble() < p) 1.0 else 0.0, org.apache.spark.ml.linalg.Vectors.dense(x), 1.0)
    }
    spark.createDataFrame(rows).repartition(2).cache()
  }

  private def logLoss = new MulticlassClassificationEvaluator().setMetricName("logLoss")

  test("CrossValidator over regParam picks the regParam it picks with MLlib's LogisticRegression, with the same fold metrics") {
    val grid = Array(1e-6, 0.05, 20.0)
    def cv(estimator: org.apache.spark.ml.Estimator[_], param: org.apache.spark.ml.param.DoubleParam) =
      new CrossValidator().setEstimator(estimator)
        .setEstimatorParamMaps(new ParamGridBuilder().addGrid(param, grid).build())
        .setEvaluator(logLoss).setNumFolds(3).setSeed(5).fit(tuning)
    val newton = new NewtonLogisticRegression().setTol(1e-10)
    val mllib = new LogisticRegression().setStandardization(false).setTol(1e-10).setMaxIter(500)
    val ours = cv(newton, newton.regParam)
    val theirs = cv(mllib, mllib.regParam)
    // Measured: equal to 5e-9 at 0.05 and 20; 2.8e-5 relative at 1e-6, where the folds are
    // nearly separable and MLlib's L-BFGS stops on its relative change in f before the optimum.
    assert(ours.avgMetrics.zip(theirs.avgMetrics).forall { case (a, b) => math.abs(a - b) <= 1e-4 * b },
      s"${ours.avgMetrics.toSeq} vs ${theirs.avgMetrics.toSeq}")
    val best = ours.bestModel.asInstanceOf[NewtonLogisticRegressionModel]
    assert(best.getRegParam == 0.05, s"metrics ${ours.avgMetrics.toSeq}")
    // The answer is clear: the chosen value's log-loss is below both others' by a margin.
    assert(math.min(ours.avgMetrics(0), ours.avgMetrics(2)) - ours.avgMetrics(1) > 0.05, ours.avgMetrics.toSeq)
    assert(theirs.bestModel.asInstanceOf[org.apache.spark.ml.classification.LogisticRegressionModel].getRegParam == 0.05)
  }

  test("TrainValidationSplit over regParam fits and returns our model") {
    val lr = new NewtonLogisticRegression()
    val tvs = new TrainValidationSplit().setEstimator(lr)
      .setEstimatorParamMaps(new ParamGridBuilder().addGrid(lr.regParam, Array(1e-6, 0.05, 20.0)).build())
      .setEvaluator(logLoss).setTrainRatio(0.7).setSeed(3).fit(tuning)
    assert(tvs.validationMetrics.length == 3 && tvs.validationMetrics.forall(m => m > 0.0))
    val best = tvs.bestModel.asInstanceOf[NewtonLogisticRegressionModel]
    assert(best.getRegParam == Array(1e-6, 0.05, 20.0)(tvs.validationMetrics.indexOf(tvs.validationMetrics.min)))
  }

  test("out-of-range values fail at set with Spark's ParamValidators message") {
    val lr = new NewtonLogisticRegression()
    def message(f: => Any) = intercept[IllegalArgumentException](f).getMessage
    for ((name, attempt) <- Seq[(String, () => Any)](
        "regParam given invalid value -1.0" -> (() => lr.setRegParam(-1.0)),
        "maxIter given invalid value -1" -> (() => lr.setMaxIter(-1)),
        "tol given invalid value -1.0E-6" -> (() => lr.setTol(-1e-6)),
        "family given invalid value poisson" -> (() => lr.setFamily("poisson")),
        "solver given invalid value owlqn" -> (() => lr.setSolver("owlqn")),
        "warmStartIterations given invalid value -1" -> (() => lr.setWarmStartIterations(-1)),
        "lbfgsMemory given invalid value 0" -> (() => lr.setLbfgsMemory(0)),
        "hessianSampleFraction given invalid value 0.0" -> (() => lr.setHessianSampleFraction(0.0)),
        "threshold given invalid value 1.5" -> (() => lr.setThreshold(1.5)),
        "rank given invalid value 0" -> (() => lr.setRank(0)),
        "aggregationDepth given invalid value 0" -> (() => lr.setAggregationDepth(0)),
        "maxBlockSizeInMB given invalid value 0.0" -> (() => lr.setMaxBlockSizeInMB(0.0)),
        "preconditioner given invalid value jacobi" -> (() => lr.setPreconditioner("jacobi")),
        "gamma given invalid value big" -> (() => lr.setGamma("big")))) {
      val m = message(attempt())
      assert(m.contains(s"${lr.uid} parameter $name"), m)
    }
    // Valid values pass, and gamma takes auto or a number.
    lr.setGamma("0.25").setGamma("auto").setSolver("lrsfn").setFamily("multinomial").setThreshold(0.3)
    assert(lr.getGamma == "auto" && lr.getSolver == "lrsfn")
  }

  test("every default has one home: the estimators' param defaults are reference.conf's, as the CLI's") {
    val cli = JobConfig.fromArguments(java.util.List.of())
    assert(SolverSettings.from(cli) == SolverSettings.defaults())
    for (estimator <- Seq(new NewtonLogisticRegression(), new NewtonLinearRegression())) {
      assert(estimator.solverSettings() == SolverSettings.defaults())
      val s = estimator.trainingSettings()
      assert(s.regParam() == cli.number("model.regParam") && s.fitIntercept() == cli.bool("model.fitIntercept"))
      assert(s.aggregationDepth() == cli.integer("spark.aggregationDepth"))
      assert(s.maxBlockSizeMb() == cli.number("data.maxBlockSizeMb"))
      assert(s.driverCurvatureBytes() == cli.megabytes("solver.driverCurvatureMb"))
      assert(s.curvatureCacheBytes() == cli.megabytes("solver.curvatureCacheMb"))
      assert(s.fold().configName() == cli.string("spark.fold"))
    }
    val lr = new NewtonLogisticRegression()
    assert(lr.getTol == cli.number("solver.tol") && lr.getSeed == cli.longValue("solver.seed"))
    assert(lr.getMaxIter == cli.integer("solver.maxIter") && lr.getSolver == cli.string("solver.name"))
    // A changed param reaches the solver settings.
    assert(lr.setTol(1e-3).setRank(7).solverSettings().tol() == 1e-3 && lr.solverSettings().sketch().rank() == 7)
  }

  test("the solver records' own defaults() are reference.conf's values (no second value for one default)") {
    import dev.sparknewton.solvers._
    val s = SolverSettings.defaults()
    assert(s.exactNewton() == ExactNewtonConfig.defaults())
    assert(s.newtonCg(NewtonCgConfig.Globalization.LINE_SEARCH) == NewtonCgConfig.defaults())
    assert(s.lrsfn() == LrsfnConfig.defaults())
    assert(s.hessianFree() == HessianFreeConfig.defaults())
    assert(s.gradientDescent() == GradientDescentConfig.defaults())
    assert(s.adam() == AdamConfig.defaults())
  }
}
