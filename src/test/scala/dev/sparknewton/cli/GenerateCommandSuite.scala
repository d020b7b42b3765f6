package dev.sparknewton.cli

import com.fasterxml.jackson.databind.ObjectMapper
import dev.sparknewton.SharedSpark
import dev.sparknewton.data.{DataFiles, SyntheticRows, SyntheticSpec}
import java.nio.file.{Files, Path}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._

/**
 * The generate command end to end, through `Main.run` with the shared session: the output
 * directory and its files, training on what it wrote, and every bad configuration value.
 */
class GenerateCommandSuite extends AnyFunSuite with SharedSpark {

  private val json = new ObjectMapper()

  private def withTempDir(body: Path => Unit): Unit = DataFiles.withTempDir(dir => body(dir.toPath))

  private def run(args: String*): CliRun.Result = {
    spark // the shared session exists before Main asks for one
    CliRun(args: _*)
  }

  private def names(dir: Path): Set[String] =
    Files.list(dir).iterator().asScala.map(_.getFileName.toString).toSet

  test("at d = 200,000 every solver trains the generated data to the same optimum; exact Newton refuses in one line") {
    withTempDir { dir =>
      val d = 200000
      val out = dir.resolve("wide")
      val g = run("generate", "generate.rows=600", s"generate.features=$d", "generate.nnzPerRow=20",
        "generate.powerLaw=1.0", "generate.seed=21", s"output.dir=$out")
      assert(g.code == 0, g.stderr)
      val common = Seq("train", "data.format=libsvm", s"data.path=${out.resolve("data")}", s"data.numFeatures=$d",
        "model.regParam=1e-3", "model.fitIntercept=false", "solver.tol=1e-10", "solver.maxIter=200")
      def summary(solver: String, extra: String*) = {
        val target = Files.createTempDirectory(dir, s"run-$solver").resolve("out")
        val t = run(common ++ Seq(s"solver.name=$solver", s"output.dir=$target") ++ extra: _*)
        assert(t.code == 0, s"$solver: ${t.stderr}")
        json.readTree(target.resolve("summary.json").toFile)
      }
      def objective(solver: String, extra: String*): Double = {
        val s = summary(solver, extra: _*)
        assert(s.get("termination").asText().startsWith("CONVERGED"), s"$solver: $s")
        s.get("objective").asDouble()
      }
      // auto picks Newton-CG at this size and says why.
      val auto = run(common ++ Seq(s"output.dir=${dir.resolve("run-auto")}"): _*)
      assert(auto.code == 0 && auto.stdout.contains("solver: newton-cg (auto: 200000 parameters > 1024"), auto.stdout)
      val values = Seq(
        "newton-cg" -> objective("newton-cg"),
        "newton-cg distributed" -> objective("newton-cg", "solver.driverCurvatureMb=0"),
        "trust-region" -> objective("trust-region"),
        "nystrom" -> objective("newton-cg", "solver.preconditioner=nystrom", "solver.rank=10"))
      val best = values.map(_._2).min
      values.foreach { case (name, f) => assert((f - best) / best < 1e-8, s"$name: $f against $best") }
      // LRSFN at rank 10 converges only linearly here (the Hessian's rank is about 600): 10
      // iterations run (a 200,000 x 20 sketch, no d x d matrix) and decrease f from log 2.
      val lrsfn = summary("lrsfn", "solver.rank=10", "solver.maxIter=10")
      assert(lrsfn.get("termination").asText() == "MAX_ITERATIONS", lrsfn.toString)
      assert(lrsfn.get("objective").asDouble() < 0.5 * math.log(2.0), lrsfn.toString)
      // A dense 200,000^2 Hessian is 298 GB: a one-line refusal naming the size and the key, nothing written.
      val refused = run(common ++ Seq("solver.name=exact-newton", s"output.dir=${dir.resolve("run-exact")}"): _*)
      assert(refused.code == 2 && refused.errorLines.size == 1, refused.stderr)
      assert(refused.errorLines.head.contains("solver.denseMaxMb") && refused.errorLines.head.contains("200,000 x 200,000"),
        refused.stderr)
      assert(!Files.exists(dir.resolve("run-exact")))
    }
  }

  test("generate writes data, weights and statistics atomically, and train fits the data to convergence") {
    withTempDir { dir =>
      val out = dir.resolve("synthetic")
      val r = run("generate", "generate.rows=2000", "generate.features=50", "generate.nnzPerRow=8",
        "generate.powerLaw=0.8", "generate.scaleDecades=2", "generate.values=gaussian",
        "generate.labelNoise=0.05", "generate.chunkRows=500", "generate.seed=5", s"output.dir=$out")
      assert(r.code == 0, r.stderr)
      assert(names(dir) == Set("synthetic"), "no temporary directory left next to the output")
      assert(names(out) == Set("data", "weights.json", "generate.json", "config.conf", AtomicOutputDirectory.MARKER))
      assert(names(out.resolve("data")).count(_.startsWith("part-")) == 4)
      val report = json.readTree(out.resolve("generate.json").toFile)
      assert(report.get("settings").get("rows").asLong() == 2000)
      assert(report.get("settings").get("values").asText() == "gaussian")
      val stats = report.get("statistics")
      assert(stats.get("rows").asLong() == 2000 && stats.get("meanNnz").asDouble() == 8.0)
      val counts = stats.get("labelCounts")
      assert(counts.get("-1").asLong() + counts.get("+1").asLong() == 2000)
      assert(counts.get("-1").asLong() > 500 && counts.get("+1").asLong() > 500)
      assert(stats.get("changedByNoise").asLong() > 0 && stats.get("trueModelAccuracy").asDouble() > 0.7)
      assert(r.stdout.contains("2000 rows, 8.00 nonzeros a row"), r.stdout)
      // weights.json is the true model in model.json's format.
      val weights = json.readTree(out.resolve("weights.json").toFile)
      assert(weights.get("type").asText() == "binary-logistic" && weights.get("numFeatures").asInt() == 50)
      val w = weights.get("coefficients").get(0).elements().asScala.map(_.asDouble()).toArray
      val spec = new SyntheticSpec(2000, 50, 8, 0.8, 2.0, SyntheticSpec.Values.GAUSSIAN, 2, 0.05, 2.0, 5L, 500)
      assert(w.sameElements(new SyntheticRows(spec).trueWeights()(0)))
      // The project's libsvm loader reads the directory of part files, and train converges on it.
      val run2 = dir.resolve("run")
      val t = run("train", "data.format=libsvm", s"data.path=${out.resolve("data")}", "data.numFeatures=50",
        "model.regParam=1e-3", s"output.dir=$run2")
      assert(t.code == 0, t.stderr)
      assert(t.stdout.contains("2000 rows, 50 features"), t.stdout)
      val summary = json.readTree(run2.resolve("summary.json").toFile)
      assert(summary.get("n").asLong() == 2000)
      assert(summary.get("termination").asText().startsWith("CONVERGED"), summary.get("termination"))
      assert(java.lang.Double.isFinite(summary.get("objective").asDouble()))
      assert(summary.get("objective").asDouble() < math.log(2.0))
    }
  }

  test("generate writes multiclass parquet that the parquet loader reads as K classes") {
    withTempDir { dir =>
      val out = dir.resolve("parquet")
      val r = run("generate", "generate.rows=1500", "generate.features=30", "generate.nnzPerRow=5",
        "generate.classes=3", "generate.format=parquet", "generate.chunkRows=1000", "generate.partitions=1",
        s"output.dir=$out")
      assert(r.code == 0, r.stderr)
      assert(names(out) == Set("data", "weights.json", "generate.json", "config.conf", AtomicOutputDirectory.MARKER))
      val stats = json.readTree(out.resolve("generate.json").toFile).get("statistics")
      assert((0 until 3).map(k => stats.get("labelCounts").get(k.toString).asLong()).sum == 1500)
      val weights = json.readTree(out.resolve("weights.json").toFile)
      assert(weights.get("type").asText() == "multinomial-logistic" && weights.get("coefficients").size() == 3)
      val frame = spark.read.parquet(out.resolve("data").toString)
      assert(frame.columns.toSeq == Seq("label", "features") && frame.count() == 1500)
      val data = dev.sparknewton.data.DataLoader.load(spark, TrainCommand.dataSpec(
        JobConfig.fromArguments(java.util.List.of("data.format=parquet", s"data.path=${out.resolve("data")}"))))
      assert(data.labels().numClasses() == 3 && data.numFeatures() == 30)
    }
  }

  test("rows may be written as 1e8 and are checked as whole numbers") {
    val config = JobConfig.fromArguments(java.util.List.of("generate.rows=1e8", "generate.features=1e6"))
    val spec = GenerateCommand.spec(config)
    assert(spec.rows() == 100000000L && spec.features() == 1000000 && spec.chunks() == 1526L)
  }

  private val badValues: Seq[(String, String)] = Seq(
    "generate.rows=0" -> "generate.rows must be >= 1, got 0",
    "generate.rows=1.5" -> "generate.rows must be a whole number in [0, 9007199254740992], got 1.5",
    "generate.rows=many" -> "generate.rows: expected a number, got 'many'",
    "generate.features=3000000000" -> "generate.features must be a whole number in [0, 2147483647], got 3000000000",
    "generate.nnzPerRow=2000" -> "generate.nnzPerRow must be in [1, 1000]",
    "generate.powerLaw=-0.5" -> "generate.powerLaw must be finite and >= 0, got -0.5",
    "generate.scaleDecades=-1" -> "generate.scaleDecades must be in [0, 300], got -1.0",
    "generate.values=ternary" -> "generate.values must be one of binary, gaussian; got 'ternary'",
    "generate.classes=1" -> "generate.classes must be >= 2, got 1",
    "generate.labelNoise=2" -> "generate.labelNoise must be in [0, 1], got 2.0",
    "generate.signal=-3" -> "generate.signal must be finite and >= 0, got -3.0",
    "generate.chunkRows=0" -> "generate.chunkRows must be >= 1, got 0",
    "generate.partitions=-2" -> "generate.partitions must be a whole number in [0, 2147483647], got -2",
    "generate.format=csv" -> "generate.format must be one of libsvm, parquet; got 'csv'",
    "generate.row=5" -> "unknown configuration key 'generate.row'",
    "generate.nnzPerRow=900" -> "generate.nnzPerRow = 900 is too many distinct features for powerLaw = 1.0")

  for ((arg, expected) <- badValues) {
    test(s"generate with $arg gives a one-line error naming the key and value, and writes nothing") {
      withTempDir { dir =>
        val out = dir.resolve("never")
        val r = run("generate", arg, s"output.dir=$out")
        assert(r.code == 2, r.stderr)
        assert(r.errorLines.size == 1, r.stderr)
        assert(r.errorLines.head.contains(expected), r.errorLines.head)
        assert(!Files.exists(out) && Files.list(dir).count() == 0)
      }
    }
  }

  test("generate refuses an existing output directory unless output.overwrite is set and it is a previous output") {
    withTempDir { dir =>
      val out = dir.resolve("existing")
      Files.createDirectory(out)
      Files.writeString(out.resolve("keep.txt"), "x")
      val args = Seq("generate", "generate.rows=100", "generate.features=10", "generate.nnzPerRow=3",
        s"output.dir=$out")
      val r = run(args: _*)
      assert(r.code == 2 && r.errorLines.size == 1 && r.errorLines.head.contains("already exists"), r.stderr)
      assert(names(out) == Set("keep.txt"))
      // Not an output of this tool: refused even with overwrite, and left as it was.
      val refused = run(args :+ "output.overwrite=true": _*)
      assert(refused.code == 2 && refused.errorLines.size == 1 &&
        refused.errorLines.head.contains("is not an output of spark-newton"), refused.stderr)
      assert(names(out) == Set("keep.txt"))
      Files.delete(out.resolve("keep.txt"))
      Files.delete(out)
      val first = run(args: _*)
      assert(first.code == 0, first.stderr)
      Files.writeString(out.resolve("stale.txt"), "x")
      val again = run(args :+ "output.overwrite=true": _*)
      assert(again.code == 0, again.stderr)
      assert(names(out) == Set("data", "weights.json", "generate.json", "config.conf", AtomicOutputDirectory.MARKER))
    }
  }
}
