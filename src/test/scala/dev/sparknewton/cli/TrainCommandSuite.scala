package dev.sparknewton.cli

import com.fasterxml.jackson.databind.ObjectMapper
import dev.sparknewton.{LiblinearReference, SharedSpark, TestModels}
import dev.sparknewton.data.{Blockifier, DataLoader, DataSpec, TrainingData}
import dev.sparknewton.ml.ModelTraining
import dev.sparknewton.models.LogisticLoss
import dev.sparknewton.objective.LocalBlockFold
import dev.sparknewton.solvers.{ExactNewton, ExactNewtonConfig, NewtonCg, NewtonCgConfig, Solver}
import java.io.File
import java.nio.file.{Files, Path}
import org.apache.spark.ml.linalg.{SparseVector, Vector}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * The train command end to end, through `Main.run` with the shared session: outputs, their
 * contents, the optimum against LIBLINEAR, and every bad configuration value.
 */
class TrainCommandSuite extends AnyFunSuite with SharedSpark {

  private val json = new ObjectMapper()

  private def withTempDir(body: Path => Unit): Unit = {
    val dir = Files.createTempDirectory("train-command")
    try body(dir)
    finally {
      Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p => p.toFile.delete())
    }
  }

  /** Runs Main with the arguments; returns (exit code, stdout, stderr). */
  private def run(args: String*): (Int, String, String) = {
    spark // the shared session exists before Main asks for one
    val r = CliRun(args: _*)
    (r.code, r.stdout, r.stderr)
  }

  /** A seeded libsvm problem: (rows, file text). */
  private def libsvm(n: Int, d: Int, seed: Long): (Seq[LiblinearReference.Row], String) = {
    val rows = problem(n, d, seed)
    (rows, text(rows))
  }

  private def text(rows: Seq[LiblinearReference.Row]): String =
    rows.map { r =>
      ((if (r.label > 0.5) "+1" else "-1") +: r.indices.indices.map(k => s"${r.indices(k) + 1}:${r.values(k)}"))
        .mkString(" ")
    }.mkString("", "\n", "\n")

  private def problem(n: Int, d: Int, seed: Long): Seq[LiblinearReference.Row] = {
    val rnd = new Random(seed)
    val truth = Array.fill(d)(rnd.nextGaussian())
    (0 until n).map { _ =>
      val idx = (0 until d).filter(_ => rnd.nextDouble() < 0.3).toArray
      val vals = idx.map(_ => math.rint(rnd.nextGaussian() * 100) / 100)
      val m = idx.indices.map(k => vals(k) * truth(idx(k))).sum
      val y = if (rnd.nextDouble() < 1 / (1 + math.exp(-m))) 1.0 else 0.0
      LiblinearReference.Row(idx, vals, y)
    }
  }

  private def objectiveAt(rows: Seq[LiblinearReference.Row], d: Int, lambda: Double, w: Array[Double]): Double = {
    val total = rows.map { r =>
      val m = r.indices.indices.map(k => r.values(k) * w(r.indices(k))).sum
      LogisticLoss.INSTANCE.loss(m, r.label)
    }.sum
    total / rows.size + 0.5 * lambda * w.map(x => x * x).sum
  }

  for ((solver, resolved) <- Seq("exact-newton" -> "exact-newton", "newton-cg" -> "newton-cg",
      "trust-region" -> "trust-region", "auto" -> "exact-newton")) {
    test(s"train writes model, summary and iterations, and reaches LIBLINEAR's optimum ($solver)") {
      withTempDir { dir =>
        val d = 15
        val lambda = 1e-3
        val all = problem(800, d, 3L)
        val rows = all.take(600)
        Files.writeString(dir.resolve("train.txt"), text(rows))
        Files.writeString(dir.resolve("test.txt"), text(all.drop(600)))
        val out = dir.resolve("run")
        val (code, stdout, stderr) = run("train", "data.format=libsvm", s"data.path=${dir.resolve("train.txt")}",
          s"data.testPath=${dir.resolve("test.txt")}", s"data.numFeatures=$d", s"model.regParam=$lambda",
          "model.fitIntercept=false", s"solver.name=$solver", "solver.tol=1e-12", s"output.dir=$out")
        assert(code == 0, stderr)
        assert(Files.list(out).iterator().asScala.map(_.getFileName.toString).toSet ==
          Set("model.json", "summary.json", "iterations.jsonl", "config.conf", AtomicOutputDirectory.MARKER))
        assert(!Files.list(dir).iterator().asScala.exists(_.getFileName.toString.contains(".tmp-")))
        val summary = json.readTree(out.resolve("summary.json").toFile)
        assert(summary.get("solver").asText() == resolved)
        if (solver == "auto") assert(stdout.contains("solver: exact-newton (auto: 15 parameters <= 1024"), stdout)
        assert(summary.get("n").asLong() == 600 && summary.get("d").asInt() == d)
        assert(summary.get("termination").asText().startsWith("CONVERGED"))
        val iterations = Files.readAllLines(out.resolve("iterations.jsonl")).asScala.map(json.readTree)
        assert(iterations.size == summary.get("iterations").asInt() + 1)
        assert(iterations.map(_.get("passes").asLong()) == iterations.map(_.get("passes").asLong()).sorted)
        assert(iterations.last.get("passes").asLong() == summary.get("passes").asLong())
        // Every iteration's passes send partial sums back: the settled byte count grows with each,
        // and after the last iteration it is the run's total.
        val bytes = iterations.map(_.get("bytesToDriver").asLong()).toIndexedSeq
        bytes.indices.tail.foreach(i => assert(bytes(i) > bytes(i - 1), s"bytes per iteration $bytes"))
        assert(bytes.last == summary.get("bytesSent").asLong())
        val progress = stdout.linesIterator.count(_.startsWith("iter "))
        assert(progress == iterations.size)
        val test = summary.get("test")
        assert(test.get("rows").asLong() == 200)
        assert(test.get("accuracy").asDouble() > 0.6 && test.get("auc").asDouble() > 0.6)
        val model = json.readTree(out.resolve("model.json").toFile)
        assert(model.get("type").asText() == "binary-logistic" && model.get("numOutputs").asInt() == 1)
        assert(model.get("coefficients").size() == 1 && model.get("intercepts").size() == 1)
        val w = model.get("coefficients").get(0).elements().asScala.map(_.asDouble()).toArray
        assert(w.length == d && model.get("intercepts").get(0).asDouble() == 0.0)
        assert(model.get("labels").get("1").asText() == "+1" || model.get("labels").get("1").asText() == "1")
        val reference = LiblinearReference.optimum(rows, d, lambda, intercept = false)
        val fRef = objectiveAt(rows, d, lambda, reference)
        val fOurs = summary.get("objective").asDouble()
        assert(math.abs(objectiveAt(rows, d, lambda, w) - fOurs) < 1e-14 * fOurs)
        assert(math.abs(fOurs - fRef) <= 1e-8 * fRef, s"ours $fOurs, LIBLINEAR $fRef")
        w.indices.foreach(j => assert(math.abs(w(j) - reference(j)) < 1e-6))
      }
    }
  }

  test("inference.standardErrors: summary.json holds GLR's standard errors, z and p-values") {
    withTempDir { dir =>
      val d = 6
      val file = dir.resolve("train.txt")
      Files.writeString(file, text(problem(400, d, 11L)))
      val out = dir.resolve("run")
      val (code, stdout, stderr) = run("train", "data.format=libsvm", s"data.path=$file",
        s"data.numFeatures=$d", "model.regParam=0", "solver.name=exact-newton", "solver.tol=1e-12",
        "inference.standardErrors=true", s"output.dir=$out")
      assert(code == 0, stderr)
      assert(stdout.contains("standard errors: CoefficientTable(BINOMIAL, UNREGULARIZED Hessian, " +
        "EXACT, 7 parameters"), stdout)
      val table = json.readTree(out.resolve("summary.json").toFile).get("standardErrors")
      assert(table.get("family").asText() == "binomial" && table.get("method").asText() == "exact")
      assert(table.get("statistic").asText() == "z" && table.get("numRows").asLong() == 400)
      def array(name: String) = table.get(name).elements().asScala.map(_.asDouble()).toArray
      // MLlib's GLR on the same file (libsvm labels -1/+1 mapped to 0/1, as the job maps them).
      val df = spark.read.format("libsvm").option("numFeatures", d.toString).load(file.toString)
        .withColumn("label", (org.apache.spark.sql.functions.col("label") + 1.0) / 2.0)
      val glr = new org.apache.spark.ml.regression.GeneralizedLinearRegression()
        .setFamily("binomial").setRegParam(0.0).setTol(1e-12).setMaxIter(100).fit(df)
      val expected = Seq(
        "estimates" -> (glr.coefficients.toArray :+ glr.intercept),
        "standardErrors" -> glr.summary.coefficientStandardErrors,
        "statistics" -> glr.summary.tValues, "pValues" -> glr.summary.pValues)
      for ((name, g) <- expected; (ours, j) <- array(name).zipWithIndex) {
        assert(math.abs(ours - g(j)) <= 1e-6 * math.abs(g(j)) + 1e-14, s"$name $j: $ours vs ${g(j)}")
      }
      // The table's passes are not in the run's: its passes are those of its last iteration.
      val summary = json.readTree(out.resolve("summary.json").toFile)
      val last = Files.readAllLines(out.resolve("iterations.jsonl")).asScala.last
      assert(summary.get("passes").asLong() == json.readTree(last).get("passes").asLong())
      assert(table.get("passes").asInt() == 2)
    }
  }

  test("inference.standardErrors refusals: one line, exit 2, before training") {
    withTempDir { dir =>
      val file = dir.resolve("train.txt")
      Files.writeString(file, text(problem(100, 4, 12L)))
      val base = Seq("train", "data.format=libsvm", s"data.path=$file", "inference.standardErrors=true")
      for ((args, expected) <- Seq(
          Seq("inference.denseMaxMb=0.0001") -> ("exact standard errors need the dense 5 x 5 " +
            "Hessian (5 parameters): 200 bytes (0.0 MB), more than inference.denseMaxMb = 0.0; " +
            "set inference.method = low-rank (or auto)"),
          Seq("inference.method=sketch") -> "inference.method must be one of exact, low-rank, auto; got 'sketch'",
          Seq("model.type=multinomial-logistic") ->
            "coefficient standard errors are defined for binary logistic regression and least squares")) {
        val out = dir.resolve("never")
        val (code, stdout, stderr) = run(base ++ args :+ s"output.dir=$out": _*)
        assert(code == 2, stderr)
        val lines = stderr.linesIterator.filter(_.startsWith("error:")).toList
        assert(lines.size == 1 && lines.head.contains(expected), stderr)
        assert(!stdout.contains("iter "), "refused before the first iteration")
        assert(!Files.exists(out))
      }
    }
  }

  test("on the embedded Bank Marketing data both solvers reach LIBLINEAR's optimum") {
    val data = DataLoader.load(spark, DataSpec.embedded(0.0, 42L))
    val d = data.numFeatures()
    val lambda = 1e-3
    val rows = data.train().select("label", "features").collect().toSeq.map { r =>
      val v = r.getAs[Vector](1)
      val sv: SparseVector = v.toSparse
      LiblinearReference.Row(sv.indices, sv.values, r.getDouble(0))
    }
    val reference = LiblinearReference.optimum(rows, d, lambda, intercept = false, eps = 1e-10)
    val blocks = Blockifier.blockify(data.train(), d, 1.0, 2).collect()
    val local = TestModels.regularized(
      TestModels.logistic(d, false, new LocalBlockFold(blocks)), lambda)
    val fRef = local.evaluate(reference).value()
    val settings = new ModelTraining.Settings(lambda, false, 3, 2, 1.0, 0L, 0L)
    val solvers: Seq[Solver] = Seq(
      new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-12)),
      new NewtonCg(NewtonCgConfig.defaults().withTol(1e-12)))
    for (solver <- solvers) {
      val s = ModelTraining.fit(spark, data, settings, solver, _ => ())
      assert(s.termination().converged(), s"${solver.name()}: ${s.termination()}")
      assert(s.numRows() == 45211)
      // Ours may be lower than LIBLINEAR's (its stop is looser on this badly scaled data), never higher.
      assert(s.objective() <= fRef * (1 + 1e-8), s"${solver.name()}: ${s.objective()} vs LIBLINEAR $fRef")
      assert(math.abs(s.objective() - fRef) <= 1e-8 * fRef, s"${solver.name()}: ${s.objective()} vs $fRef")
    }
  }

  test("with no arguments the job trains on the embedded data and prints test metrics") {
    withTempDir { dir =>
      val out = dir.resolve("default")
      val conf = new File(System.getProperty("user.dir"), "conf/bank.conf").getPath
      val (code, stdout, stderr) = run(conf, s"output.dir=$out")
      assert(code == 0, stderr)
      assert(stdout.contains("no -> 0, yes -> 1"))
      assert(stdout.linesIterator.exists(_.matches("test: \\d+ rows, accuracy 0\\.\\d+, AUC 0\\.\\d+, log-loss .*")))
      val summary = json.readTree(out.resolve("summary.json").toFile)
      assert(summary.get("n").asLong() + summary.get("test").get("rows").asLong() == 45211)
      assert(summary.get("test").get("auc").asDouble() > 0.85)
    }
  }

  private val badValues: Seq[(Seq[String], String)] = Seq(
    Seq("solver.name=owlqn") -> "solver.name must be one of",
    Seq("solver.name=trust-region", "solver.warmStartIterations=5") ->
      "solver.warmStartIterations = 5 applies to exact-newton, newton-cg, lrsfn (and auto), not trust-region",
    Seq("model.regParam=-1") -> "model.regParam",
    Seq("solver.maxIter=many") -> "solver.maxIter: expected an integer, got 'many'",
    Seq("solver.tol=-1") -> "solver.tol",
    Seq("solver.hessianSampleFraction=1.5") -> "solver.hessianSampleFraction",
    Seq("solver.maxiter=5") -> "unknown configuration key 'solver.maxiter' (from the command line); did you mean solver.maxIter?",
    Seq("data.format=xls") -> "data.format must be one of",
    Seq("data.testFraction=1") -> "data.testFraction",
    Seq("spark.aggregationDepth=0") -> "spark.aggregationDepth",
    Seq("solver.forcing=sometimes") -> "solver.forcing must be one of",
    Seq("data.format=libsvm") -> "data.path is required",
    Seq("data.labelsPath=/tmp/labels") ->
      "labelsPath and testLabelsPath apply to format idx only, not to embedded",
    Seq("/no/such/file.conf") -> "configuration file not found: /no/such/file.conf")

  for ((args, expected) <- badValues) {
    test(s"bad configuration ${args.mkString(" ")} gives a one-line error and writes nothing") {
      withTempDir { dir =>
        val out = dir.resolve("never")
        val (code, _, stderr) = run(args :+ s"output.dir=$out": _*)
        assert(code == 2)
        val lines = stderr.linesIterator.filter(_.startsWith("error:")).toList
        assert(lines.size == 1, stderr)
        assert(lines.head.contains(expected), lines.head)
        assert(!Files.exists(out))
        assert(Files.list(dir).count() == 0, "nothing written next to the output directory")
      }
    }
  }

  test("bad data gives a one-line error naming file, line and value, and writes nothing") {
    withTempDir { dir =>
      val file = dir.resolve("bad.txt")
      Files.writeString(file, "+1 1:0.5 3:1\n-1 2:0.25\n+1 1:1 40:2\n")
      val out = dir.resolve("never")
      val (code, _, stderr) = run("data.format=libsvm", s"data.path=$file", "data.numFeatures=10",
        s"output.dir=$out")
      assert(code == 2)
      val line = stderr.linesIterator.filter(_.startsWith("error:")).toList
      assert(line.size == 1, stderr)
      assert(line.head.contains("bad.txt") && line.head.contains("line 3") && line.head.contains("40"), line.head)
      assert(!Files.exists(out))
    }
  }

  test("an existing output directory is refused unless output.overwrite is set and it is a previous output") {
    withTempDir { dir =>
      val (_, text) = libsvm(100, 5, 9L)
      Files.writeString(dir.resolve("t.txt"), text)
      val out = dir.resolve("run")
      Files.createDirectory(out)
      Files.writeString(out.resolve("keep.txt"), "x")
      val args = Seq("data.format=libsvm", s"data.path=${dir.resolve("t.txt")}", s"output.dir=$out")
      val (code, _, stderr) = run(args: _*)
      assert(code == 2 && stderr.contains("already exists"))
      // Not an output of this tool: refused even with overwrite.
      val (code1, _, stderr1) = run(args :+ "output.overwrite=true": _*)
      assert(code1 == 2 && stderr1.contains("is not an output of spark-newton"), stderr1)
      assert(Files.exists(out.resolve("keep.txt")))
      Files.delete(out.resolve("keep.txt")); Files.delete(out)
      val (code2, _, stderr2) = run(args: _*)
      assert(code2 == 0, stderr2)
      Files.writeString(out.resolve("stale.txt"), "x")
      val (code3, _, stderr3) = run(args :+ "output.overwrite=true": _*)
      assert(code3 == 0, stderr3)
      assert(!Files.exists(out.resolve("stale.txt")) && Files.exists(out.resolve("summary.json")))
    }
  }
}
