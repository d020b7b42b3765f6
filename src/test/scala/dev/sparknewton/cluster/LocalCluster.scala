package dev.sparknewton.cluster

import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}
import java.io.{File, FileOutputStream, IOException}
import java.net.{InetAddress, ServerSocket}
import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Path}
import java.util.concurrent.TimeUnit
import java.util.jar.{Attributes, JarEntry, JarOutputStream, Manifest}
import scala.jdk.CollectionConverters._
import scala.jdk.OptionConverters._
import scala.util.Using

/**
 * A Spark standalone cluster on 127.0.0.1 for the integration tests, run by the user's own
 * scripts: `jobs/local-cluster.sh` starts and stops it and `jobs/submit.sh` submits to it, with
 * Spark's SparkSubmit from Maven's classpath (a `spark-submit` on PATH or in SPARK_HOME is hidden
 * from the script, so the Spark under test is the build's). Everything lives under `dir`.
 */
final class LocalCluster(val root: Path, val dir: Path, val port: Int) {
  val master: String = s"spark://127.0.0.1:$port"
  private val runs = dir.resolve("runs")

  /** Runs `jobs/local-cluster.sh ACTION` with this cluster's settings; its output on failure. */
  def script(action: String, options: String*): Process = {
    val cmd = Seq("bash", root.resolve("jobs/local-cluster.sh").toString, action, "--dir", dir.toString) ++ options
    val log = dir.resolve(s"local-cluster-$action.out").toFile
    new ProcessBuilder(cmd: _*).redirectErrorStream(true).redirectOutput(log).start()
  }

  /** Starts the master and `workers` workers; returns the starting script. */
  def up(workers: Int, cores: Int, memory: String): Process =
    script("up", "--port", port.toString, "--webui-port", "0", "--workers", workers.toString,
      "--cores", cores.toString, "--memory", memory)

  def down(): Unit = {
    val p = script("down")
    if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly()
  }

  def scriptOutput(action: String): String =
    Files.readString(dir.resolve(s"local-cluster-$action.out"))

  /** Process ids of the running workers (from the script's pid files). */
  def workerPids: Seq[Long] = {
    val pids = dir.resolve("pids").toFile.listFiles((_, n) => n.startsWith("worker-"))
    Option(pids).toSeq.flatten.map(f => Files.readString(f.toPath).trim.toLong)
  }

  /** The executor JVMs the workers run now. */
  def executorPids: Seq[Long] =
    workerPids.flatMap(w => ProcessHandle.of(w).toScala.toSeq.flatMap(_.children().iterator().asScala))
      .filter(_.info().commandLine().orElse("").contains("CoarseGrainedExecutorBackend"))
      .map(_.pid())

  /**
   * The directories the workers made for the application registered as `appName` (one per
   * worker that ran an executor of it), from the master's log.
   */
  def appDirs(appName: String): Seq[File] = {
    val registered = s"Registered app $appName with ID (app-[0-9-]+)".r.unanchored
    val ids = Files.readAllLines(dir.resolve("logs/master.log")).asScala.collect {
      case registered(id) => id
    }
    dir.toFile.listFiles((_, n) => n.startsWith("work-")).toSeq
      .flatMap(w => ids.map(new File(w, _))).filter(_.isDirectory)
  }

  /** The `stderr` files of the executors of the application registered as `appName`. */
  def executorLogs(appName: String): Seq[File] =
    appDirs(appName).flatMap(_.listFiles().toSeq).map(new File(_, "stderr")).filter(_.isFile)

  /**
   * Starts `jobs/submit.sh ARGS` against this cluster with `appJar`, `--jars extraJars` and the
   * Spark settings `conf` (as a properties file); stdout and stderr go to `runs/<name>.out` and
   * `.err`.
   */
  def submit(name: String, appJar: Path, extraJars: Seq[Path], conf: Map[String, String],
      args: Seq[String]): Submission = {
    Files.createDirectories(runs)
    val properties = runs.resolve(s"$name.properties")
    Files.writeString(properties, conf.map { case (k, v) => s"$k $v" }.mkString("", "\n", "\n"))
    val options = Seq("--jars", extraJars.mkString(","), "--properties-file", properties.toString)
    val pb = new ProcessBuilder(("bash" +: root.resolve("jobs/submit.sh").toString +: args): _*)
    val env = pb.environment()
    env.remove("SPARK_HOME")
    env.put("PATH", env.getOrDefault("PATH", "").split(File.pathSeparator)
      .filterNot(d => new File(d, "spark-submit").canExecute).mkString(File.pathSeparator))
    env.put("SPARK_NEWTON_JAR", appJar.toString)
    env.put("SPARK_NEWTON_MASTER", master)
    env.put("SPARK_NEWTON_DRIVER_MEMORY", "1g")
    env.put("SPARK_SUBMIT_OPTS_EXTRA", options.mkString(" "))
    val out = runs.resolve(s"$name.out")
    val err = runs.resolve(s"$name.err")
    val started = System.nanoTime()
    new Submission(name, pb.redirectOutput(out.toFile).redirectError(err.toFile).start(), out, err, started)
  }
}

/** A running or finished `jobs/submit.sh`. */
final class Submission(val name: String, val process: Process, out: Path, err: Path, started: Long) {
  @volatile private var finishedSeconds = Double.NaN

  def stdout: String = Files.readString(out)
  def stderr: String = Files.readString(err)

  /** Waits for the exit code (at most `timeoutSeconds`, then kills the submission and fails). */
  def await(timeoutSeconds: Long): Int = {
    if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
      stop()
      throw new AssertionError(s"$name did not finish in $timeoutSeconds s; stderr ends:\n${tail(stderr)}")
    }
    if (finishedSeconds.isNaN) finishedSeconds = (System.nanoTime() - started) / 1e9
    process.exitValue()
  }

  def seconds: Double = finishedSeconds

  /** Kills the submission and its driver JVM if they still run. */
  def stop(): Unit = {
    process.descendants().forEach(p => p.destroyForcibly())
    process.destroyForcibly()
  }

  /** Both outputs' last lines, for failure messages. */
  def report: String = s"$name stdout:\n${tail(stdout)}\n$name stderr:\n${tail(stderr)}"

  private def tail(s: String): String = s.linesIterator.toSeq.takeRight(25).mkString("\n")
}

object LocalCluster {
  private val json = new ObjectMapper()

  /** A port on 127.0.0.1 that was free a moment ago, or None when none can be bound. */
  def freePort(): Option[Int] =
    try Using.resource(new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1")))(s => Some(s.getLocalPort))
    catch { case _: IOException => None }

  /**
   * A jar of `classes` (a directory) with `Main-Class` set: the classes the shaded jar holds, as
   * this build compiled them.
   */
  def appJar(classes: Path, target: Path, mainClass: String): Path = {
    val manifest = new Manifest()
    manifest.getMainAttributes.put(Attributes.Name.MANIFEST_VERSION, "1.0")
    manifest.getMainAttributes.put(Attributes.Name.MAIN_CLASS, mainClass)
    Using.resource(new JarOutputStream(new FileOutputStream(target.toFile), manifest)) { jar =>
      Using.resource(Files.walk(classes)) { files =>
        files.iterator().asScala.filter(Files.isRegularFile(_)).toSeq.sortBy(_.toString).foreach { f =>
          jar.putNextEntry(new JarEntry(classes.relativize(f).toString.replace(File.separatorChar, '/')))
          Files.copy(f, jar)
          jar.closeEntry()
        }
      }
    }
    target
  }

  /** Where the class `c` was loaded from (a jar, or a classes directory). */
  def location(c: Class[_]): Path = Path.of(c.getProtectionDomain.getCodeSource.getLocation.toURI)

  def readJson(file: Path): JsonNode = json.readTree(Files.readString(file, StandardCharsets.UTF_8))

  /** A binary or multinomial model.json's coefficients then intercepts, flattened. */
  def modelValues(dir: Path): Array[Double] = {
    val m = readJson(dir.resolve("model.json"))
    (m.get("coefficients").elements().asScala.flatMap(_.elements().asScala) ++
      m.get("intercepts").elements().asScala).map(_.asDouble()).toArray
  }

  /** The largest `|a_i - b_i| / max(1, |b_i|)`. */
  def maxRelativeDifference(a: Array[Double], b: Array[Double]): Double = {
    require(a.length == b.length, s"models of ${a.length} and ${b.length} values")
    a.indices.map(i => math.abs(a(i) - b(i)) / math.max(1.0, math.abs(b(i)))).max
  }
}
