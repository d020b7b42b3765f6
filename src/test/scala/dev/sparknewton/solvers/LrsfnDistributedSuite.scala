package dev.sparknewton.solvers

import dev.sparknewton.{SharedSpark, TestData, TestModels}
import dev.sparknewton.distributed.RddBlockFold
import dev.sparknewton.randomized.RandomizedEigenConfig
import org.scalatest.funsuite.AnyFunSuite

/** Spark jobs per LRSFN iteration on an RDD: the block product for r vectors is one job. */
class LrsfnDistributedSuite extends AnyFunSuite with SharedSpark {
  private val d = 15
  private val rows = TestData.rows(600, d, density = 0.5, seed = 4L)

  test("an LRSFN iteration costs one Spark job with Nystrom and two with Rayleigh-Ritz, whatever the rank") {
    val fold = RddBlockFold.cache(jsc.parallelize(TestData.blocks(rows, d, 50, sparse = true), 3), 2)
    try {
      val f = TestModels.regularized(TestModels.logistic(d, false, fold), 1e-3)
      for (method <- RandomizedEigenConfig.Method.values(); rank <- Seq(3, 12)) {
        val it = new LowRankSaddleFreeNewton(LrsfnConfig.defaults()
          .withSketch(new LowRankSketchConfig(rank, 2, 0)).withEigenMethod(method))
          .iterations(f, new Array[Double](d))
        val start = fold.passes()
        it.next()
        assert(fold.passes() == start + 1, "the start evaluation fuses H * Omega")
        val before = fold.passes()
        val s1 = it.next()
        assert(s1.stepSize() == 1.0)
        val expected = if (method == RandomizedEigenConfig.Method.NYSTROM) 1 else 2
        assert(fold.passes() == before + expected,
          s"$method rank $rank: ${fold.passes() - before} jobs for a sketch of ${rank + 2 + 3} vectors")
      }
    } finally fold.close()
  }
}
