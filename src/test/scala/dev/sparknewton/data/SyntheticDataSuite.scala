package dev.sparknewton.data

import dev.sparknewton.SharedSpark
import dev.sparknewton.data.DataFiles._
import java.io.File
import org.apache.spark.ml.linalg.{Vector => MlVector}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._

/**
 * The synthetic data generator: reproducible across partitionings, and its rows have the
 * statistics asked for (nonzeros, power-law frequencies, scales, label noise, labels drawn from
 * the true model), each checked against a bound derived from the sampling variance.
 */
class SyntheticDataSuite extends AnyFunSuite with SharedSpark {

  private def spec(rows: Long = 2000, features: Int = 300, nnz: Int = 7, powerLaw: Double = 1.0,
      decades: Double = 0.0, values: SyntheticSpec.Values = SyntheticSpec.Values.GAUSSIAN,
      classes: Int = 2, noise: Double = 0.0, signal: Double = 2.0, seed: Long = 11L,
      chunkRows: Int = 100): SyntheticSpec =
    new SyntheticSpec(rows, features, nnz, powerLaw, decades, values, classes, noise, signal, seed,
      chunkRows)

  /** The rows of `s`, generated locally (no Spark). */
  private def local(s: SyntheticSpec): IndexedSeq[SyntheticRow] =
    new SyntheticRows(s).rows(0, s.chunks()).asScala.toIndexedSeq

  private def same(a: SyntheticRow, b: SyntheticRow): Boolean =
    a.label == b.label && a.noiselessLabel == b.noiselessLabel &&
      a.indices.sameElements(b.indices) && a.values.sameElements(b.values)

  /** Margins `W* x` of a row, from the true weights as written. */
  private def margins(w: Array[Array[Double]], r: SyntheticRow): Array[Double] =
    w.map(wk => r.indices.indices.map(i => wk(r.indices()(i)) * r.values()(i)).sum)

  private def sigmoid(z: Double): Double = 1 / (1 + math.exp(-z))

  /** Four binomial standard deviations of a proportion `p` over `n` trials. */
  private def fourSd(p: Double, n: Double): Double = 4 * math.sqrt(p * (1 - p) / n)

  test("the same seed gives the same rows for 1, 3 and 7 partitions, as the local chunks; another seed other rows") {
    val s = spec(rows = 1050, decades = 2.0)
    assert(s.chunks() == 11)
    val expected = local(s)
    assert(expected.size == 1050)
    for (p <- Seq(1, 3, 7)) {
      val rdd = SyntheticDataWriter.rows(jsc, s, p)
      assert(rdd.getNumPartitions == p)
      val got = rdd.collect().asScala.toIndexedSeq
      assert(got.size == expected.size, s"$p partitions")
      assert(got.indices.forall(i => same(got(i), expected(i))), s"$p partitions differ")
    }
    // One partition per chunk (the default) and more partitions than chunks (capped) agree too.
    assert(SyntheticDataWriter.partitions(s, 0) == 11 && SyntheticDataWriter.partitions(s, 50) == 11)
    val capped = SyntheticDataWriter.rows(jsc, s, 50).collect().asScala.toIndexedSeq
    assert(capped.indices.forall(i => same(capped(i), expected(i))))
    val other = local(spec(rows = 1050, decades = 2.0, seed = 12L))
    assert(other.indices.count(i => same(other(i), expected(i))) == 0)
    assert(other.map(_.indices.toSeq).toSet != expected.map(_.indices.toSeq).toSet)
  }

  test("n = 1e8 rows is expressible: chunk arithmetic in long, the last chunk generated on its own") {
    val s = spec(rows = 100000000L, chunkRows = 65536)
    assert(s.chunks() == 1526L && s.rowsInChunk(1525L) == 100000000 - 1525 * 65536)
    val last = new SyntheticRows(s).chunk(1525L).asScala.size
    assert(last == 100000000 - 1525 * 65536)
    assert(SyntheticDataWriter.partitions(s, 0) == 1526)
    val huge = spec(rows = 1L << 50, chunkRows = 65536)
    assert(huge.chunks() == (1L << 34) && SyntheticDataWriter.partitions(huge, 0) == Int.MaxValue)
  }

  test("every row has exactly nnzPerRow distinct increasing indices in range, finite values, labels -1/+1 or 0..K-1") {
    val cases = Seq(
      spec(),
      spec(powerLaw = 0.0, nnz = 300),         // full rows: every feature once
      spec(features = 40, nnz = 20, powerLaw = 0.5, classes = 5, values = SyntheticSpec.Values.BINARY),
      spec(features = 1, nnz = 1, powerLaw = 2.0))
    for (s <- cases) {
      s.checkSamplingCost()
      for (r <- local(s)) {
        assert(r.indices.length == s.nnzPerRow && r.values.length == s.nnzPerRow)
        assert(r.indices.head >= 0 && r.indices.last < s.features)
        assert(r.indices.indices.tail.forall(i => r.indices()(i) > r.indices()(i - 1)), r.indices.toSeq)
        assert(r.values.forall(v => v > 0 && java.lang.Double.isFinite(v)))
        val allowed = if (s.binary) Set(-1.0, 1.0) else (0 until s.classes).map(_.toDouble).toSet
        assert(allowed(r.label) && allowed(r.noiselessLabel) && allowed(r.mostLikelyLabel))
      }
    }
  }

  for (s <- Seq(0.5, 1.0, 1.5)) {
    test(s"with powerLaw = $s the slope of log frequency against log rank is -$s") {
      val d = 2000
      val g = spec(rows = 40000, features = d, nnz = 5, powerLaw = s, chunkRows = 4096)
      val gen = new SyntheticRows(g)
      val counts = new Array[Long](d)
      local(g).foreach(_.indices.foreach(j => counts(j) += 1))
      // The rank -> feature map is a bijection that does not keep the popular features in front.
      val features = (0 until d).map(gen.featureOfRank)
      assert(features.toSet.size == d)
      assert(features.take(10).exists(_ >= d / 10), features.take(10))
      // Least-squares slope over ranks 10..300: each has >= 15 expected counts (s = 1.5), and the
      // inclusion probability of a row, 1 - P(not drawn in 5 draws without repetition), is
      // proportional to r^-s there to within 3% (p_r nnz <= 0.06), a slope bias below 0.01.
      val ranks = 10 to 300
      val x = ranks.map(r => math.log(r.toDouble))
      val c = ranks.map(r => counts(gen.featureOfRank(r - 1)).toDouble)
      assert(c.forall(_ > 0))
      val y = c.map(math.log)
      val xm = x.sum / x.size
      val ym = y.sum / y.size
      val sxx = x.map(v => (v - xm) * (v - xm)).sum
      val slope = x.indices.map(i => (x(i) - xm) * (y(i) - ym)).sum / sxx
      // Var(log c) ~ 1 / c for Poisson-like counts (delta method): the slope's standard error.
      val se = math.sqrt(x.indices.map(i => (x(i) - xm) * (x(i) - xm) / c(i)).sum) / sxx
      assert(math.abs(slope + s) <= 4 * se + 0.01, s"slope $slope, expected ${-s}, se $se")
    }
  }

  test("with powerLaw = 0 feature frequencies are uniform within a chi-square bound") {
    val d = 200
    val g = spec(rows = 20000, features = d, nnz = 5, powerLaw = 0.0, chunkRows = 4096)
    val counts = new Array[Long](d)
    local(g).foreach(_.indices.foreach(j => counts(j) += 1))
    val expected = 20000.0 * 5 / d
    val chi2 = counts.map(k => (k - expected) * (k - expected) / expected).sum
    // chi-square with d - 1 degrees of freedom (a little less spread, as a row's 5 are distinct):
    // mean 199, standard deviation sqrt(2 * 199) = 20; five of them either side.
    val bound = 5 * math.sqrt(2.0 * (d - 1))
    assert(math.abs(chi2 - (d - 1)) <= bound, s"chi2 $chi2 with ${d - 1} degrees of freedom")
    // A power law of exponent 1 on the same features is far outside that bound.
    val skewed = new Array[Long](d)
    local(spec(rows = 20000, features = d, nnz = 5, powerLaw = 1.0, chunkRows = 4096))
      .foreach(_.indices.foreach(j => skewed(j) += 1))
    assert(skewed.map(k => (k - expected) * (k - expected) / expected).sum > (d - 1) + bound)
  }

  test("feature scales span the asked decades; binary values are the scales, gaussian |N(0,1)| times them") {
    val d = 1000
    val binary = spec(rows = 3000, features = d, nnz = 10, powerLaw = 0.0, decades = 4.0,
      values = SyntheticSpec.Values.BINARY)
    val gen = new SyntheticRows(binary)
    val logScales = (0 until d).map(j => math.log10(gen.scale(j)))
    // min and max of 1000 uniforms on [-2, 2]: within 0.05 of the ends with probability 1 - 7e-6.
    assert(logScales.min >= -2 && logScales.min < -1.95, logScales.min)
    assert(logScales.max <= 2 && logScales.max > 1.95, logScales.max)
    val rows = local(binary)
    rows.foreach(r => r.indices.indices.foreach(i => assert(r.values()(i) == gen.scale(r.indices()(i)))))
    val seen = rows.flatMap(_.values).map(math.log10)
    assert(seen.max - seen.min > 3.9, s"values span ${seen.max - seen.min} decades")
    // decades = 0: every binary value is exactly 1.
    assert(local(spec(values = SyntheticSpec.Values.BINARY)).forall(_.values.forall(_ == 1.0)))
    // gaussian: value / scale is |N(0, 1)|: mean sqrt(2/pi) (sd 0.60), mean square 1 (sd sqrt 2).
    val g = spec(rows = 3000, features = d, nnz = 10, powerLaw = 0.0, decades = 4.0)
    val ggen = new SyntheticRows(g)
    val m = local(g).flatMap(r => r.indices.indices.map(i => r.values()(i) / ggen.scale(r.indices()(i))))
    val n = m.size.toDouble
    assert(math.abs(m.sum / n - math.sqrt(2 / math.Pi)) < 4 * 0.6028 / math.sqrt(n))
    assert(math.abs(m.map(v => v * v).sum / n - 1) < 4 * math.sqrt(2 / n))
  }

  test("label noise changes the asked share of labels, and nothing else") {
    val n = 20000
    val clean = local(spec(rows = n, chunkRows = 4096))
    val noisy = local(spec(rows = n, noise = 0.1, chunkRows = 4096))
    assert(clean.forall(r => r.label == r.noiselessLabel))
    for (i <- 0 until n) {
      assert(noisy(i).indices.sameElements(clean(i).indices) && noisy(i).values.sameElements(clean(i).values))
      assert(noisy(i).noiselessLabel == clean(i).label)
      assert(noisy(i).label == clean(i).label || noisy(i).label == -clean(i).label)
    }
    val flipped = (0 until n).count(i => noisy(i).label != clean(i).label).toDouble / n
    assert(math.abs(flipped - 0.1) <= fourSd(0.1, n), s"flipped $flipped")
    // Multiclass: replaced by a uniform class, so a label changes with probability noise (K-1)/K.
    val k4 = local(spec(rows = n, classes = 4, noise = 0.2, chunkRows = 4096))
    val changed = k4.count(r => r.label != r.noiselessLabel).toDouble / n
    assert(math.abs(changed - 0.15) <= fourSd(0.15, n), s"changed $changed")
  }

  test("binary labels are drawn from sigmoid(w*.x): balance and Bayes accuracy as the margins imply") {
    val n = 20000
    val s = spec(rows = n, features = 1000, nnz = 10, powerLaw = 0.5, decades = 3.0, signal = 10.0,
      chunkRows = 4096)
    val gen = new SyntheticRows(s)
    val w = gen.trueWeights()
    val rows = local(s)
    val z = rows.map(r => margins(w, r)(0))
    // The margins are about N(0, signal^2) whatever the scales (spread of 1000 fixed weights).
    val sd = math.sqrt(z.map(v => v * v).sum / n)
    assert(math.abs(sd / 10.0 - 1) < 0.15, s"margin sd $sd")
    assert(rows.indices.forall(i => rows(i).mostLikelyLabel == (if (z(i) >= 0) 1.0 else -1.0)))
    val positive = rows.count(_.label > 0).toDouble / n
    val expectedPositive = z.map(sigmoid).sum / n
    assert(math.abs(positive - expectedPositive) <= fourSd(0.5, n), s"$positive vs $expectedPositive")
    val accuracy = rows.indices.count(i => rows(i).label == rows(i).mostLikelyLabel).toDouble / n
    val expectedAccuracy = z.map(v => sigmoid(math.abs(v))).sum / n
    assert(expectedAccuracy > 0.9)
    assert(math.abs(accuracy - expectedAccuracy) <= fourSd(expectedAccuracy, n),
      s"Bayes accuracy $accuracy vs ${expectedAccuracy}")
    // A weak signal gives a Bayes accuracy near a coin's, and the same agreement with the margins.
    val weak = spec(rows = n, features = 1000, nnz = 10, powerLaw = 0.5, signal = 0.2, chunkRows = 4096)
    val wz = local(weak).map(r => margins(new SyntheticRows(weak).trueWeights(), r)(0))
    assert(wz.map(v => sigmoid(math.abs(v))).sum / n < 0.6)
  }

  test("multiclass labels are drawn from softmax(W* x): class shares as the margins imply") {
    val n = 20000
    val k = 4
    val s = spec(rows = n, features = 500, nnz = 8, classes = k, signal = 3.0, chunkRows = 4096)
    val w = new SyntheticRows(s).trueWeights()
    assert(w.length == k && w.forall(_.length == 500))
    val rows = local(s)
    val probabilities = rows.map { r =>
      val z = margins(w, r)
      val e = z.map(v => math.exp(v - z.max))
      assert(r.mostLikelyLabel == z.indexOf(z.max).toDouble)
      e.map(_ / e.sum)
    }
    for (c <- 0 until k) {
      val share = rows.count(_.label == c).toDouble / n
      val expected = probabilities.map(_(c)).sum / n
      assert(math.abs(share - expected) <= fourSd(expected, n), s"class $c: $share vs $expected")
    }
  }

  test("written libsvm and parquet load with the project's loaders as the rows generated, with their statistics") {
    withTempDir { dir =>
      val s = spec(rows = 700, features = 60, nnz = 6, decades = 3.0, noise = 0.1, chunkRows = 100)
      val expected = local(s)
      val local0 = expected.foldLeft(new SyntheticStats(s))((st, r) => st.add(r))
      val text = new File(dir, "text").getPath
      val textStats = SyntheticDataWriter.writeLibSvm(jsc, s, 3, text)
      val parquet = new File(dir, "parquet").getPath
      val parquetStats = SyntheticDataWriter.writeParquet(spark, s, 2, parquet)
      for (st <- Seq(textStats, parquetStats)) {
        assert(st.rows == 700 && st.nonzeros == 700 * 6 && st.meanNonzerosPerRow == 6.0)
        assert(st.labelCounts.toSeq == local0.labelCounts.toSeq && st.labelCounts.sum == 700)
        assert(st.changedByNoise == local0.changedByNoise && st.changedByNoise > 0)
        assert(st.agreeingWithTrueModel == local0.agreeingWithTrueModel)
      }
      assert(new File(text).list().count(_.startsWith("part-")) == 3)
      val fromText = DataLoader.load(spark, DataSpec.libsvm(text, 60))
      assert(fromText.labels.describe == "-1 -> 0, +1 -> 1")
      val fromParquet = DataLoader.load(spark,
        new DataSpec(parquet, "parquet", 0, "label", "features", java.util.Optional.empty(),
          java.util.Optional.empty(), 0.0, 1L, ",", java.util.Optional.empty(), LabelKind.AUTO, 1000,
          java.util.Optional.empty(), java.util.Optional.empty()))
      assert(fromParquet.numFeatures == 60)
      // Files are not read back in chunk order (Spark packs the larger files first): compare sorted.
      def key(label: Double, indices: Array[Int], values: Array[Double]): String =
        s"$label ${indices.mkString(",")} ${values.mkString(",")}"
      val want = expected.map(r => key(if (r.label > 0) 1.0 else 0.0, r.indices, r.values)).sorted
      for (data <- Seq(fromText, fromParquet)) {
        val got = data.train.collect().toSeq.map { r =>
          val v = r.getAs[MlVector](1).toSparse
          assert(v.size == 60)
          key(r.getDouble(0), v.indices, v.values)
        }.sorted
        assert(got == want)
      }
    }
  }

  test("a bad spec is refused with a message that starts with the field name") {
    val bad: Seq[(() => SyntheticSpec, String)] = Seq(
      (() => spec(rows = 0), "rows must be >= 1, got 0"),
      (() => spec(features = 0), "features must be >= 1"),
      (() => spec(nnz = 301), "nnzPerRow must be in [1, 300]"),
      (() => spec(powerLaw = -1), "powerLaw must be finite and >= 0, got -1.0"),
      (() => spec(decades = -2), "scaleDecades must be in [0, 300], got -2.0"),
      (() => spec(classes = 1), "classes must be >= 2, got 1"),
      (() => spec(noise = 1.5), "labelNoise must be in [0, 1], got 1.5"),
      (() => spec(signal = Double.NaN), "signal must be finite and >= 0"),
      (() => spec(chunkRows = 0), "chunkRows must be >= 1, got 0"))
    for ((make, message) <- bad) {
      val e = intercept[IllegalArgumentException](make())
      assert(e.getMessage.startsWith(message), e.getMessage)
    }
    // 20 distinct features out of 25 with a steep power law: the top 19 hold > 90% of the draws.
    val steep = spec(features = 25, nnz = 20, powerLaw = 3.0)
    val e = intercept[IllegalArgumentException](steep.checkSamplingCost())
    assert(e.getMessage.startsWith("nnzPerRow = 20 is too many distinct features for powerLaw = 3.0"), e.getMessage)
    spec(features = 25, nnz = 20, powerLaw = 0.5).checkSamplingCost()
  }
}
