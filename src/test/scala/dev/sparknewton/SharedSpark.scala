package dev.sparknewton

import org.apache.spark.api.java.JavaSparkContext
import org.apache.spark.sql.SparkSession
import org.scalatest.{BeforeAndAfterAll, Suite}

/**
 * One local SparkSession (local[2], UI off) shared by every suite of the test JVM: created by the
 * first suite that asks, stopped at JVM exit, so the whole run pays Spark's start-up once.
 */
trait SharedSpark extends BeforeAndAfterAll { self: Suite =>
  def spark: SparkSession = SharedSpark.session
  def jsc: JavaSparkContext = JavaSparkContext.fromSparkContext(spark.sparkContext)
}

object SharedSpark {
  lazy val session: SparkSession = {
    val s = SparkSession.builder()
      .master("local[2]")
      .appName("spark-newton-tests")
      .config("spark.ui.enabled", "false")
      .config("spark.sql.shuffle.partitions", "4")
      .config("spark.driver.host", "127.0.0.1")
      .config("spark.driver.bindAddress", "127.0.0.1")
      .getOrCreate()
    s.sparkContext.setLogLevel("WARN")
    sys.addShutdownHook(s.stop())
    s
  }
}
