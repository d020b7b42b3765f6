package dev.sparknewton.cli

import java.io.{ByteArrayOutputStream, PrintStream}
import java.nio.charset.StandardCharsets
import scala.jdk.CollectionConverters._

/** Runs `Main.run` in-process with stdout and stderr captured (the shared session is reused). */
object CliRun {
  final case class Result(code: Int, stdout: String, stderr: String) {
    /** The lines of stderr that report an error. */
    def errorLines: List[String] = stderr.linesIterator.filter(_.startsWith("error:")).toList
  }

  def apply(args: String*): Result = synchronized {
    val out = new ByteArrayOutputStream()
    val err = new ByteArrayOutputStream()
    val (oldOut, oldErr) = (System.out, System.err)
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8))
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8))
    val code = try Main.run(args.toList.asJava) finally {
      System.setOut(oldOut)
      System.setErr(oldErr)
    }
    Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8))
  }
}
