package dev.sparknewton.cli

import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.databind.node.ObjectNode
import dev.sparknewton.{SharedSpark, TestData}
import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Path}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._

/**
 * `train` with `checkpoint.dir`, in-process: a rerun resumes from the newest readable checkpoint
 * and writes the outputs of the run that was never stopped (model.json byte for byte, the
 * iteration records and summary except seconds and bytes: the size of a serialized task result
 * varies by a few bytes from run to run, uninterrupted runs included, as it carries task
 * metrics); a checkpoint of other settings is refused in one line (exit 2);
 * `checkpoint.resume = false` starts over.
 */
class CheckpointCommandSuite extends AnyFunSuite with SharedSpark {
  private val json = new ObjectMapper()

  /** Writes a seeded binary libsvm problem (labels -1/+1) to `file`. */
  private[cli] def writeLibsvm(file: Path, n: Int, d: Int, seed: Long): Unit = {
    val lines = TestData.rows(n, d, density = 0.5, seed = seed, weighted = false).map { r =>
      ((if (r.label > 0.5) "+1" else "-1") +: r.indices.indices.map(k => s"${r.indices(k) + 1}:${r.values(k)}"))
        .mkString(" ")
    }
    Files.write(file, lines.mkString("", "\n", "\n").getBytes(StandardCharsets.UTF_8))
  }

  private def withTempDir(body: Path => Unit): Unit = {
    val dir = Files.createTempDirectory("checkpoint-command")
    try body(dir)
    finally Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p => p.toFile.delete())
  }

  private def run(args: Seq[String]): CliRun.Result = {
    spark // the shared session exists before Main asks for one
    CliRun(args: _*)
  }

  private def checkpoints(dir: Path): Seq[String] =
    Files.list(dir).iterator().asScala.map(_.getFileName.toString)
      .filter(_.matches("checkpoint-\\d+\\.json")).toSeq.sorted

  test("a rerun resumes from the newest readable checkpoint and writes the uninterrupted run's outputs") {
    withTempDir { dir =>
      val data = dir.resolve("train.libsvm")
      writeLibsvm(data, 800, 10, 5L)
      val ck = dir.resolve("ck")
      val base = Seq("train", "data.format=libsvm", s"data.path=$data", "spark.partitions=3",
        "solver.name=newton-cg", "solver.preconditioner=nystrom", "solver.rank=3",
        "solver.hessianSampleFraction=0.5", "solver.maxIter=8", "solver.tol=1e-14",
        "model.regParam=1e-4")
      val uninterrupted = run(base :+ s"output.dir=${dir.resolve("a")}")
      assert(uninterrupted.code == 0, uninterrupted.stderr)
      val withCheckpoints = base ++ Seq(s"checkpoint.dir=$ck", "checkpoint.interval=3")
      val first = run(withCheckpoints :+ s"output.dir=${dir.resolve("b")}")
      assert(first.code == 0, first.stderr)
      assert(first.stdout.linesIterator.count(_.startsWith("checkpoint: none in ")) == 1)
      assert(checkpoints(ck) == Seq("checkpoint-000003.json", "checkpoint-000006.json"))
      // The newest is lost (say, cut short on an object store): the rerun goes back to iteration 3.
      Files.write(ck.resolve("checkpoint-000006.json"), "{\"format\":".getBytes(StandardCharsets.UTF_8))
      Files.deleteIfExists(ck.resolve(".checkpoint-000006.json.crc"))
      val resumed = run(withCheckpoints :+ s"output.dir=${dir.resolve("c")}")
      assert(resumed.code == 0, resumed.stderr)
      val notes = resumed.stdout.linesIterator.filter(_.startsWith("checkpoint: ")).toList
      assert(notes.size == 2 && notes(0).contains("skipping") && notes(0).contains("checkpoint-000006.json")
        && notes(1).startsWith("checkpoint: resuming after iteration 3 from "), notes)
      val progress = resumed.stdout.linesIterator.filter(_.startsWith("iter ")).toList
      assert(progress.head.startsWith("iter   4 "), "iterations 0..3 are not run again")
      for (out <- Seq("b", "c")) {
        assert(Files.readAllBytes(dir.resolve(out).resolve("model.json")).sameElements(
          Files.readAllBytes(dir.resolve("a").resolve("model.json"))), s"$out/model.json")
        assert(records(dir.resolve(out)) == records(dir.resolve("a")), s"$out/iterations.jsonl")
        assert(summary(dir.resolve(out)) == summary(dir.resolve("a")), s"$out/summary.json")
      }
      assert(records(dir.resolve("a")).size == 9)

      // Another maxIter is another run: refused in one line, nothing trained.
      val other = run(withCheckpoints ++ Seq("solver.maxIter=9", s"output.dir=${dir.resolve("d")}"))
      assert(other.code == 2)
      assert(other.errorLines.size == 1 && other.errorLines.head.contains(
        "is of another run: solver.maxIter = '8' there, '9' here; use another checkpoint.dir, "
          + "or checkpoint.resume = false to start over"), other.stderr)
      assert(!Files.exists(dir.resolve("d")))
      // checkpoint.resume = false starts over and ends where the others did.
      val over = run(withCheckpoints ++ Seq("checkpoint.resume=false", s"output.dir=${dir.resolve("e")}"))
      assert(over.code == 0, over.stderr)
      assert(over.stdout.contains("checkpoint: checkpoint.resume = false, removed 2 checkpoint(s)"))
      assert(over.stdout.linesIterator.count(_.startsWith("iter ")) == 9)
      assert(Files.readAllBytes(dir.resolve("e").resolve("model.json")).sameElements(
        Files.readAllBytes(dir.resolve("a").resolve("model.json"))))
    }
  }

  test("spark.fold = driver: a resumed run ends at the uninterrupted model and records, one pass more for the re-collected curvature rows") {
    withTempDir { dir =>
      val data = dir.resolve("train.libsvm")
      writeLibsvm(data, 800, 10, 6L)
      val ck = dir.resolve("ck")
      val base = Seq("train", "data.format=libsvm", s"data.path=$data", "spark.partitions=3",
        "spark.fold=driver", "solver.name=newton-cg", "solver.maxIter=8", "solver.tol=1e-14",
        "model.regParam=1e-4")
      val uninterrupted = run(base :+ s"output.dir=${dir.resolve("a")}")
      assert(uninterrupted.code == 0, uninterrupted.stderr)
      // The RDD fold's two setup jobs (repartitioning and caching the rows) and the collect.
      assert(uninterrupted.stdout.contains("10 passes (3 Spark jobs)"), uninterrupted.stdout)
      val withCheckpoints = base ++ Seq(s"checkpoint.dir=$ck", "checkpoint.interval=3")
      assert(run(withCheckpoints :+ s"output.dir=${dir.resolve("b")}").code == 0)
      Files.delete(ck.resolve("checkpoint-000006.json"))
      Files.deleteIfExists(ck.resolve(".checkpoint-000006.json.crc"))
      val resumed = run(withCheckpoints :+ s"output.dir=${dir.resolve("c")}")
      assert(resumed.code == 0, resumed.stderr)
      assert(resumed.stdout.linesIterator.exists(_.startsWith("checkpoint: resuming after iteration 3 from ")))
      for (out <- Seq("b", "c")) {
        assert(Files.readAllBytes(dir.resolve(out).resolve("model.json")).sameElements(
          Files.readAllBytes(dir.resolve("a").resolve("model.json"))), s"$out/model.json")
      }
      assert(records(dir.resolve("b")) == records(dir.resolve("a")))
      // Newton-CG's curvature rows (every row) are not in the checkpoint: the resumed process
      // collects them again, one pass more from its first iteration on (docs/checkpoint.md).
      val (a, c) = (records(dir.resolve("a")), records(dir.resolve("c")))
      assert(a.size == 9 && c.size == 9)
      for (i <- a.indices) {
        val extra = if (i >= 4) 1 else 0
        assert(c(i).get("passes").asLong() == a(i).get("passes").asLong() + extra, s"iteration $i")
        c(i).remove("passes")
        a(i).remove("passes")
        assert(c(i) == a(i), s"iteration $i")
      }
    }
  }

  test("bad checkpoint keys are one-line errors before Spark starts") {
    val r = run(Seq("train", "checkpoint.interval=0", "checkpoint.dir=/tmp/x"))
    assert(r.code == 2 && r.errorLines == List("error: checkpoint.interval must be >= 1, got 0"))
    val typo = run(Seq("train", "checkpoint.dri=/tmp/x"))
    assert(typo.code == 2 && typo.errorLines.head.contains("unknown configuration key 'checkpoint.dri'"))
  }

  /** The lines of iterations.jsonl without their seconds and bytes. */
  private[cli] def records(out: Path): Seq[ObjectNode] =
    Files.readAllLines(out.resolve("iterations.jsonl")).asScala.toSeq.map { line =>
      val node = json.readTree(line).asInstanceOf[ObjectNode]
      node.remove("seconds")
      node.remove("bytesToDriver")
      node
    }

  /** summary.json without its wall seconds and bytes. */
  private[cli] def summary(out: Path): ObjectNode = {
    val node = json.readTree(out.resolve("summary.json").toFile).asInstanceOf[ObjectNode]
    node.remove("wallSeconds")
    node.remove("bytesSent")
    node
  }
}
