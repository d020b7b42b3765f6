package dev.sparknewton.cluster

import com.typesafe.config.Config
import dev.sparknewton.SharedSpark
import dev.sparknewton.cli.{CliRun, Main}
import java.io.File
import java.nio.file.{Files, Path}
import java.util.Comparator
import java.util.concurrent.TimeUnit
import org.scalatest.funsuite.AnyFunSuite
import scala.concurrent.duration._
import scala.concurrent.{Await, ExecutionContext, Future}

/**
 * Integration tests on a real Spark standalone cluster on 127.0.0.1 (a master and two workers of
 * one core, started by `jobs/local-cluster.sh`; every submission by `jobs/submit.sh`): the driver
 * and two executors are separate JVMs, so tasks, broadcasts and partial sums are serialized as on
 * any cluster. The data are a9a-sized (32,561 x 123, 14 binary nonzeros a row, generated in four
 * files, so four partitions) and the job is exact Newton (one fused gradient-and-Hessian pass an
 * iteration, 124 x 124 partial Hessians sent back by each task).
 *
 * The application jar: `mvn -B test` runs before `package`, so the shaded jar does not exist yet
 * (or is an older build's). The suite packs `target/classes` (the classes the shaded jar holds,
 * as this build compiled them) into a jar with the same Main-Class and ships the one library the
 * shaded jar adds, Typesafe Config, with `--jars`; the only difference is that Typesafe Config is
 * not relocated, which matters only if a cluster ships another version (Spark does not).
 *
 * The faults come from the test-only `distributed/TaskFaultInjection` (Spark configuration
 * `spark.sparknewton.test.fault*`): `fail` throws in the first attempt of one task of pass k;
 * `hold` stops that task so the test can SIGKILL its executor JVM while it runs.
 *
 * The three submissions (fault-free, executor killed, task failed) run at the same time, each with
 * two executors of one core (the workers have three cores each), and the local[2] run in this JVM
 * meanwhile; the tests then check each one's outcome.
 *
 * Canceled, with the reason, only where this machine cannot run a cluster: no bash, no free TCP
 * port on 127.0.0.1, or run outside Maven (no `target/spark-classpath.txt`).
 */
class LocalClusterSuite extends AnyFunSuite with SharedSpark {
  private val classes: Path = LocalCluster.location(classOf[Main])
  private val root: Path = classes.getParent.getParent
  private val dir: Path = root.resolve("target/it-cluster")
  /** Generous: on a loaded 2-core machine one submission has taken 4 minutes. */
  private val submitTimeoutSeconds = 600L

  private var unavailable: Option[String] = None
  private var cluster: LocalCluster = _
  private var clusterStart: Process = _
  private var appJar: Path = _
  private var extraJars: Seq[Path] = Nil
  private var data: Path = _
  private var reference: Submission = _
  private var killed: Submission = _
  private var failed: Submission = _
  /** The executor that the kill watcher SIGKILLed, or why it did not. */
  private var killedExecutor: Future[Either[String, Long]] = _
  private val killPass = 3
  private val failPass = 4

  /**
   * Every run trains this configuration; only the master, the output directory and the application
   * name (by which the master's log names the run's executors) differ.
   */
  private def trainArgs(name: String): Seq[String] = Seq(
    "data.format=libsvm", s"data.path=$data", "data.numFeatures=123", "solver.name=exact-newton",
    "model.regParam=1e-5", "solver.tol=1e-12", s"output.dir=${output(name)}", s"spark.appName=it-$name")

  override def beforeAll(): Unit = {
    super.beforeAll()
    unavailable = prerequisites()
    if (unavailable.isEmpty) {
      // A cluster left by an interrupted earlier run is stopped before its directory goes.
      if (Files.isDirectory(dir.resolve("pids"))) new LocalCluster(root, dir, 0).down()
      deleteRecursively(dir)
      Files.createDirectories(dir)
      cluster = new LocalCluster(root, dir, LocalCluster.freePort().get)
      clusterStart = cluster.up(workers = 2, cores = 3, memory = "3g")
      // While the cluster starts: the data (in-process, on the shared local session) and the jar.
      data = generate()
      appJar = LocalCluster.appJar(classes, dir.resolve("spark-newton-classes.jar"), classOf[Main].getName)
      extraJars = Seq(LocalCluster.location(classOf[Config]))
      clusterStart.waitFor(180, TimeUnit.SECONDS)
      if (!clusterStart.isAlive && clusterStart.exitValue() == 0) {
        reference = submit("reference")
        killed = submit("kill", fault("hold", killPass, partition = 1) +
          ("spark.sparknewton.test.fault.marker" -> marker.toString))
        killedExecutor = Future(killOnMarker(killed))(ExecutionContext.global)
        failed = submit("fail", fault("fail", failPass, partition = 2))
      }
    }
  }

  private def fault(mode: String, pass: Int, partition: Int): Map[String, String] = Map(
    "spark.sparknewton.test.fault" -> mode, "spark.sparknewton.test.fault.pass" -> pass.toString,
    "spark.sparknewton.test.fault.partition" -> partition.toString)

  private def marker: Path = dir.resolve("runs").resolve("kill.marker")

  /**
   * Waits until the held task of `run` has written its executor's pid, checks that the pid is an
   * executor JVM of this cluster, and kills it with SIGKILL.
   */
  private def killOnMarker(run: Submission): Either[String, Long] = {
    val deadline = System.nanoTime() + submitTimeoutSeconds * 1000000000L
    while (!Files.exists(marker) && run.process.isAlive && System.nanoTime() < deadline) Thread.sleep(50)
    if (!Files.exists(marker) && run.process.isAlive) return Left(s"no task of pass $killPass held after $submitTimeoutSeconds s")
    if (!Files.exists(marker)) return Left(s"no task of pass $killPass was held\n${run.report}")
    val pid = Files.readString(marker).trim.toLong
    val executors = cluster.executorPids
    if (!executors.contains(pid)) return Left(s"$pid is not an executor JVM of the cluster ($executors)")
    val kill = new ProcessBuilder("kill", "-KILL", pid.toString).start()
    if (kill.waitFor() != 0) Left(s"kill -KILL $pid failed") else Right(pid)
  }

  override def afterAll(): Unit = {
    try {
      Seq(reference, killed, failed).filter(_ != null).foreach(_.stop())
      if (cluster != null) cluster.down()
    } finally super.afterAll()
  }

  private def prerequisites(): Option[String] = {
    def onPath(cmd: String) = sys.env.getOrElse("PATH", "").split(File.pathSeparator)
      .exists(d => new File(d, cmd).canExecute)
    if (!onPath("bash")) Some("no bash on PATH to run jobs/local-cluster.sh")
    else if (!Files.isRegularFile(root.resolve("target/spark-classpath.txt")))
      Some("target/spark-classpath.txt is missing: run the suite through Maven (mvn -B test writes it)")
    else if (LocalCluster.freePort().isEmpty) Some("no free TCP port on 127.0.0.1 for a Spark master")
    else None
  }

  /** Cancels the test when the machine cannot run a cluster; fails it when the cluster did not start. */
  private def requireCluster(): Unit = {
    assume(unavailable.isEmpty, unavailable.getOrElse(""))
    assert(!clusterStart.isAlive && clusterStart.exitValue() == 0,
      s"jobs/local-cluster.sh up failed:\n${cluster.scriptOutput("up")}")
  }

  private def generate(): Path = {
    spark // the shared session exists before Main asks for one
    val out = dir.resolve("a9a-size")
    val g = CliRun("generate", "generate.rows=32561", "generate.features=123", "generate.nnzPerRow=14",
      "generate.values=binary", "generate.powerLaw=1.0", "generate.signal=2", "generate.seed=7",
      "generate.chunkRows=8192", s"output.dir=$out")
    assert(g.code == 0, g.stderr)
    out.resolve("data")
  }

  /**
   * Two executors of one core and 768 MB for every application (three fit the two workers), and
   * no job before both have registered: else the first one up could run every task and cache
   * every block, and the other never run a task.
   */
  private def submit(name: String, conf: Map[String, String] = Map.empty): Submission =
    cluster.submit(name, appJar, extraJars, conf ++ Map("spark.executor.cores" -> "1",
      "spark.cores.max" -> "2", "spark.executor.memory" -> "768m",
      "spark.executor.extraJavaOptions" -> "-XX:+UseSerialGC",
      "spark.scheduler.minRegisteredResourcesRatio" -> "1.0",
      "spark.scheduler.maxRegisteredResourcesWaitingTime" -> "300s"), trainArgs(name))

  private def output(name: String): Path = dir.resolve("runs").resolve(name)

  /** The fault-free run, which the others are compared with. */
  private def referenceModel(): Array[Double] = {
    assert(reference.await(submitTimeoutSeconds) == 0, reference.report)
    LocalCluster.modelValues(output("reference"))
  }

  private def summary(name: String) = LocalCluster.readJson(output(name).resolve("summary.json"))

  private def faults(name: String): (Long, Long, Long) = {
    val s = summary(name)
    (s.get("failedTasks").asLong(), s.get("retriedTasks").asLong(), s.get("executorsRemoved").asLong())
  }

  test("spark-submit to the local cluster trains what local[2] trains, to 1e-12, with tasks on both executors") {
    requireCluster()
    val local = CliRun(("train" +: trainArgs("local") :+ "spark.master=local[2]"): _*)
    assert(local.code == 0, local.stderr)
    val onCluster = referenceModel()
    val inProcess = LocalCluster.modelValues(output("local"))
    assert(LocalCluster.maxRelativeDifference(onCluster, inProcess) <= 1e-12)
    assert(summary("reference").get("termination").asText().startsWith("CONVERGED"), reference.report)
    assert(summary("reference").get("passes").asLong() > math.max(killPass, failPass),
      "too few passes for the fault tests' pass numbers")
    assert(faults("reference") == ((0L, 0L, 0L)))
    // Both workers ran an executor of this application, and both executors ran tasks.
    val apps = cluster.appDirs("it-reference")
    assert(apps.size == 2, apps)
    apps.foreach { app =>
      val stderr = app.listFiles().toSeq.map(e => new File(e, "stderr")).filter(_.isFile)
      assert(stderr.exists(f => Files.readString(f.toPath).contains("Finished task")), app)
    }
  }

  test("an executor JVM killed (SIGKILL) in the middle of a pass: the run finishes with the same model, and the summary counts the retry") {
    requireCluster()
    val pid = Await.result(killedExecutor, (submitTimeoutSeconds + 10).seconds)
    assert(pid.isRight, pid.left.getOrElse(""))
    assert(killed.await(submitTimeoutSeconds) == 0, killed.report)
    assert(ProcessHandle.of(pid.toOption.get).isEmpty || !ProcessHandle.of(pid.toOption.get).get.isAlive)
    assert(LocalCluster.maxRelativeDifference(LocalCluster.modelValues(output("kill")), referenceModel()) <= 1e-12)
    assert(faults("kill") == ((1L, 1L, 1L)), summary("kill"))
    assert(killed.stdout.contains("recovered from faults: 1 failed task, 1 retried, 1 executor removed"), killed.report)
  }

  test(s"a task that fails on its first attempt in pass $failPass: the result is bit-identical, and the summary counts the retry") {
    requireCluster()
    assert(failed.await(submitTimeoutSeconds) == 0, failed.report)
    val bits = (a: Array[Double]) => a.map(java.lang.Double.doubleToRawLongBits).toSeq
    assert(bits(LocalCluster.modelValues(output("fail"))) == bits(referenceModel()))
    assert(summary("fail").get("objective").asDouble() == summary("reference").get("objective").asDouble())
    assert(faults("fail") == ((1L, 1L, 0L)), summary("fail"))
    // The exception was thrown in an executor JVM of the cluster.
    assert(cluster.executorLogs("it-fail").exists(f => Files.readString(f.toPath)
      .contains("test fault injection (spark.sparknewton.test.fault = fail)")))
  }

  private def deleteRecursively(p: Path): Unit =
    if (Files.exists(p)) {
      val paths = Files.walk(p)
      try paths.sorted(Comparator.reverseOrder[Path]()).forEach(f => Files.delete(f))
      finally paths.close()
    }
}
