package dev.sparknewton.ml.inference

import dev.sparknewton.TestModels
import dev.sparknewton.data.{DataSpec, RowBlock, RowSample}
import dev.sparknewton.linalg.Cholesky
import dev.sparknewton.models.LogisticLoss
import dev.sparknewton.objective.{EvaluationRequest, LocalBlockFold, SecondOrderObjective}
import dev.sparknewton.randomized.RandomizedEigenConfig
import dev.sparknewton.solvers.{NewtonCg, NewtonCgConfig}
import java.util.{List => JList}

/**
 * A measurement, not a test: the relative error of the low-rank standard errors
 * (`sqrt` of the estimated `diag(H^-1)`) against the exact ones (Cholesky of the dense Hessian)
 * at a fitted binary logistic regression, median and max over the parameters, for several ranks,
 * both inversion forms and 0 or 1 power iterations. Problems: [[CorrelatedRows]] at
 * `P = 501, 1001, 2001` (8 latent factors, feature scales `(1 + j)^-0.5`), and a9a from
 * `../shared/data` when present (124 parameters, at `lambda = 1e-6` and `1e-2`, regularized
 * Hessian: a9a's one-hot groups make the unregularized one singular). Run after `mvn -o test-compile` as
 * {{{
 * mvn -o -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) \
 *   dev.sparknewton.ml.inference.InverseDiagonalAccuracy [d ...]
 * }}}
 */
object InverseDiagonalAccuracy {

  def main(args: Array[String]): Unit = {
    val dims = if (args.isEmpty) Seq(500, 1000, 2000) else args.toSeq.map(_.toInt)
    for (d <- dims) {
      val blocks = CorrelatedRows.blocks(n = 3 * d, d = d, factors = 8, decay = 0.5, seed = 11L)
      report(s"generated d = $d, n = ${3 * d}", blocks, d, 0.0, Seq(10, 25, 50, 100, 200, 400))
    }
    val a9a = new java.io.File("../shared/data/a9a.bz2")
    if (a9a.isFile) {
      val blocks = loadLibsvm(a9a.getPath, 123)
      for (lambda <- Seq(1e-6, 1e-2)) {
        report(s"a9a (lambda = $lambda, regularized Hessian)", blocks, 123, lambda,
          Seq(5, 10, 20, 40, 80))
      }
    } else {
      println(s"a9a: $a9a absent, skipped")
    }
  }

  private def loadLibsvm(path: String, d: Int): JList[RowBlock] = {
    val spark = org.apache.spark.sql.SparkSession.builder().master("local[2]")
      .config("spark.ui.enabled", "false").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    val data = dev.sparknewton.data.DataLoader.load(spark, DataSpec.libsvm(path, d))
    dev.sparknewton.data.Blockifier.blockify(data.train(), d, 1.0, 2).collect()
  }

  private def report(name: String, blocks: JList[RowBlock], d: Int, lambda: Double,
      ranks: Seq[Int]): Unit = {
    val fold = new LocalBlockFold(blocks)
    val f: SecondOrderObjective =
      TestModels.regularized(TestModels.logistic(d, intercept = true, fold), lambda)
    val fit = new NewtonCg(NewtonCgConfig.defaults().withTol(1e-8)).minimize(f, new Array[Double](d + 1))
    val e = f.evaluate(fit.point(), EvaluationRequest.valueAndGradient().withDiagonal())
    val h = e.curvature(RowSample.all())
    val exact = Cholesky.factor(h.denseHessian()).get().inverseDiagonal()
    val diag = e.hessianDiagonal().get()
    val naive = stats(diag.map(1.0 / _), exact)
    println(f"$name: ${fit.termination().get()} after ${fit.iteration()} iterations; " +
      f"1/diag(H) alone: median ${naive._1}%.2e max ${naive._2}%.2e")
    println("| rank | power its | form | median rel. error of se | max rel. error of se |")
    for (k <- ranks; q <- Seq(0, 1); form <- LowRankInverseDiagonal.Form.values()) {
      val cfg = RandomizedEigenConfig.fixedRank(RandomizedEigenConfig.Method.NYSTROM, math.min(k, d + 1))
        .withPowerIterations(q).withSeed(5L)
      val est = LowRankInverseDiagonal.estimate(h, diag, cfg, form).get()
      val (med, max) = stats(est.inverseDiagonal(), exact)
      println(f"| $k | $q | $form | $med%.2e | $max%.2e |")
    }
    println("| rank | probes | median rel. error of se | max rel. error of se | probe passes | max residual |")
    for (k <- ranks; probes <- Seq(16, 64, 256)) {
      val cfg = RandomizedEigenConfig.fixedRank(RandomizedEigenConfig.Method.NYSTROM, math.min(k, d + 1))
        .withPowerIterations(1).withSeed(5L)
      val est = LowRankInverseDiagonal.estimate(h, diag, cfg, LowRankInverseDiagonal.Form.WOODBURY,
        new LowRankInverseDiagonal.Probes(probes, 7L, 1e-6, 500)).get()
      val (med, max) = stats(est.inverseDiagonal(), exact)
      println(f"| $k | $probes | $med%.2e | $max%.2e | ${est.probes().passes()} | ${est.probes().maxResidual()}%.1e |")
    }
  }

  /** Median and max of `|sqrt(a_j / b_j) - 1|`. */
  private def stats(a: Array[Double], b: Array[Double]): (Double, Double) = {
    val r = a.indices.map(j => math.abs(math.sqrt(a(j) / b(j)) - 1.0)).sorted
    (r(r.length / 2), r.last)
  }
}
