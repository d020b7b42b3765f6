package dev.sparknewton.cli

import com.fasterxml.jackson.databind.ObjectMapper
import dev.sparknewton.SharedSpark
import java.nio.file.{Files, Path}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * A training run whose full curvature sample exceeds `solver.driverCurvatureMb`: the bytes its
 * tasks send to the driver (`bytesToDriver` of iterations.jsonl, counted by Spark's task metrics:
 * the collected sample and every partial sum) stay under the budget in every iteration, with the
 * sample drawn down (`solver.curvatureOverBudget = sample`: a few passes an iteration) as with the
 * default that keeps it distributed (a pass per CG step).
 */
class CurvatureBudgetCommandSuite extends AnyFunSuite with SharedSpark {

  private val json = new ObjectMapper()

  private def withTempDir(body: Path => Unit): Unit = {
    val dir = Files.createTempDirectory("curvature-budget")
    try body(dir)
    finally Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p => p.toFile.delete())
  }

  /** n seeded libsvm rows over d features, about 30% of them set. */
  private def libsvm(n: Int, d: Int, seed: Long): String = {
    val rnd = new Random(seed)
    val truth = Array.fill(d)(rnd.nextGaussian())
    (0 until n).map { _ =>
      val idx = (0 until d).filter(_ => rnd.nextDouble() < 0.3)
      val vals = idx.map(_ => math.rint(rnd.nextGaussian() * 100) / 100)
      val m = idx.indices.map(k => vals(k) * truth(idx(k))).sum
      val y = if (rnd.nextDouble() < 1 / (1 + math.exp(-m))) "+1" else "-1"
      (y +: idx.indices.map(k => s"${idx(k) + 1}:${vals(k)}")).mkString(" ")
    }.mkString("", "\n", "\n")
  }

  test("a sampled-down curvature run reports at most the budget sent to the driver in every iteration") {
    withTempDir { dir =>
      spark
      val d = 30
      Files.writeString(dir.resolve("train.txt"), libsvm(20000, d, 4L))
      val budgetMb = 0.5
      val budget = (budgetMb * 1024 * 1024).toLong
      def run(name: String, extra: String*): (IndexedSeq[Long], IndexedSeq[Long]) = {
        val out = dir.resolve(name)
        val r = CliRun((Seq("train", "data.format=libsvm", s"data.path=${dir.resolve("train.txt")}",
          s"data.numFeatures=$d", "model.regParam=1e-4", "model.fitIntercept=false",
          "solver.name=newton-cg", "solver.maxIter=6", "solver.tol=1e-14", "spark.partitions=3",
          // Blocks of 50 KB: a 0.5 MB budget holds ten (a budget below one block stays distributed).
          "data.maxBlockSizeMb=0.05",
          s"output.dir=$out") ++ extra): _*)
        assert(r.code == 0, r.stderr)
        val records = Files.readAllLines(out.resolve("iterations.jsonl")).asScala.map(json.readTree).toIndexedSeq
        (records.map(_.get("bytesToDriver").asLong()), records.map(_.get("passes").asLong()))
      }
      val (fullBytes, _) = run("full")
      val fullPerIteration = fullBytes.indices.tail.map(i => fullBytes(i) - fullBytes(i - 1))
      assert(fullPerIteration.max > 2 * budget, s"the whole sample is larger than the budget: $fullPerIteration")
      val (bytes, passes) = run("sampled", s"solver.driverCurvatureMb=$budgetMb",
        "solver.curvatureOverBudget=sample")
      assert(bytes.size == 7)
      val perIteration = bytes.indices.tail.map(i => bytes(i) - bytes(i - 1))
      perIteration.foreach(b => assert(b <= budget, s"bytes per iteration $perIteration, budget $budget"))
      // The default keeps the over-budget sample distributed: a pass per CG step.
      val (distributedBytes, distributedPasses) = run("distributed", s"solver.driverCurvatureMb=$budgetMb")
      assert(distributedBytes.indices.tail.forall(i => distributedBytes(i) - distributedBytes(i - 1) <= budget))
      // Sampled: the gradient pass and the collection each iteration (the first adds the row sizes).
      val passesPerIteration = passes.indices.tail.map(i => passes(i) - passes(i - 1))
      assert(passesPerIteration.tail.forall(_ <= 2), s"passes $passes")
      assert(passes.last < distributedPasses.last, s"passes $passes vs distributed $distributedPasses")
    }
  }
}
