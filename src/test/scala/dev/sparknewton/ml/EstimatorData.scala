package dev.sparknewton.ml

import org.apache.spark.ml.linalg.{Vector, Vectors}
import org.apache.spark.sql.{DataFrame, SparkSession}
import scala.util.Random

/** Seeded generated data for the estimator suites: columns label, features, weight. */
object EstimatorData {
  final case class Example(label: Double, features: Vector, weight: Double)

  /**
   * `n` rows of `d` Gaussian features (feature `j` scaled by `1 + j / 2`, so the columns differ
   * in scale), labels drawn from softmax(W* x + b*) over `classes` classes (`classes = 2`: the
   * logistic model), weights uniform in [0.5, 2].
   */
  def classification(spark: SparkSession, n: Int, d: Int, classes: Int, seed: Long,
      signal: Double = 1.0): DataFrame = {
    val rnd = new Random(seed)
    val w = Array.fill(classes, d)(rnd.nextGaussian() * signal)
    val b = Array.fill(classes)(rnd.nextGaussian() * 0.5)
    val rows = (0 until n).map { _ =>
      val x = Array.tabulate(d)(j => rnd.nextGaussian() * (1.0 + j / 2.0))
      val z = Array.tabulate(classes)(k => b(k) + (0 until d).map(j => w(k)(j) * x(j) / (1.0 + j / 2.0)).sum)
      val m = z.max
      val p = z.map(v => math.exp(v - m))
      val u = rnd.nextDouble() * p.sum
      var k = 0
      var acc = p(0)
      while (acc < u && k < classes - 1) { k += 1; acc += p(k) }
      Example(k.toDouble, Vectors.dense(x), 0.5 + 1.5 * rnd.nextDouble())
    }
    spark.createDataFrame(rows).repartition(3)
  }

  /** `n` rows of `d` features, `y = w*.x + 3 + noise`, weights uniform in [0.5, 2]. */
  def regression(spark: SparkSession, n: Int, d: Int, seed: Long): DataFrame = {
    val rnd = new Random(seed)
    val w = Array.fill(d)(rnd.nextGaussian())
    val rows = (0 until n).map { _ =>
      val x = Array.tabulate(d)(j => rnd.nextGaussian() * (1.0 + j))
      val y = 3.0 + (0 until d).map(j => w(j) * x(j)).sum + rnd.nextGaussian() * 0.5
      Example(y, Vectors.dense(x), 0.5 + 1.5 * rnd.nextDouble())
    }
    spark.createDataFrame(rows).repartition(3)
  }

  /** max_i |a_i - b_i| / max(1, |b_i|). */
  def maxRelErr(a: Array[Double], b: Array[Double]): Double = {
    require(a.length == b.length, s"${a.length} vs ${b.length}")
    a.indices.map(i => math.abs(a(i) - b(i)) / math.max(1.0, math.abs(b(i)))).max
  }
}
