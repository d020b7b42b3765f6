package dev.sparknewton.distributed

import dev.sparknewton.TestData
import dev.sparknewton.data.{DataLoader, DataSpec, TrainingData}
import dev.sparknewton.ml.{ModelTraining, TrainingSummary}
import dev.sparknewton.solvers.{ExactNewton, ExactNewtonConfig, NewtonCg, NewtonCgConfig, Solver}
import java.nio.file.Files
import org.apache.spark.sql.SparkSession
import org.scalatest.Assertions._

/** Whole training runs on one fold against the RDD fold's, shared by the fold suites. */
object FoldComparisons {

  /** Generated libsvm rows written to a temporary file and loaded as the job loads them. */
  def libsvmData(spark: SparkSession, name: String, rows: IndexedSeq[TestData.Row], d: Int,
      binary: Boolean): TrainingData = {
    val lines = rows.map { r =>
      val y = if (binary) (if (r.label > 0) "+1" else "-1") else r.label.toInt.toString
      (y +: r.indices.indices.map(k => s"${r.indices(k) + 1}:${r.values(k)}")).mkString(" ")
    }
    val file = Files.createTempFile(name, ".txt")
    file.toFile.deleteOnExit()
    Files.writeString(file, lines.mkString("", "\n", "\n"))
    DataLoader.load(spark, DataSpec.libsvm(file.toString, d))
  }

  private def maxRelErr(a: Array[Double], b: Array[Double]): Double = {
    assert(a.length == b.length)
    a.indices.map(i => math.abs(a(i) - b(i)) / math.max(1.0, math.abs(b(i)))).foldLeft(0.0)(math.max)
  }

  /**
   * Binary (2,000 rows) and multinomial (K = 3) data, each trained by exact Newton and Newton-CG
   * (tol 1e-12) on the RDD fold and on `fold`, 3 partitions of blocks of at most 4 KB and a driver
   * budget of `driverBytes` (0: every Hessian-vector product a pass over the cached blocks): both
   * converge to the same objective (1e-12) and model (`tol`) in the same passes and iterations.
   * Returns (label, RDD run, `fold` run) for the caller's own checks.
   */
  def sameOptimum(spark: SparkSession, d: Int, seed: Long, fold: FoldChoice, driverBytes: Long,
      tol: Double): Seq[(String, TrainingSummary, TrainingSummary)] = {
    val binary = libsvmData(spark, s"fold-binary-$seed",
      TestData.rows(2000, d, 0.5, seed, weighted = false), d, binary = true)
    val multi = libsvmData(spark, s"fold-multi-$seed",
      TestData.multiclassRows(2000, d, 3, 0.5, seed + 1, weighted = false), d, binary = false)
    // 3 partitions, not the input's, so that both folds repartition the same way.
    assert(binary.train().rdd.getNumPartitions != 3)
    def fit(data: TrainingData, choice: FoldChoice, solver: Solver): TrainingSummary = {
      val settings = new ModelTraining.Settings(1e-3, true, 3, 2, 0.004, driverBytes, 1L << 24)
        .withFold(choice)
      ModelTraining.fit(spark, data, settings, solver, _ => ())
    }
    def solvers: Seq[Solver] = Seq(
      new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-12)),
      new NewtonCg(NewtonCgConfig.defaults().withTol(1e-12)))
    for ((name, data) <- Seq("binary" -> binary, "multinomial" -> multi); i <- solvers.indices)
      yield {
        val r = fit(data, FoldChoice.RDD, solvers(i))
        val s = fit(data, fold, solvers(i))
        val label = s"$name, ${r.solver()}"
        assert(r.termination().converged() && s.termination().converged(), label)
        assert(math.abs(s.objective() - r.objective()) <= 1e-12 * math.abs(r.objective()), label)
        for (k <- 0 until r.linear().numOutputs()) {
          assert(maxRelErr(s.linear().coefficients(k), r.linear().coefficients(k)) <= tol,
            s"$label, output $k")
        }
        assert(maxRelErr(s.linear().intercepts(), r.linear().intercepts()) <= tol, label)
        assert(s.passes() == r.passes() && s.iterations() == r.iterations(),
          s"$label: ${s.passes()} vs ${r.passes()} passes")
        assert(s.passes() >= 3 && s.numRows() == 2000, label)
        (label, r, s)
      }
  }
}
