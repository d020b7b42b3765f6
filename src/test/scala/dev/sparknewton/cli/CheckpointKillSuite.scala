package dev.sparknewton.cli

import dev.sparknewton.SharedSpark
import java.io.File
import java.lang.management.ManagementFactory
import java.nio.file.{Files, Path, Paths}
import java.util.concurrent.TimeUnit
import java.util.jar.JarFile
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._

/**
 * The real thing: `train` in a child JVM (the classpath of this test JVM, the `--add-opens` flags
 * of pom.xml's `spark.jvm.opens` as Surefire passed them), killed with SIGKILL
 * (`Process.destroyForcibly`) once its checkpoint of iteration 3 is on disk, then run again with
 * the same command: it resumes, and its model.json equals an uninterrupted run's byte for byte,
 * its iterations.jsonl and summary.json too except for seconds and bytes (see
 * [[CheckpointCommandSuite]]).
 */
class CheckpointKillSuite extends AnyFunSuite with SharedSpark {
  private val commands = new CheckpointCommandSuite

  /** This JVM's classpath, with Surefire's manifest-only jar expanded. */
  private def classpath: String = {
    val entries = System.getProperty("java.class.path").split(File.pathSeparator).toSeq.flatMap { e =>
      val manifest = if (e.endsWith(".jar") && new File(e).isFile) {
        val jar = new JarFile(e)
        try Option(jar.getManifest).flatMap(m => Option(m.getMainAttributes.getValue("Class-Path")))
        finally jar.close()
      } else None
      manifest match {
        case Some(cp) if cp.trim.nonEmpty =>
          cp.trim.split("\\s+").toSeq.map(u => Paths.get(new File(e).toURI.resolve(u)).toString)
        case _ => Seq(e)
      }
    }
    entries.mkString(File.pathSeparator)
  }

  /** The JVM flags Spark needs on Java 17, as this JVM got them from pom.xml. */
  private def jvmFlags: Seq[String] =
    ManagementFactory.getRuntimeMXBean.getInputArguments.asScala.toSeq.filter(a =>
      a.startsWith("--add-opens") || a.startsWith("--add-modules")
        || a == "-XX:+IgnoreUnrecognizedVMOptions" || a.startsWith("-Djdk.reflect")
        || a.startsWith("-Dio.netty"))

  private def child(args: Seq[String], log: Path): Process = {
    val java = Paths.get(System.getProperty("java.home"), "bin", "java").toString
    val command = Seq(java, "-Xmx1g") ++ jvmFlags ++ Seq("-Dspark.ui.enabled=false",
      "-Dspark.driver.host=127.0.0.1", "-Dspark.driver.bindAddress=127.0.0.1",
      s"-Dlog4j2.configurationFile=${Paths.get("conf", "log4j2.properties").toAbsolutePath}",
      "-cp", classpath, "dev.sparknewton.cli.Main") ++ args
    new ProcessBuilder(command.asJava).redirectErrorStream(true).redirectOutput(log.toFile).start()
  }

  test("train killed with SIGKILL after its checkpoint of iteration 3 resumes when run again and ends with the uninterrupted run's model, byte for byte") {
    val dir = Files.createTempDirectory("checkpoint-kill")
    val children = scala.collection.mutable.ArrayBuffer[Process]()
    try {
      val data = dir.resolve("train.libsvm")
      commands.writeLibsvm(data, 3000, 20, 9L)
      val ck = dir.resolve("ck")
      val base = Seq("train", "data.format=libsvm", s"data.path=$data", "spark.partitions=3",
        "solver.name=newton-cg", "solver.preconditioner=nystrom", "solver.rank=3",
        "solver.driverCurvatureMb=0", "solver.maxIter=12", "solver.tol=1e-14", "model.regParam=1e-5")
      spark
      val uninterrupted = CliRun(base :+ s"output.dir=${dir.resolve("a")}": _*)
      assert(uninterrupted.code == 0, uninterrupted.stderr)
      val iterations = commands.records(dir.resolve("a")).size - 1
      assert(iterations >= 6, s"the run must go on well after iteration 3: $iterations iterations")

      val args = base ++ Seq("spark.master=local[2]", s"checkpoint.dir=$ck",
        s"output.dir=${dir.resolve("b")}")
      val killedLog = dir.resolve("killed.log")
      val killed = child(args, killedLog)
      children += killed
      val third = ck.resolve("checkpoint-000003.json")
      val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(600)
      while (!Files.exists(third) && killed.isAlive && System.nanoTime() < deadline) Thread.sleep(5)
      assert(Files.exists(third), s"no checkpoint 3 appeared:\n${Files.readString(killedLog)}")
      killed.destroyForcibly()
      assert(killed.waitFor(60, TimeUnit.SECONDS))
      assert(killed.exitValue() == 137, "killed by SIGKILL")
      assert(!Files.exists(dir.resolve("b")), "the killed run wrote no output")

      val resumedLog = dir.resolve("resumed.log")
      val resumed = child(args, resumedLog)
      children += resumed
      // Generous: the machines that run the tests are shared (about 20 s when idle).
      assert(resumed.waitFor(600, TimeUnit.SECONDS), "the rerun finishes")
      val out = Files.readString(resumedLog)
      assert(resumed.exitValue() == 0, out)
      val note = out.linesIterator.filter(_.startsWith("checkpoint: resuming after iteration ")).toList
      assert(note.size == 1, out)
      val from = note.head.stripPrefix("checkpoint: resuming after iteration ").takeWhile(_.isDigit).toInt
      assert(from >= 3 && from < iterations, s"resumed after iteration $from of $iterations")
      assert(Files.readAllBytes(dir.resolve("b").resolve("model.json")).sameElements(
        Files.readAllBytes(dir.resolve("a").resolve("model.json"))), "model.json")
      assert(commands.records(dir.resolve("b")) == commands.records(dir.resolve("a")))
      assert(commands.summary(dir.resolve("b")) == commands.summary(dir.resolve("a")))
    } finally {
      children.foreach(_.destroyForcibly())
      children.foreach(_.waitFor(60, TimeUnit.SECONDS))
      Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p => p.toFile.delete())
    }
  }
}
