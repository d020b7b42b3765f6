package dev.sparknewton.connect

import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}
import dev.sparknewton.{SharedSpark, TestData}
import dev.sparknewton.cli.CliRun
import java.io.File
import java.net.ServerSocket
import java.nio.file.{Files, Path}
import java.util.concurrent.TimeUnit
import org.apache.spark.ml.linalg.{Vectors => MlVectors}
import org.apache.spark.sql.Row
import org.apache.spark.sql.types.{DoubleType, StructType}
import org.apache.spark.ml.linalg.SQLDataTypes
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._

/**
 * The job over a real Spark Connect server: `jobs/connect-server.sh` starts the server (a JVM on
 * the provided Spark classpath plus spark-connect), and `dev.sparknewton.cli.Main train` runs in
 * another JVM as a Connect client (a Connect session: no SparkContext, no RDDs, so the Dataset fold
 * is all it can use), uploading this project's classes as an artifact.
 * Its optimum and pass count must be those of the same job on classic Spark (the RDD fold).
 *
 * The data: generated, the shape of a9a (32,561 rows, 123 features, about 14 nonzeros a row,
 * binary labels), as Parquet, read by both runs.
 */
class ConnectSuite extends AnyFunSuite with SharedSpark {

  private val root = new File(System.getProperty("user.dir"))
  private def jars(dir: String): Seq[File] =
    Option(new File(root, dir).listFiles()).toSeq.flatten.filter(_.getName.endsWith(".jar")).sortBy(_.getName)

  /** The Connect client JVM's classpath: as jobs/common.sh's connect_client_classpath, plus our classes. */
  private def clientClasspath: String = {
    val spark = Files.readString(new File(root, "target/spark-classpath.txt").toPath).trim
    // The compile-scope libraries the shaded jar carries (Typesafe config, XChart), which the
    // client needs beside target/classes.
    val config = System.getProperty("java.class.path").split(File.pathSeparator)
      .filter(_.matches(".*/(config|xchart)-[0-9.]+\\.jar")).toSeq
    (Seq(new File(root, "target/classes").getPath) ++ jars("target/connect/client").map(_.getPath) ++ config :+ spark)
      .mkString(File.pathSeparator)
  }

  private def freePort(): Int = { val s = new ServerSocket(0); try s.getLocalPort finally s.close() }

  private def run(timeoutSeconds: Long, log: Path, command: String*): Int = {
    val p = new ProcessBuilder(command: _*).directory(root).redirectErrorStream(true)
      .redirectOutput(log.toFile).start()
    if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      p.destroyForcibly()
      fail(s"${command.take(3).mkString(" ")} ... did not end in $timeoutSeconds s; log $log")
    }
    p.exitValue()
  }

  private val jvmOpens: Seq[String] = {
    // The --add-opens flags of jobs/common.sh (Spark's JavaModuleOptions), from this JVM's own.
    java.lang.management.ManagementFactory.getRuntimeMXBean.getInputArguments.asScala.toSeq
      .filter(a => a.startsWith("--add-opens") || a.startsWith("--add-modules") || a.startsWith("-Dio.netty")
        || a.startsWith("-Djdk.reflect") || a == "-XX:+IgnoreUnrecognizedVMOptions")
  }

  private def json(path: Path): JsonNode = new ObjectMapper().readTree(path.toFile)

  private def relErr(a: Double, b: Double): Double = math.abs(a - b) / math.max(1.0, math.abs(b))

  test("exact Newton and Newton-CG over Spark Connect reach the classic optimum (1e-10) in the same passes; " +
    "the embedded default job and a LIBSVM file give the classic model and test metrics") {
    if (jars("target/connect/server").isEmpty || jars("target/connect/client").isEmpty) {
      System.err.println("\n*** ConnectSuite SKIPPED: no Spark Connect jars in target/connect (the pom's "
        + "connect profile copies them from Maven Central; built with -DskipConnect or offline "
        + "without them in ~/.m2?) ***\n")
      cancel("Spark Connect jars not resolved: target/connect/{server,client} empty")
    }
    val work = Files.createTempDirectory("connect-suite")
    val d = 123
    val rows = TestData.rows(32561, d, 14.0 / d, 41L, weighted = false).map { r =>
      Row(r.label, MlVectors.sparse(d, r.indices, r.values))
    }
    val schema = new StructType().add("label", DoubleType).add("features", SQLDataTypes.VectorType)
    val parquet = work.resolve("data.parquet").toString
    spark.createDataFrame(rows.asJava, schema).repartition(2).write.parquet(parquet)

    val port = freePort()
    val serverDir = work.resolve("server")
    // The server starts (up waits until it listens) while the classic runs train.
    val upLog = work.resolve("up.log")
    val upProcess = new ProcessBuilder("bash", "jobs/connect-server.sh", "up", "--port", port.toString,
      "--master", "local[2]", "--memory", "2g", "--dir", serverDir.toString)
      .directory(root).redirectErrorStream(true).redirectOutput(upLog.toFile).start()
    try {
      val solvers = Seq("exact-newton", "newton-cg")
      def common(solver: String) = Seq(s"data.format=parquet", s"data.path=$parquet", s"solver.name=$solver",
        "solver.tol=1e-10", "model.regParam=1e-5", "spark.partitions=4")
      for (solver <- solvers) {
        val classic = CliRun((Seq("train") ++ common(solver) :+ s"output.dir=${work.resolve(s"classic-$solver")}"): _*)
        assert(classic.code == 0, classic.stderr)
      }
      assert(upProcess.waitFor(180, TimeUnit.SECONDS) && upProcess.exitValue() == 0,
        Files.readString(upLog) + Files.readString(serverDir.resolve("server.log")))
      for (solver <- solvers) {
        val classicOut = work.resolve(s"classic-$solver")
        val connectOut = work.resolve(s"connect-$solver")
        val clientLog = work.resolve(s"client-$solver.log")
        val code = run(240, clientLog, (Seq("java", "-Xmx1g") ++ jvmOpens ++ Seq(
          s"-Dlog4j2.configurationFile=${new File(root, "conf/log4j2.properties")}",
          "-cp", clientClasspath, "dev.sparknewton.cli.Main", "train") ++ common(solver) ++ Seq(
          s"spark.remote=sc://localhost:$port", s"output.dir=$connectOut")): _*)
        val clientOutput = Files.readString(clientLog)
        assert(code == 0, clientOutput)
        assert(clientOutput.contains(s"Spark Connect client of sc://localhost:$port"), clientOutput)
        assert(!clientOutput.contains("Classic mode"), clientOutput)
        val (c, s) = (json(classicOut.resolve("summary.json")), json(connectOut.resolve("summary.json")))
        assert(s.get("n").asLong == 32561 && c.get("n").asLong == 32561)
        // No SparkContext on the client, so no listener counting jobs: a Connect session it was.
        assert(s.get("jobs").asLong == 0 && c.get("jobs").asLong > c.get("passes").asLong, solver)
        assert(relErr(s.get("objective").asDouble, c.get("objective").asDouble) <= 1e-10,
          s"$solver: ${s.get("objective")} over Connect vs ${c.get("objective")} classic")
        assert(s.get("passes").asLong == c.get("passes").asLong && s.get("iterations").asInt == c.get("iterations").asInt,
          s"$solver: ${s.get("passes")} passes over Connect vs ${c.get("passes")} classic")
        assert(s.get("termination").toString == c.get("termination").toString, solver)
        val (cm, sm) = (json(classicOut.resolve("model.json")), json(connectOut.resolve("model.json")))
        val cw = cm.get("coefficients").get(0).elements().asScala.map(_.asDouble).toArray
        val sw = sm.get("coefficients").get(0).elements().asScala.map(_.asDouble).toArray
        assert(cw.length == d && sw.length == d)
        cw.indices.foreach(j => assert(relErr(sw(j), cw(j)) <= 1e-10, s"$solver: w($j) ${sw(j)} vs ${cw(j)}"))
        assert(relErr(sm.get("intercepts").get(0).asDouble, cm.get("intercepts").get(0).asDouble) <= 1e-10)
      }
      // The loaders that used RDDs, now on the Dataset API: the README's default job (the embedded
      // bank data, its csv encoding, a seeded 20% test split) and a LIBSVM file (one split, so
      // the same rows in the same order on both), with their test metrics.
      val libsvm = work.resolve("small.libsvm")
      Files.write(libsvm, rows.take(6000).map { r =>
        val v = r.getAs[org.apache.spark.ml.linalg.SparseVector](1)
        (Seq(if (r.getDouble(0) > 0.5) "+1" else "-1") ++ v.indices.indices.map(k => s"${v.indices(k) + 1}:${v.values(k)}"))
          .mkString(" ")
      }.asJava)
      val jobs = Seq(
        "bank" -> Seq(new File(root, "conf/bank.conf").getPath),
        "libsvm" -> Seq("data.format=libsvm", s"data.path=$libsvm", "data.testFraction=0.25",
          "solver.name=newton-cg", "solver.tol=1e-10", "model.regParam=1e-4"))
      val checkpoints = work.resolve("checkpoints")
      def client(name: String, args: Seq[String]): String = {
        val clientLog = work.resolve(s"client-$name.log")
        val code = run(240, clientLog, (Seq("java", "-Xmx1g") ++ jvmOpens ++ Seq(
          s"-Dlog4j2.configurationFile=${new File(root, "conf/log4j2.properties")}",
          "-cp", clientClasspath, "dev.sparknewton.cli.Main") ++ args ++ Seq(
          s"spark.remote=sc://localhost:$port")): _*)
        val out = Files.readString(clientLog)
        assert(code == 0, out)
        out
      }
      for ((name, args) <- jobs) {
        val classicOut = work.resolve(s"classic-$name")
        val connectOut = work.resolve(s"connect-$name")
        val classic = CliRun((Seq("train") ++ args :+ s"output.dir=$classicOut"): _*)
        assert(classic.code == 0, classic.stderr)
        // The libsvm run also writes checkpoints (the client's file system), resumed below.
        val clientOutput = client(name, (Seq("train") ++ args :+ s"output.dir=$connectOut") ++
          (if (name == "libsvm") Seq(s"checkpoint.dir=$checkpoints") else Seq()))
        val (c, s) = (json(classicOut.resolve("summary.json")), json(connectOut.resolve("summary.json")))
        assert(s.get("jobs").asLong == 0 && c.get("jobs").asLong > 0, name)
        assert(s.get("n").asLong == c.get("n").asLong && s.get("d").asLong == c.get("d").asLong, name)
        assert(relErr(s.get("objective").asDouble, c.get("objective").asDouble) <= 1e-12,
          s"$name: ${s.get("objective")} over Connect vs ${c.get("objective")} classic")
        assert(s.get("passes").asLong == c.get("passes").asLong && s.get("iterations").asInt == c.get("iterations").asInt,
          s"$name: ${s.get("passes")} passes over Connect vs ${c.get("passes")} classic")
        val (ct, st) = (c.get("test"), s.get("test"))
        assert(ct != null && st != null, s"$name: test metrics missing: $clientOutput")
        assert(st.get("rows").asLong == ct.get("rows").asLong && ct.get("rows").asLong > 0, name)
        for (m <- Seq("accuracy", "auc", "logLoss")) {
          assert(relErr(st.get(m).asDouble, ct.get(m).asDouble) <= 1e-12,
            s"$name: test $m ${st.get(m)} over Connect vs ${ct.get(m)} classic")
        }
        val (cm, sm) = (json(classicOut.resolve("model.json")), json(connectOut.resolve("model.json")))
        val cw = cm.get("coefficients").get(0).elements().asScala.map(_.asDouble).toArray
        val sw = sm.get("coefficients").get(0).elements().asScala.map(_.asDouble).toArray
        assert(cw.length == sw.length && cw.length == c.get("d").asInt, name)
        cw.indices.foreach(j => assert(relErr(sw(j), cw(j)) <= 1e-10, s"$name: w($j) ${sw(j)} vs ${cw(j)}"))
      }
      // Checkpoints over Connect: a second run resumes from the newest and ends as the first did.
      assert(Option(checkpoints.toFile.list()).toSeq.flatten.exists(_.matches("checkpoint-\\d{6,}\\.json")))
      val resumedOut = work.resolve("connect-libsvm-resumed")
      val resumed = client("resume", (Seq("train") ++ jobs(1)._2) ++ Seq(s"checkpoint.dir=$checkpoints",
        s"output.dir=$resumedOut"))
      assert(resumed.contains("checkpoint: resuming after iteration"), resumed)
      val (first, again) = (json(work.resolve("connect-libsvm/summary.json")), json(resumedOut.resolve("summary.json")))
      assert(again.get("objective").asDouble == first.get("objective").asDouble)
      // Newton-CG holds its curvature rows (every row) on the driver, collected once per process:
      // the resumed process collects them again, one pass more than the run that never stopped.
      assert(again.get("passes").asLong == first.get("passes").asLong + 1 && again.get("iterations").asInt == first.get("iterations").asInt,
        s"${again.get("passes")} passes resumed, ${first.get("passes")} uninterrupted")
      // The spectrum command over Connect (the Dataset fold) gives the classic eigenvalues.
      val spectrumArgs = Seq("spectrum", "data.format=libsvm", s"data.path=$libsvm", "spectrum.point=initial",
        "spectrum.rank=4", "model.regParam=1e-4")
      val classicSpectrum = CliRun((spectrumArgs :+ s"output.dir=${work.resolve("classic-spectrum")}"): _*)
      assert(classicSpectrum.code == 0, classicSpectrum.stderr)
      client("spectrum", spectrumArgs :+ s"output.dir=${work.resolve("connect-spectrum")}")
      val (ce, se) = (Files.readAllLines(work.resolve("classic-spectrum/spectrum.csv")).asScala,
        Files.readAllLines(work.resolve("connect-spectrum/spectrum.csv")).asScala)
      assert(ce.size == 5 && se.size == 5, se)
      ce.zip(se).drop(1).foreach { case (a, b) =>
        assert(relErr(b.split(",")(1).toDouble, a.split(",")(1).toDouble) <= 1e-9, s"eigenvalue $b over Connect vs $a classic")
      }
    } finally {
      if (upProcess.isAlive) upProcess.destroyForcibly()
      run(60, work.resolve("down.log"), "bash", "jobs/connect-server.sh", "down", "--dir", serverDir.toString)
    }
  }

  test("benchmark with spark.remote is a one-line refusal naming the command and why (no server needed)") {
    val r = CliRun("benchmark", "spark.remote=sc://localhost:1", "output.dir=" +
      Files.createTempDirectory("connect-bench").resolve("out"))
    assert(r.code == 2, r.stderr)
    assert(r.errorLines.size == 1 && r.errorLines.head.contains("benchmark needs classic Spark")
      && r.errorLines.head.contains("spark.remote"), r.stderr)
  }
}
