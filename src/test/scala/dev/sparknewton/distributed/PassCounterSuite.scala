package dev.sparknewton.distributed

import dev.sparknewton.{SharedSpark, TestData, TestModels}
import org.scalatest.funsuite.AnyFunSuite

class PassCounterSuite extends AnyFunSuite with SharedSpark {

  /** Runs `body` with a counter of `group`, unregistered (and the job group cleared) after. */
  private def withCounter(group: String)(body: PassCounter => Unit): Unit = {
    val sc = spark.sparkContext
    val counter = PassCounter.register(sc, group)
    try body(counter)
    finally {
      sc.clearJobGroup()
      counter.unregister(sc)
    }
  }

  test("counts the jobs, tasks and result bytes of its own job group only") {
    val d = 200
    val blocks = TestData.blocks(TestData.rows(300, d, 0.3, 1L), d, 40, sparse = true)
    val sc = spark.sparkContext
    withCounter("counted") { counter =>
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
        assert(counter.incompleteWaits() == 0)
      } finally fold.close()
    }
  }

  test("executor run time sums the tasks' own run times, of its group only") {
    val sc = spark.sparkContext
    withCounter("timed") { counter =>
      jsc.parallelize(java.util.Arrays.asList(1, 2, 3), 3).foreach(_ => Thread.sleep(1000)) // not counted
      sc.setJobGroup("timed", "test", false)
      // Four tasks that each run at least 200 ms: at least 800 ms of executor run time, however
      // the two local cores schedule them.
      jsc.parallelize(java.util.Arrays.asList(1, 2, 3, 4), 4).foreach(_ => Thread.sleep(200))
      sc.clearJobGroup()
      assert(counter.awaitQuiet(5000))
      assert(counter.tasks() == 4)
      assert(counter.executorRunMillis() >= 4 * 200, s"${counter.executorRunMillis()} ms")
      assert(counter.executorRunMillis() < 4 * 200 + 3 * 1000, "the other group's tasks are not counted")
    }
  }

  test("awaitQuiet gives up after its timeout with a job still running: it says so and counts it") {
    val sc = spark.sparkContext
    withCounter("slow") { counter =>
      val job = new Thread(() => {
        sc.setJobGroup("slow", "test", false)
        jsc.parallelize(java.util.Arrays.asList(1), 1).foreach(_ => Thread.sleep(3000))
      })
      job.start()
      try {
        val deadline = System.currentTimeMillis() + 20000
        while (counter.jobs() == 0 && System.currentTimeMillis() < deadline) Thread.sleep(20)
        assert(counter.jobs() == 1)
        val logged = new java.io.StringWriter()
        val appender = org.apache.logging.log4j.core.appender.WriterAppender.createAppender(
          org.apache.logging.log4j.core.layout.PatternLayout.createDefaultLayout(), null, logged,
          "await-quiet-test", false, true)
        appender.start()
        val logger = org.apache.logging.log4j.LogManager.getLogger(classOf[PassCounter])
          .asInstanceOf[org.apache.logging.log4j.core.Logger]
        logger.addAppender(appender)
        val quiet = try counter.awaitQuiet(100) finally logger.removeAppender(appender)
        assert(!quiet)
        assert(counter.incompleteWaits() == 1)
        assert(logged.toString.contains("job group slow: 1 of 1 jobs had not ended after 100 ms"), logged.toString)
        job.join()
        assert(counter.awaitQuiet(5000) && counter.incompleteWaits() == 1)
      } finally job.join()
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
        assert(fold.passes() == 2 * (3 + PassFloor.WARM_UPS), "the warm-ups and 3 measured passes of each kind")
        assert(floor.gradientSeconds().isNaN, "no gradient pass asked for")
        assert(floor.emptySeconds() > 0 && floor.streamingSeconds() > 0)
      } finally fold.close()
    }
    assert(intercept[IllegalArgumentException](PassFloor.measure(null, d, 0)).getMessage.contains("repeats"))
  }

  test("the pass floor with a gradient pass: one more pass of each repeat and warm-up, a fresh aggregator each") {
    val d = 20
    val rows = TestData.rows(300, d, 0.3, 4L)
    val fold = RddBlockFold.cache(jsc.parallelize(TestData.blocks(rows, d, 64, true), 3), 2)
    try {
      var made = 0
      val floor = PassFloor.measure(fold, d, 3, () => { made += 1; new RowsSeen })
      assert(fold.passes() == 3 * (3 + PassFloor.WARM_UPS))
      assert(made == 3 + PassFloor.WARM_UPS)
      assert(floor.gradientSeconds() > 0 && !floor.gradientSeconds().isNaN)
    } finally fold.close()
  }
}

/** Rows seen: a stand-in for a gradient aggregator in the pass floor's test. */
final class RowsSeen extends dev.sparknewton.models.BlockAggregator[RowsSeen] {
  var rows = 0L
  override def add(block: dev.sparknewton.data.RowBlock): RowsSeen = { rows += block.numRows(); this }
  override def merge(other: RowsSeen): RowsSeen = { rows += other.rows; this }
  override def emptyCopy(): RowsSeen = new RowsSeen
}
