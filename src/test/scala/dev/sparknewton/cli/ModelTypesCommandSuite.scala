package dev.sparknewton.cli

import breeze.linalg.{DenseMatrix, DenseVector}
import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}
import dev.sparknewton.{SharedSpark, TestData, TestModels}
import dev.sparknewton.data.DataFiles
import dev.sparknewton.models.{SoftmaxCrossEntropy, SquaredLoss}
import dev.sparknewton.objective.LocalBlockFold
import java.io.File
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._

/**
 * `train` on each model type end to end through the command line: multinomial logistic
 * regression (every solver to the same optimum, K x d coefficients, the class labels, multiclass
 * test metrics) and least squares (the closed-form solution of the normal equations), and the
 * one-line refusals of bad labels and of a dense Hessian over budget.
 */
class ModelTypesCommandSuite extends AnyFunSuite with SharedSpark {

  private val json = new ObjectMapper()
  private val d = 6

  private def run(args: String*): CliRun.Result = {
    spark
    CliRun(args: _*)
  }

  /** LIBSVM lines with the given raw labels. */
  private def lines(rows: Seq[TestData.Row], label: TestData.Row => String): Seq[String] =
    rows.map(r => (label(r) +: r.indices.indices.map(k => s"${r.indices(k) + 1}:${r.values(k)}")).mkString(" "))

  private def coefficients(model: JsonNode): Array[Array[Double]] =
    model.get("coefficients").elements().asScala
      .map(_.elements().asScala.map(_.asDouble()).toArray).toArray

  private def intercepts(model: JsonNode): Array[Double] =
    model.get("intercepts").elements().asScala.map(_.asDouble()).toArray

  private val classLabels = Array("1", "2", "5", "9")

  test("multinomial: every solver reaches the same optimum; model.json holds K x d coefficients and the class labels") {
    DataFiles.withTempDir { dir =>
      val rows = TestData.multiclassRows(n = 600, d = d, k = 4, density = 0.7, seed = 41L, weighted = false)
      val train = DataFiles.write(dir, "train.txt", lines(rows.take(500), r => classLabels(r.label.toInt)))
      val test = DataFiles.write(dir, "test.txt", lines(rows.drop(500), r => classLabels(r.label.toInt)))
      val lambda = 1e-3
      val objectives = for (solver <- Seq("exact-newton", "newton-cg", "lrsfn")) yield {
        val out = new File(dir, solver)
        val r = run("data.format=libsvm", s"data.path=$train", s"data.testPath=$test",
          s"data.numFeatures=$d", s"model.regParam=$lambda", s"solver.name=$solver",
          "solver.tol=1e-10", "solver.rank=20", "spark.partitions=3", s"output.dir=$out")
        assert(r.code == 0, r.stderr)
        assert(r.stdout.contains("model: multinomial-logistic, 28 parameters"), r.stdout)
        val model = json.readTree(new File(out, "model.json"))
        assert(model.get("type").asText() == "multinomial-logistic")
        assert(model.get("labels").get("0").asText() == "1" && model.get("labels").get("3").asText() == "9")
        val w = coefficients(model)
        val b = intercepts(model)
        assert(w.length == 4 && w.forall(_.length == d) && b.length == 4)
        assert(math.abs(b.sum) < 1e-12, "intercepts are centered")
        // The objective at the written model, evaluated independently on the driver.
        val local = TestModels.regularized(TestModels.objective(new SoftmaxCrossEntropy(4), d, true,
          new LocalBlockFold(TestData.blocks(rows.take(500), d, 64, sparse = true))), lambda)
        val theta = (0 until 4).flatMap(k => w(k) :+ b(k)).toArray
        val summary = json.readTree(new File(out, "summary.json"))
        val f = summary.get("objective").asDouble()
        assert(math.abs(local.evaluate(theta).value() - f) <= 1e-12 * f)
        assert(summary.get("converged").asBoolean(), r.stdout)
        val metrics = summary.get("test")
        assert(metrics.get("rows").asLong() == 100 && metrics.get("accuracy").asDouble() > 0.4)
        assert(metrics.get("confusionMatrix").size() == 4)
        assert(metrics.get("macroF1").isNumber && metrics.get("logLoss").asDouble() < math.log(4))
        f
      }
      objectives.foreach(f => assert(math.abs(f - objectives.head) <= 1e-9 * objectives.head, objectives))
    }
  }

  test("least squares: the coefficients solve the normal equations") {
    DataFiles.withTempDir { dir =>
      val rows = TestData.regressionRows(n = 400, d = d, density = 0.8, seed = 42L, weighted = false)
      val file = DataFiles.write(dir, "reg.txt", lines(rows, r => r.label.toString))
      val lambda = 1e-2
      val out = new File(dir, "out")
      val r = run("data.format=libsvm", s"data.path=$file", s"data.numFeatures=$d",
        "model.type=least-squares", s"model.regParam=$lambda", "solver.name=newton-cg",
        "solver.tol=1e-12", "data.testFraction=0", s"output.dir=$out")
      assert(r.code == 0, r.stderr)
      val model = json.readTree(new File(out, "model.json"))
      assert(model.get("type").asText() == "least-squares" && !model.has("labels"))
      val theta = coefficients(model)(0) :+ intercepts(model)(0)
      // (X~^T X~ / n + lambda P) theta = X~^T y / n, with P = diag(1, ..., 1, 0); unit weights.
      val n = rows.size
      val x = DenseMatrix.zeros[Double](n, d + 1)
      rows.zipWithIndex.foreach { case (row, i) =>
        row.indices.indices.foreach(k => x(i, row.indices(k)) = row.values(k))
        x(i, d) = 1.0
      }
      val y = DenseVector(rows.map(_.label).toArray)
      val a = (x.t * x) / n.toDouble
      (0 until d).foreach(j => a(j, j) += lambda)
      val expected = a \ ((x.t * y) / n.toDouble)
      (0 to d).foreach(j => assert(math.abs(theta(j) - expected(j)) <= 1e-10 * math.max(1.0, math.abs(expected(j))),
        s"coefficient $j: ${theta(j)} vs ${expected(j)}"))
      val local = TestModels.regularized(TestModels.objective(SquaredLoss.INSTANCE, d, true,
        new LocalBlockFold(TestData.blocks(rows, d, 64, sparse = false))), lambda)
      assert(local.evaluate(expected.toArray).value() <= json.readTree(new File(out, "summary.json")).get("objective").asDouble() * (1 + 1e-14))
    }
  }

  test("least squares reports RMSE, MAE and R^2 on the test data") {
    DataFiles.withTempDir { dir =>
      val rows = TestData.regressionRows(n = 500, d = d, density = 0.8, seed = 43L, weighted = false)
      val file = DataFiles.write(dir, "reg.txt", lines(rows, r => r.label.toString))
      val out = new File(dir, "out")
      val r = run("data.format=libsvm", s"data.path=$file", s"data.numFeatures=$d",
        "model.type=least-squares", "data.testFraction=0.2", s"output.dir=$out")
      assert(r.code == 0, r.stderr)
      val test = json.readTree(new File(out, "summary.json")).get("test")
      // y = truth . x + 0.7 + N(0, 0.5^2): the residual RMSE is near 0.5, and x explains most of y.
      assert(test.get("rmse").asDouble() > 0.35 && test.get("rmse").asDouble() < 0.7, test.toString)
      assert(test.get("mae").asDouble() < test.get("rmse").asDouble() && test.get("r2").asDouble() > 0.7)
      assert(r.stdout.linesIterator.exists(_.startsWith("test: ")), r.stdout)
    }
  }

  test("spectrum of the multinomial Hessian at a trained model: the top eigenvalues equal the dense ones (Breeze eigSym)") {
    DataFiles.withTempDir { dir =>
      val rows = TestData.multiclassRows(n = 300, d = d, k = 3, density = 0.7, seed = 45L, weighted = false)
      val file = DataFiles.write(dir, "m.txt", lines(rows, r => r.label.toInt.toString))
      val lambda = 1e-2
      val base = Seq("data.format=libsvm", s"data.path=$file", s"data.numFeatures=$d",
        s"model.regParam=$lambda", "spark.partitions=2")
      val trained = new File(dir, "trained")
      assert(run(base ++ Seq("solver.name=newton-cg", s"output.dir=$trained"): _*).code == 0)
      val out = new File(dir, "spectrum")
      val r = run(Seq("spectrum") ++ base ++ Seq(s"spectrum.point=${trained.getPath}", "spectrum.rank=5",
        "spectrum.powerIterations=2", s"output.dir=$out"): _*)
      assert(r.code == 0, r.stderr)
      assert(new File(out, "hessian").isDirectory, r.stdout + r.stderr + out.list().toSeq)
      val model = json.readTree(new File(trained, "model.json"))
      val w = coefficients(model)
      val b = intercepts(model)
      val theta = (0 until 3).flatMap(k => w(k) :+ b(k)).toArray
      val local = TestModels.regularized(TestModels.objective(new SoftmaxCrossEntropy(3), d, true,
        new LocalBlockFold(TestData.blocks(rows, d, 64, sparse = true))), lambda)
      val h = local.evaluate(theta).denseHessian()
      val dense = breeze.linalg.eigSym(new DenseMatrix(h.rows(), h.cols(), h.data())).eigenvalues.toArray
        .sortBy(v => -math.abs(v))
      val saved = dev.sparknewton.ml.CompressedHessian.read(spark, new File(out, "hessian").getPath)
      assert(saved.eigen().dimension() == 21)
      val values = saved.eigen().values()
      // 21 x 21 with a sketch of 15 columns and 2 power iterations: the top 5 to 1e-6 relative.
      (0 until 5).foreach(i => assert(math.abs(values(i) - dense(i)) <= 1e-6 * dense(0), s"eigenvalue $i"))
      // Shifting every intercept by the same amount leaves softmax unchanged and is not penalized:
      // that direction is in the null space of H, whose smallest eigenvalue is 0.
      assert(dense.map(math.abs).min < 1e-10)
    }
  }

  private def refused(args: Seq[String], expected: String*): Unit =
    DataFiles.withTempDir { dir =>
      val out = new File(dir, "never")
      val r = run(args :+ s"output.dir=$out": _*)
      assert(r.code == 2, r.stdout + r.stderr)
      assert(r.errorLines.size == 1, r.stderr)
      expected.foreach(e => assert(r.errorLines.head.contains(e), r.errorLines.head))
      assert(!out.exists() && dir.list().forall(n => n.endsWith(".txt") || n.endsWith(".csv")), dir.list().toSeq)
    }

  test("a NaN regression target is a one-line error naming file and line; nothing is written") {
    DataFiles.withTempDir { dir =>
      val file = DataFiles.write(dir, "reg.txt", Seq("1.5 1:1", "2.5 2:1", "NaN 1:2", "0.5 2:3"))
      refused(Seq("data.format=libsvm", s"data.path=$file", "model.type=least-squares"),
        "reg.txt", "line 3")
    }
  }

  test("more classes than model.maxClasses is a one-line error; nothing is written") {
    DataFiles.withTempDir { dir =>
      val file = DataFiles.write(dir, "many.txt", (1 to 8).map(k => s"$k 1:$k 2:1"))
      refused(Seq("data.format=libsvm", s"data.path=$file", "model.maxClasses=5"), "model.maxClasses", "5")
    }
  }

  test("least squares with string labels is a one-line error; nothing is written") {
    DataFiles.withTempDir { dir =>
      val file = DataFiles.write(dir, "s.csv", Seq("x,y", "1.0,yes", "2.0,no", "3.0,yes"))
      refused(Seq("data.format=csv", s"data.path=$file", "data.labelCol=y", "model.type=least-squares"),
        "least-squares", "'y'")
    }
  }

  test("exact-newton refuses a dense Hessian above solver.denseMaxMb in one line; nothing is written") {
    DataFiles.withTempDir { dir =>
      val rows = TestData.multiclassRows(n = 100, d = d, k = 4, density = 0.7, seed = 44L)
      val file = DataFiles.write(dir, "m.txt", lines(rows, r => r.label.toInt.toString))
      // 28 parameters: a 28 x 28 Hessian of 6,272 bytes against a budget of ~1,049 bytes.
      refused(Seq("data.format=libsvm", s"data.path=$file", "solver.name=exact-newton",
        "solver.denseMaxMb=0.001"), "exact-newton", "28 x 28", "solver.denseMaxMb")
    }
  }
}
