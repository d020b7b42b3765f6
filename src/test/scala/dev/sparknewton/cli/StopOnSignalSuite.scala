package dev.sparknewton.cli

import java.io.{BufferedReader, InputStreamReader}
import java.lang.management.ManagementFactory
import java.nio.file.Files
import java.util.concurrent.{CopyOnWriteArrayList, TimeUnit}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._

/** SIGTERM in the middle of a fit: one line on stderr, exit 143, nothing written. */
class StopOnSignalSuite extends AnyFunSuite {

  /** Collects the lines of a stream on a thread of its own. */
  private def collect(in: java.io.InputStream, into: CopyOnWriteArrayList[String]): Thread = {
    val t = new Thread(() => {
      val r = new BufferedReader(new InputStreamReader(in, "UTF-8"))
      Iterator.continually(r.readLine()).takeWhile(_ != null).foreach(into.add)
    })
    t.setDaemon(true)
    t.start()
    t
  }

  test("SIGTERM while the solver runs stops the job with one line and exit 143") {
    val javaCommand = ProcessHandle.current().info().command().orElse("java")
    // The test JVM's module flags (Surefire's argLine), which Spark needs on Java 17.
    val flags = ManagementFactory.getRuntimeMXBean.getInputArguments.asScala.filter(a =>
      a.startsWith("--add-opens") || a.startsWith("--add-modules") || a.startsWith("-Djdk.reflect")
        || a.startsWith("-Dio.netty") || a == "-XX:+IgnoreUnrecognizedVMOptions")
    val out = Files.createTempDirectory("stop-on-signal")
    // A small data set, so that the JVM, Spark and the load take most of the time before the signal.
    val rnd = new scala.util.Random(4)
    val data = out.resolve("train.txt")
    Files.writeString(data, (0 until 500).map { _ =>
      val x = rnd.nextGaussian()
      s"${if (x + rnd.nextGaussian() > 0) "+1" else "-1"} 1:$x 2:${rnd.nextGaussian()}"
    }.mkString("", "\n", "\n"))
    val log4j = new java.io.File(System.getProperty("user.dir"), "conf/log4j2.properties")
    val command = Seq(javaCommand) ++ flags ++ Seq("-Xmx1g", "-cp", System.getProperty("java.class.path"),
      s"-Dlog4j2.configurationFile=${log4j.getPath}", "dev.sparknewton.cli.Main", "train",
      "spark.master=local[2]", "data.format=libsvm", s"data.path=$data", "solver.name=gradient-descent", "solver.maxIter=1000000",
      "solver.tol=0", s"output.dir=${out.resolve("run")}")
    val process = new ProcessBuilder(command.asJava).start()
    val stdout = new CopyOnWriteArrayList[String]()
    val stderr = new CopyOnWriteArrayList[String]()
    val readers = Seq(collect(process.getInputStream, stdout), collect(process.getErrorStream, stderr))
    try {
      val deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120)
      while (!stdout.asScala.exists(_.startsWith("iter   2")) && process.isAlive && System.nanoTime() < deadline) {
        Thread.sleep(50)
      }
      assert(process.isAlive, s"the job ended before the signal: ${stdout.asScala.mkString("\n")}\n${stderr.asScala.mkString("\n")}")
      val before = stderr.size()
      // SIGTERM through the process handle: Process.destroy() would also close our ends of the
      // child's pipes, losing what it prints while it stops.
      assert(process.toHandle().destroy())
      assert(process.waitFor(30, TimeUnit.SECONDS), "the job did not stop within 30 s of SIGTERM")
      readers.foreach(_.join(5000))
      val after = stderr.asScala.drop(before).toList
      assert(process.exitValue() == 143)
      assert(after == List("stopped: the JVM was asked to exit (SIGTERM or Ctrl-C) before the run " +
        "finished; nothing was written"), stderr.asScala.mkString("\n"))
      assert(Files.list(out).count() == 1, "nothing written beside the data")
    } finally {
      process.destroyForcibly()
      Files.walk(out).sorted(java.util.Comparator.reverseOrder()).forEach(p => p.toFile.delete())
    }
  }
}
