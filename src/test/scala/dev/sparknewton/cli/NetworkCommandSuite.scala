package dev.sparknewton.cli

import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}
import dev.sparknewton.{SharedSpark, TestData}
import dev.sparknewton.data.DataFiles
import java.io.File
import org.scalatest.funsuite.AnyFunSuite
import scala.io.Source
import scala.jdk.CollectionConverters._

/**
 * `train` with `model.type = mlp | autoencoder` end to end: model.json describes a network that an
 * independent forward pass (written here from the file alone) evaluates to the test accuracy the
 * job reported; a network without hidden layers is multinomial logistic regression; the
 * autoencoder reports its reconstruction error; bad network settings are one-line refusals.
 */
class NetworkCommandSuite extends AnyFunSuite with SharedSpark {

  private val json = new ObjectMapper()
  private val d = 6

  private def run(args: String*): CliRun.Result = {
    spark
    CliRun(args: _*)
  }

  private def lines(rows: Seq[TestData.Row]): Seq[String] =
    rows.map(r => (r.label.toInt.toString +: r.indices.indices.map(k => s"${r.indices(k) + 1}:${r.values(k)}")).mkString(" "))

  private def dense(r: TestData.Row): Array[Double] = {
    val x = new Array[Double](d)
    r.indices.indices.foreach(k => x(r.indices(k)) = r.values(k))
    x
  }

  private def doubles(n: JsonNode): Array[Double] = n.elements().asScala.map(_.asDouble()).toArray

  /** The network of model.json applied to `x`, from the file's description alone. */
  private def forward(model: JsonNode, x: Array[Double]): Array[Double] = {
    var a = x
    for (layer <- model.get("layers").elements().asScala) {
      val w = layer.get("weights").elements().asScala.map(doubles).toArray
      val b = doubles(layer.get("biases"))
      assert(w.length == layer.get("outputs").asInt() && w.forall(_.length == layer.get("inputs").asInt()))
      val s = w.indices.map(j => w(j).indices.map(i => w(j)(i) * a(i)).sum + b(j)).toArray
      a = layer.get("activation").asText() match {
        case "identity" => s
        case "tanh" => s.map(math.tanh)
        case "sigmoid" => s.map(v => 1.0 / (1.0 + math.exp(-v)))
        case other => fail(s"unexpected activation $other")
      }
    }
    a
  }

  private def history(out: File): Seq[JsonNode] = {
    val src = Source.fromFile(new File(out, "iterations.jsonl"))
    try src.getLines().map(json.readTree).toList finally src.close()
  }

  test("mlp: model.json's layers, run by an independent forward pass, give the reported test accuracy") {
    DataFiles.withTempDir { dir =>
      val rows = TestData.multiclassRows(n = 700, d = d, k = 3, density = 1.0, seed = 51L, weighted = false)
      val train = DataFiles.write(dir, "train.txt", lines(rows.take(500)))
      val test = DataFiles.write(dir, "test.txt", lines(rows.drop(500)))
      val out = new File(dir, "mlp")
      val r = run("data.format=libsvm", s"data.path=$train", s"data.testPath=$test",
        s"data.numFeatures=$d", "model.type=mlp", "model.layers=[5]", "model.activation=tanh",
        "model.regParam=1e-3", "solver.name=newton-cg", "solver.maxIter=15", "spark.partitions=3",
        s"output.dir=$out")
      assert(r.code == 0, r.stderr)
      assert(r.stdout.contains(s"model: mlp, ${(d + 1) * 5 + 6 * 3} parameters"), r.stdout)
      assert(r.stdout.contains("curvature hessian"), r.stdout)
      val model = json.readTree(new File(out, "model.json"))
      assert(model.get("type").asText() == "mlp" && model.get("output").asText() == "softmax")
      assert(model.get("layers").size() == 2)
      val reported = json.readTree(new File(out, "summary.json")).get("test").get("accuracy").asDouble()
      val correct = rows.drop(500).count { row =>
        val z = forward(model, dense(row))
        z.indices.maxBy(z) == row.label.toInt
      }
      assert(math.abs(correct / 200.0 - reported) < 1e-12, s"$correct / 200 vs $reported")
      val objectives = history(out).map(_.get("objective").asDouble())
      assert(objectives.last < 0.5 * objectives.head, objectives)
    }
  }

  test("an mlp without hidden layers is multinomial logistic regression: the same optimum") {
    DataFiles.withTempDir { dir =>
      val rows = TestData.multiclassRows(n = 400, d = d, k = 3, density = 0.8, seed = 52L, weighted = false)
      val train = DataFiles.write(dir, "train.txt", lines(rows))
      def objective(extra: String*): Double = {
        val out = new File(dir, extra.mkString("-").replaceAll("[^a-z]", ""))
        val r = run((Seq("data.format=libsvm", s"data.path=$train", s"data.numFeatures=$d",
          "model.regParam=1e-2", "solver.name=newton-cg", "solver.tol=1e-12", "solver.maxIter=100",
          s"output.dir=$out") ++ extra): _*)
        assert(r.code == 0, r.stderr)
        json.readTree(new File(out, "summary.json")).get("objective").asDouble()
      }
      val linear = objective("model.type=multinomial-logistic")
      val network = objective("model.type=mlp", "model.layers=[]")
      assert(math.abs(linear - network) < 1e-10 * math.abs(linear), s"$linear vs $network")
    }
  }

  test("autoencoder: trains on its input, reports the reconstruction error, writes d outputs") {
    DataFiles.withTempDir { dir =>
      val rows = TestData.multiclassRows(n = 300, d = d, k = 3, density = 1.0, seed = 53L, weighted = false)
      val train = DataFiles.write(dir, "train.txt", lines(rows.take(250)))
      val test = DataFiles.write(dir, "test.txt", lines(rows.drop(250)))
      val out = new File(dir, "ae")
      val r = run("data.format=libsvm", s"data.path=$train", s"data.testPath=$test",
        s"data.numFeatures=$d", "model.type=autoencoder", "model.layers=[3]", "model.activation=sigmoid",
        "model.regParam=1e-4", "solver.name=lrsfn", "solver.rank=10", "solver.maxIter=20",
        s"output.dir=$out")
      assert(r.code == 0, r.stderr)
      assert(r.stdout.contains("mean squared reconstruction error"), r.stdout)
      val model = json.readTree(new File(out, "model.json"))
      assert(model.get("type").asText() == "autoencoder" && model.get("numOutputs").asInt() == d)
      assert(!model.has("labels"))
      val mse = json.readTree(new File(out, "summary.json")).get("test")
        .get("meanSquaredReconstructionError").asDouble()
      val recomputed = rows.drop(250).map { row =>
        val x = dense(row)
        val y = forward(model, x)
        x.indices.map(i => (y(i) - x(i)) * (y(i) - x(i))).sum
      }.sum / 50
      assert(math.abs(mse - recomputed) < 1e-10 * recomputed, s"$mse vs $recomputed")
      val objectives = history(out).map(_.get("objective").asDouble())
      assert(objectives.last < 0.5 * objectives.head, objectives)
    }
  }

  test("network benchmark: test-accuracy targets for our solvers and MLlib's perceptron, bounds from its maxIter rungs, plots") {
    DataFiles.withTempDir { dir =>
      val rows = TestData.multiclassRows(n = 500, d = d, k = 3, density = 1.0, seed = 55L, weighted = false)
      val train = DataFiles.write(dir, "train.txt", lines(rows.take(400)))
      val test = DataFiles.write(dir, "test.txt", lines(rows.drop(400)))
      val out = new File(dir, "bench")
      val r = run("benchmark", "data.format=libsvm", s"data.path=$train", s"data.testPath=$test",
        s"data.numFeatures=$d", "model.type=mlp", "model.layers=[4]", "model.regParam=1e-4",
        "solver.maxIter=8", "benchmark.solvers=[hessian-free, \"adam batchFraction=0.5 learningRate=0.05 maxIter=20\"]",
        "benchmark.mlpcMaxIters=[3, 30]", "benchmark.accuracyTargets=[0.5, 0.7]", s"output.dir=$out")
      assert(r.code == 0, r.stderr)
      val table = Source.fromFile(new File(out, "report.md")).mkString
      assert(table.contains("| hessian-free |") && table.contains("| mlpc-lbfgs |"), table)
      assert(new File(out, "test-error.png").length() > 1000 && new File(out, "training-loss.png").length() > 1000)
      val curves = Source.fromFile(new File(out, "curves.jsonl")).getLines().map(json.readTree).toList
      val mlpc = curves.filter(_.get("method").asText() == "mlpc-lbfgs")
      assert(mlpc.size == 2 && mlpc.head.get("passes").asLong() < mlpc(1).get("passes").asLong())
      val hf = curves.filter(_.get("method").asText() == "hessian-free")
      assert(hf.size == 9 && hf.last.get("testAccuracy").asDouble() > 0.7, hf.last)
    }
  }

  test("network benchmark table: MLlib's rungs bound its passes to a target from both sides") {
    val ours = new NetworkBenchmark.Curve("hf", Array(1L, 5L, 10L), Array(1.0, 2.0, 3.0),
      Array(0.3, 0.8, 0.95), Array(1.0, 0.5, 0.1), 0L, "done")
    val mllib = new NetworkBenchmark.Curve("mlpc-lbfgs", Array(12L, 40L), Array(4.0, 9.0),
      Array(0.85, 0.96), Array(0.4, 0.05), 0L, "rungs")
    val table = NetworkBenchmark.markdown(java.util.List.of(ours, mllib), java.util.List.of(0.8, 0.9, 0.99))
    val hfRow = table.linesIterator.find(_.startsWith("| hf |")).get
    assert(hfRow.contains("| 5 (MLlib ≤ 2.4x) | 2.0 |"), hfRow)
    assert(hfRow.contains("| 10 (MLlib 1.3x to 4.0x) | 3.0 |"), hfRow)
    assert(hfRow.contains("| not reached | – |"), hfRow)
    val mlRow = table.linesIterator.find(_.startsWith("| mlpc-lbfgs |")).get
    assert(mlRow.contains("| ≤ 12 | ≤ 4.0 |") && mlRow.contains("| 13 to 40 | 4.0 to 9.0 |"), mlRow)
  }

  test("bad network settings are one-line refusals") {
    DataFiles.withTempDir { dir =>
      val rows = TestData.regressionRows(n = 50, d = d, density = 1.0, seed = 54L)
      val train = DataFiles.write(dir, "train.txt",
        rows.map(r => (r.label.toString +: r.indices.indices.map(k => s"${r.indices(k) + 1}:${r.values(k)}")).mkString(" ")))
      val base = Seq("data.format=libsvm", s"data.path=$train", s"data.numFeatures=$d",
        "model.type=mlp", s"output.dir=${new File(dir, "out")}")
      val cases = Seq(
        Seq("model.layers=[0]") -> "every hidden width must be >= 1",
        Seq("model.activation=swish") -> "model.activation",
        Seq("model.output=hinge") -> "model.output",
        Seq("solver.curvature=fisher") -> "solver.curvature",
        Seq("model.type=autoencoder", "model.layers=[]") -> "an autoencoder needs a hidden layer")
      for ((extra, message) <- cases) {
        val r = run((base ++ extra): _*)
        assert(r.code != 0, s"$extra: ${r.stdout}")
        assert(r.errorLines.size == 1 && r.errorLines.head.contains(message), s"$extra: ${r.stderr}")
        assert(!new File(dir, "out").exists(), s"$extra left an output behind")
      }
    }
  }
}
