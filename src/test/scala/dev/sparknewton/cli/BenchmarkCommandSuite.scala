package dev.sparknewton.cli

import dev.sparknewton.SharedSpark
import dev.sparknewton.data.DataFiles
import java.io.File
import java.nio.file.Files
import org.scalatest.funsuite.AnyFunSuite
import scala.util.Random

/**
 * The benchmark command end to end on a small generated problem: every method reaches the target
 * against the same f*, the table has one row per entry, and the job counts are those of the runs
 * (no timing is asserted).
 */
class BenchmarkCommandSuite extends AnyFunSuite with SharedSpark {

  private def lines(n: Int, d: Int, seed: Long): Seq[String] = {
    val rnd = new Random(seed)
    val truth = Array.fill(d)(rnd.nextGaussian())
    (0 until n).map { _ =>
      val x = Array.fill(d)(rnd.nextGaussian())
      val m = x.indices.map(j => x(j) * truth(j)).sum
      val y = if (rnd.nextDouble() < 1 / (1 + math.exp(-m))) "+1" else "-1"
      (y +: x.indices.map(j => s"${j + 1}:${x(j)}")).mkString(" ")
    }
  }

  /** The benchmark on 400 generated rows of 8 features, written to `dir/bench`. */
  private def benchmark(dir: File, seed: Long, settings: String*): CliRun.Result = {
    val data = DataFiles.write(dir, "train.libsvm", lines(400, 8, seed))
    spark
    CliRun(Seq("benchmark", "data.format=libsvm", s"data.path=${data.getPath}", "data.numFeatures=8",
      "model.regParam=1e-3", "model.fitIntercept=false", "spark.partitions=2", "benchmark.repeats=1",
      s"output.dir=${new File(dir, "bench").getPath}") ++ settings: _*)
  }

  test("benchmark: our solvers and MLlib L-BFGS reach the same f*, one table row per entry") {
    DataFiles.withTempDir { dir =>
      val out = new File(dir, "bench")
      val r = benchmark(dir, 5L,
        "benchmark.solvers=[exact-newton, \"newton-cg preconditioner=nystrom\", lrsfn, tron-distributed]")
      assert(r.code == 0, r.stderr)
      val table = Files.readString(new File(out, "benchmark.md").toPath)
      val rows = table.linesIterator.filter(_.startsWith("| ")).drop(1).toList
      assert(rows.map(_.split('|')(1).trim) ==
        List("exact-newton", "newton-cg preconditioner=nystrom", "lrsfn", "tron-distributed", "mllib-lbfgs"))
      assert(r.stdout.contains("tron-distributed: solver.name = trust-region"), r.stdout)
      val jobs = rows.map(_.split('|')(2).trim.toLong)
      assert(jobs.forall(_ > 0))
      assert(jobs.head < jobs.last, "exact Newton needs fewer jobs than L-BFGS on a well-posed problem")
      assert(!r.stdout.contains("NOT REACHED"), r.stdout)
    }
  }

  test("a solver of ours that misses the target: exit 4 naming it, the table still written") {
    DataFiles.withTempDir { dir =>
      val out = new File(dir, "bench")
      val r = benchmark(dir, 6L, "benchmark.mllib=false", "benchmark.solvers=[exact-newton, \"newton-cg maxIter=1\"]")
      assert(r.code == 4, r.stderr)
      assert(r.errorLines.size == 1 && r.errorLines.head.contains("newton-cg maxIter=1 did not reach"), r.stderr)
      assert(!r.errorLines.head.contains("exact-newton"))
      val table = Files.readString(new File(out, "benchmark.md").toPath)
      assert(table.contains("| newton-cg maxIter=1 (target not reached) |"), table)
    }
  }

  test("benchmark.knownMinimum below every run is f*: every method misses the target against it") {
    DataFiles.withTempDir { dir =>
      val out = new File(dir, "bench")
      // The optimum of this problem is about 0.5; 0.01 is below anything a run can reach.
      val r = benchmark(dir, 6L, "benchmark.mllib=false", "benchmark.solvers=[exact-newton]",
        "benchmark.knownMinimum=0.01")
      assert(r.code == 4, r.stderr)
      assert(r.stdout.contains("known minimum (benchmark.knownMinimum): 1.000000000000000e-02"), r.stdout)
      val table = Files.readString(new File(out, "benchmark.md").toPath)
      assert(table.contains("f* = 1.000000000000e-02"), table)
      assert(table.contains("| exact-newton (target not reached) |"), table)
      assert(!table.contains("Warning: no run converged"), table)
    }
  }

  test("benchmark.knownMinimum that is not a number or none is a one-line error") {
    DataFiles.withTempDir { dir =>
      val r = benchmark(dir, 6L, "benchmark.mllib=false", "benchmark.solvers=[exact-newton]",
        "benchmark.knownMinimum=low")
      assert(r.code == 2, r.stderr)
      assert(r.errorLines.size == 1 && r.errorLines.head.contains("benchmark.knownMinimum"), r.stderr)
    }
  }

  test("a benchmark entry with an unknown solver key is a one-line error") {
    DataFiles.withTempDir { dir =>
      val r = CliRun("benchmark", "data.format=libsvm", s"data.path=${dir.getPath}/x",
        "benchmark.solvers=[\"newton-cg precond=nystrom\"]", s"output.dir=${dir.getPath}/out")
      assert(r.code == 2)
      assert(r.errorLines.size == 1 && r.errorLines.head.contains("unknown key solver.precond"), r.stderr)
      assert(!new File(dir, "out").exists())
    }
  }
}
