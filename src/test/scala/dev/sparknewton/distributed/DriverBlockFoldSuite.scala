package dev.sparknewton.distributed

import dev.sparknewton.{SharedSpark, TestData}
import dev.sparknewton.ml.ModelTraining
import org.scalatest.funsuite.AnyFunSuite

/**
 * `spark.fold = driver`: the cached blocks collected to the driver once, every pass after that a
 * sweep on the driver. Whole training runs end at the RDD fold's optimum after the same passes,
 * with the RDD fold's setup jobs and the collect alone where the RDD fold runs one job a pass; blocks over
 * the driver's budget are refused in one line and leave nothing cached.
 */
class DriverBlockFoldSuite extends AnyFunSuite with SharedSpark {

  private val d = 9

  /** 3 partitions of blocks of at most 4 KB (about 50 blocks); driver budget `budgetBytes`. */
  private def settings(fold: FoldChoice, budgetBytes: Long) =
    new ModelTraining.Settings(1e-3, true, 3, 2, 0.004, budgetBytes, 1L << 24).withFold(fold)

  test("spark.fold = driver trains to the RDD fold's optimum in the same passes, its only jobs setup and the collect") {
    for ((label, r, s) <- FoldComparisons.sameOptimum(spark, d, 41L, FoldChoice.DRIVER, 64L << 20, 1e-9)) {
      // The RDD fold: its setup jobs (reading, repartitioning and caching the rows) and one job a
      // pass; the driver fold: the same setup jobs and the collect, none a pass.
      assert(s.jobs() == r.jobs() - r.passes() + 1 && s.jobs() <= 3, s"$label: ${s.jobs()} and ${r.jobs()} jobs")
      assert(s.bytesSent() > 0, label)
    }
  }

  test("blocks over the driver's budget: a one-line refusal naming the size, the budget and its key; nothing left cached") {
    val data = FoldComparisons.libsvmData(spark, "drv-budget", TestData.rows(2000, d, 0.5, 43L), d, binary = true)
    val before = spark.sparkContext.getPersistentRDDs.size
    val e = intercept[IllegalArgumentException](
      ModelTraining.cacheFold(spark, data, settings(FoldChoice.DRIVER, 10000L)))
    assert(e.getMessage.matches("spark\\.fold = driver: the 2,000 rows take 0\\.\\d MB as row blocks, "
      + "over the driver's budget solver\\.driverCurvatureMb = 0\\.0 MB; raise it or use spark\\.fold = auto"),
      e.getMessage)
    assert(!e.getMessage.contains("\n"))
    assert(spark.sparkContext.getPersistentRDDs.size == before)
    // Within the budget: the blocks are on the driver and the executors keep nothing.
    val fold = ModelTraining.cacheFold(spark, data, settings(FoldChoice.DRIVER, 1L << 20))
    try {
      assert(fold.isInstanceOf[DriverBlockFold] && fold.numRows() == 2000 && fold.numPartitions() == 3)
      assert(fold.sizeInBytes() > 10000L && fold.passes() == 1)
      assert(spark.sparkContext.getPersistentRDDs.size == before)
    } finally fold.close()
    assert(DistributedFolds.resolve(FoldChoice.DRIVER, spark) == FoldChoice.DRIVER)
    assert(FoldChoice.parse("spark.fold", "driver") == FoldChoice.DRIVER)
  }
}
