package dev.sparknewton.distributed

import dev.sparknewton.{SharedSpark, TestData, TestModels}
import org.scalatest.funsuite.AnyFunSuite

class PassCounterSuite extends AnyFunSuite with SharedSpark {

  test("counts the jobs, tasks and result bytes of its own job group only") {
    val d = 200
    val blocks = TestData.blocks(TestData.rows(300, d, 0.3, 1L), d, 40, sparse = true)
    val sc = spark.sparkContext
    val counter = PassCounter.register(sc, "counted")
    try {
      jsc.parallelize(java.util.Arrays.asList(1, 2, 3), 3).count() // another group: not counted
      sc.setJobGroup("counted", "test", false)
      val fold = RddBlockFold.cache(jsc.parallelize(blocks, 3), 2)
      try {
        val f = TestModels.logistic(d, false, fold)
        val w = new Array[Double](d)
        val e = f.evaluate(w)
        e.hessianVectorProduct(TestData.randomVector(d, new scala.util.Random(2)))
        sc.clearJobGroup()
        jsc.parallelize(java.util.Arrays.asList(1, 2, 3), 3).count() // not counted
        counter.awaitQuiet(5000)
        assert(fold.passes() == 2)
        assert(counter.jobs() == 3, "the caching job and the two passes")
        assert(counter.tasks() == 9, "three partitions, one stage each")
        // Each pass sends at least one d-vector of partial sums per task.
        assert(counter.bytesSent() >= 2L * 3 * d * 8)
        assert(counter.executorRunMillis() >= 0)
      } finally fold.close()
    } finally {
      sc.clearJobGroup()
      counter.unregister(sc)
    }
  }

  test("the pass floor reads every stored value (its checksum is the sum of all entries), dense and sparse") {
    val d = 50
    val rows = TestData.rows(500, d, 0.2, 3L)
    val expected = rows.map(_.values.sum).sum
    for (sparse <- Seq(true, false)) {
      val fold = RddBlockFold.cache(jsc.parallelize(TestData.blocks(rows, d, 64, sparse), 3), 2)
      try {
        val floor = PassFloor.measure(fold, d, 3)
        assert(math.abs(floor.checksum() - expected) <= 1e-9 * math.abs(expected), s"sparse=$sparse")
        assert(fold.passes() == 2 * (3 + 1), "a warm-up and 3 measured passes of each kind")
        assert(floor.emptySeconds() > 0 && floor.streamingSeconds() > 0)
      } finally fold.close()
    }
    assert(intercept[IllegalArgumentException](PassFloor.measure(null, d, 0)).getMessage.contains("repeats"))
  }
}
