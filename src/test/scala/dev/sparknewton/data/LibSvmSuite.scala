package dev.sparknewton.data

import dev.sparknewton.SharedSpark
import dev.sparknewton.data.DataFiles._
import java.io.File
import org.apache.spark.ml.linalg.{Vector => MlVector, Vectors => MlVectors}
import org.apache.spark.sql.{Dataset, Row}
import org.scalatest.funsuite.AnyFunSuite

class LibSvmSuite extends AnyFunSuite with SharedSpark {

  private val sample = Seq(
    "+1 1:0.5 3:2 ",
    "",
    "-1 2:-1.5 4:1e-3   # a comment",
    "# only a comment",
    "+1\t1:1\t4:0\t5:3",
    "-1")

  private def rows(df: Dataset[Row]): Seq[(Double, MlVector, Double)] =
    df.collect().toSeq.map(r => (r.getDouble(0), r.getAs[MlVector](1), r.getDouble(2)))

  private def load(spec: DataSpec): TrainingData = DataLoader.load(spark, spec)

  private def loadError(lines: Seq[String], numFeatures: Int = 0,
      kind: LabelKind = LabelKind.BINARY): String = withTempDir { dir =>
    val f = write(dir, "bad.txt", lines)
    intercept[DataValidationException](
      load(DataSpec.libsvm(f.getPath, numFeatures).withLabels(kind, 1000))).getMessage
  }

  test("parses labels, 1-based indices, blank lines, comments, tabs and trailing spaces") {
    withTempDir { dir =>
      val f = write(dir, "s.txt", sample)
      val data = load(DataSpec.libsvm(f.getPath, 0))
      assert(data.numFeatures == 5)
      assert(data.labels.describe == "-1 -> 0, +1 -> 1")
      assert(data.featureNames.isEmpty)
      assert(rows(data.train) == Seq(
        (1.0, MlVectors.sparse(5, Array(0, 2), Array(0.5, 2.0)), 1.0),
        (0.0, MlVectors.sparse(5, Array(1, 3), Array(-1.5, 1e-3)), 1.0),
        (1.0, MlVectors.sparse(5, Array(0, 4), Array(1.0, 3.0)), 1.0),
        (0.0, MlVectors.sparse(5, Array.empty[Int], Array.empty[Double]), 1.0)))
      assert(data.test.isEmpty)
    }
  }

  for ((labels, expected) <- Seq(
      (("-1", "+1"), "-1 -> 0, +1 -> 1"),
      (("1", "2"), "1 -> 0, 2 -> 1"),
      (("0", "1"), "0 -> 0, 1 -> 1"))) {
    test(s"labels ${labels._1} / ${labels._2} map to 0 / 1 ($expected)") {
      withTempDir { dir =>
        val f = write(dir, "l.txt", Seq(s"${labels._2} 1:1", s"${labels._1} 2:1", s"${labels._2} 2:2"))
        val data = load(DataSpec.libsvm(f.getPath, 0))
        assert(data.labels.describe == expected)
        assert(rows(data.train).map(_._1) == Seq(1.0, 0.0, 1.0))
        // An explicit positive label reverses the mapping.
        val reversed = load(spec(f.getPath, "libsvm", positiveLabel = Some(labels._1)))
        assert(rows(reversed.train).map(_._1) == Seq(0.0, 1.0, 0.0))
        assert(reversed.labels.positive == reversed.labels.describe.split(", ")(1).stripSuffix(" -> 1"))
      }
    }
  }

  test("numFeatures is inferred over train and test, or forced") {
    withTempDir { dir =>
      val train = write(dir, "train.txt", Seq("1 1:1 5:1", "0 2:1"))
      val test = write(dir, "test.txt", Seq("1 7:2", "0 1:1"))
      val inferred = load(DataSpec.libsvm(train.getPath, 0).withTestPath(test.getPath))
      assert(inferred.numFeatures == 7)
      assert(rows(inferred.train).forall(_._2.size == 7))
      assert(rows(inferred.test.get) == Seq(
        (1.0, MlVectors.sparse(7, Array(6), Array(2.0)), 1.0),
        (0.0, MlVectors.sparse(7, Array(0), Array(1.0)), 1.0)))
      val forced = load(DataSpec.libsvm(train.getPath, 10).withTestPath(test.getPath))
      assert(forced.numFeatures == 10)
      assert(rows(forced.test.get).forall(_._2.size == 10))
      val e = intercept[DataValidationException](
        load(DataSpec.libsvm(train.getPath, 6).withTestPath(test.getPath)))
      assert(e.getMessage == "test.txt line 1: feature index 7 > numFeatures 6 (indices are 1-based)")
    }
  }

  test("errors name file, line and the offending token") {
    assert(loadError(Seq("1 1:1", "0 2:1", "1 0:1")) == "bad.txt line 3: index 0 is not 1-based")
    assert(loadError(Seq("1 1:1", "", "0 2:1 4:nan")) ==
      "bad.txt line 3: value 'nan' of index 4 is not finite")
    assert(loadError(Seq("1 1:1 3:Infinity")) ==
      "bad.txt line 1: value 'Infinity' of index 3 is not finite")
    assert(loadError(Seq("1 1:1", "0 9:1 7:2")) == "bad.txt line 2: indices not increasing (7 after 9)")
    assert(loadError(Seq("1 1:1", "0 3:1 3:2")) == "bad.txt line 2: indices not increasing (3 after 3)")
    assert(loadError(Seq("1 1:1", "x 2:1")) == "bad.txt line 2: cannot parse label 'x'")
    assert(loadError(Seq("1 1:1", "NaN 2:1")) == "bad.txt line 2: label 'NaN' is not finite")
    assert(loadError(Seq("1 1:1", "-inf 2:1")) == "bad.txt line 2: label '-inf' is not finite")
    assert(loadError(Seq("1 1:1", "0 2:abc")) == "bad.txt line 2: cannot parse value 'abc' of index 2")
    assert(loadError(Seq("1 1:1", "0 a:1")) == "bad.txt line 2: cannot parse index 'a' in 'a:1'")
    assert(loadError(Seq("1 1:1", "0 2")) ==
      "bad.txt line 2: cannot parse feature '2' (expected index:value)")
    assert(loadError(Seq("1 1:1", "0 5:1"), numFeatures = 4) ==
      "bad.txt line 2: feature index 5 > numFeatures 4 (indices are 1-based)")
  }

  test("the wrong number of labels, no rows, an unknown test label and a missing file are errors") {
    val three = loadError(Seq("0 1:1", "1 1:1", "2 1:1", "1 2:1"))
    assert(three.startsWith("expected 2 distinct labels in ") && three.endsWith("bad.txt, found 3: 0, 1, 2"))
    val one = loadError(Seq("1 1:1", "1 2:1"))
    assert(one.endsWith("found 1: 1"))
    val empty = loadError(Seq("", "# nothing"))
    assert(empty.startsWith("no rows in ") && empty.endsWith("bad.txt"))
    withTempDir { dir =>
      val train = write(dir, "train.txt", Seq("1 1:1", "-1 2:1"))
      val test = write(dir, "test.txt", Seq("1 1:1", "", "3 2:1"))
      val e = intercept[DataValidationException](
        load(DataSpec.libsvm(train.getPath, 0).withTestPath(test.getPath)))
      assert(e.getMessage ==
        "test.txt line 3: label 3 is not one of the training labels (-1 -> 0, +1 -> 1)")
      val missing = intercept[DataValidationException](
        load(DataSpec.libsvm(new File(dir, "nope.txt").getPath, 0)))
      assert(missing.getMessage.startsWith("cannot read ") && missing.getMessage.contains("nope.txt"))
    }
  }

  test("line numbers are exact when a file spans many splits") {
    val conf = jsc.hadoopConfiguration
    val key = "mapreduce.input.fileinputformat.split.maxsize"
    val saved = Option(conf.get(key))
    withTempDir { dir =>
      val good = (1 to 3000).map(i => s"${i % 2} ${1 + i % 7}:${i * 0.5} 9:1")
      val bad = good.updated(2499, "1 3:1 2:1")
      val goodFile = write(dir, "good.txt", good)
      val badFile = write(dir, "bad.txt", bad)
      conf.set(key, "4096")
      try {
        val data = load(DataSpec.libsvm(goodFile.getPath, 0))
        assert(data.train.rdd.getNumPartitions > 5)
        assert(data.train.count() == 3000)
        assert(rows(data.train).map(_._2(8)).forall(_ == 1.0))
        val e = intercept[DataValidationException](load(DataSpec.libsvm(badFile.getPath, 0)))
        assert(e.getMessage == "bad.txt line 2500: indices not increasing (2 after 3)")
      } finally {
        saved.fold(conf.unset(key))(conf.set(key, _))
      }
    }
  }

  test("the text source (the Dataset API alone, as over Spark Connect) reads what Hadoop's RDD reads") {
    def viaText(spec: DataSpec): TrainingData = LibSvmSource.loadByTextSource(spark, spec)
    def textError(spec: DataSpec): String = intercept[DataValidationException](viaText(spec)).getMessage
    val key = "spark.sql.files.maxPartitionBytes"
    val saved = spark.conf.getOption(key)
    withTempDir { dir =>
      val good = (1 to 3000).map(i => s"${if (i % 3 == 0) "+1" else "-1"} ${1 + i % 7}:${i * 0.5} 9:1  # c$i")
        .updated(10, "").updated(2000, "# a comment line")
      val goodFile = write(dir, "good.txt", good)
      val badFile = write(dir, "bad.txt", good.updated(2499, "1 3:1 2:1"))
      val plain = load(DataSpec.libsvm(goodFile.getPath, 0))
      spark.conf.set(key, "4096") // about 20 splits of good.txt
      try {
        val text = viaText(DataSpec.libsvm(goodFile.getPath, 0))
        assert(text.train.rdd.getNumPartitions > 5)
        assert(text.numFeatures == plain.numFeatures && text.labels.describe == plain.labels.describe)
        assert(text.description == plain.description)
        assert(rows(text.train) == rows(plain.train)) // the same rows in the same order
        assert(rows(text.train).size == 2998)
        assert(textError(DataSpec.libsvm(badFile.getPath, 0)) == "bad.txt line 2500: indices not increasing (2 after 3)")
        val split = DataSpec.libsvm(goodFile.getPath, 0).withTestPath(badFile.getPath)
        assert(textError(split) == intercept[DataValidationException](load(split)).getMessage)
      } finally {
        saved.fold(spark.conf.unset(key))(spark.conf.set(key, _))
      }
      val bad = writeBz2(dir, "b.txt.bz2", Seq("1 1:1", "0 2:1", "1 2:1 4:nan"))
      writeBz2(dir, "c.txt.bz2", good.take(100).updated(41, "-1 3:1 3:2"))
      assert(textError(DataSpec.libsvm(new File(dir, "c.txt.bz2").getPath, 0)) ==
        "c.txt.bz2 line 42: indices not increasing (3 after 3)")
      assert(textError(DataSpec.libsvm(bad.getPath, 0)) == "b.txt.bz2 line 3: value 'nan' of index 4 is not finite")
      val missing = textError(DataSpec.libsvm(new File(dir, "nope.txt").getPath, 0))
      assert(missing.startsWith("cannot read ") && missing.contains("nope.txt"), missing)
      val withTest = DataSpec.libsvm(goodFile.getPath, 0).withTestPath(write(dir, "t.txt", Seq("1 1:1", "", "3 2:1")).getPath)
      assert(textError(withTest) == "t.txt line 3: label 3 is not one of the training labels (-1 -> 0, +1 -> 1)")
    }
  }

  test("a bzip2 file parses exactly as the plain file") {
    withTempDir { dir =>
      val lines = (1 to 500).map(i => s"${if (i % 3 == 0) "+1" else "-1"} ${1 + i % 11}:${i / 7.0} ${13 + i % 5}:1.25 ")
      val plain = load(DataSpec.libsvm(write(dir, "d.txt", lines).getPath, 0))
      val packed = load(DataSpec.libsvm(writeBz2(dir, "d.txt.bz2", lines).getPath, 0))
      assert(packed.numFeatures == plain.numFeatures)
      assert(packed.labels.describe == plain.labels.describe)
      assert(rows(packed.train) == rows(plain.train))
      assert(rows(plain.train).size == 500)
      val bad = lines.updated(41, "-1 3:1 3:2")
      val e = intercept[DataValidationException](
        load(DataSpec.libsvm(writeBz2(dir, "bad.txt.bz2", bad).getPath, 0)))
      assert(e.getMessage == "bad.txt.bz2 line 42: indices not increasing (3 after 3)")
    }
  }

  test("testFraction splits the rows with a seed") {
    withTempDir { dir =>
      val f = write(dir, "s.txt", (1 to 400).map(i => s"${i % 2} ${1 + i % 4}:$i"))
      val s = spec(f.getPath, "libsvm", testFraction = 0.25, seed = 5L)
      val a = load(s)
      val b = load(s)
      val (train, test) = (rows(a.train), rows(a.test.get))
      assert(train.size + test.size == 400)
      assert(test.size > 60 && test.size < 140)
      assert(rows(b.test.get) == test)
    }
  }

  test("multiclass labels {3, 1, 7} map to 1 -> 0, 3 -> 1, 7 -> 2 (auto and multiclass)") {
    withTempDir { dir =>
      val f = write(dir, "m.txt", Seq("3 1:1", "1 2:1", "7 1:2", "", "3 3:1"))
      for (kind <- Seq(LabelKind.AUTO, LabelKind.MULTICLASS)) {
        val data = load(DataSpec.libsvm(f.getPath, 0).withLabels(kind, 1000))
        assert(data.labels.kind == LabelKind.MULTICLASS)
        assert(data.labels.numClasses == 3)
        assert(data.labels.describe == "1 -> 0, 3 -> 1, 7 -> 2")
        assert(data.description.contains("labels 1 -> 0, 3 -> 1, 7 -> 2"))
        assert(rows(data.train).map(_._1) == Seq(1.0, 0.0, 2.0, 1.0))
      }
      val two = write(dir, "two.txt", Seq("+1 1:1", "-1 2:1"))
      assert(load(DataSpec.libsvm(two.getPath, 0)).labels.kind == LabelKind.BINARY)
      val forced = load(DataSpec.libsvm(two.getPath, 0).withLabels(LabelKind.MULTICLASS, 2))
      assert(forced.labels.kind == LabelKind.MULTICLASS)
      assert(rows(forced.train).map(_._1) == Seq(1.0, 0.0))
    }
  }

  test("multiclass errors: more than maxClasses, one label, a positive label, an unseen test class") {
    val many = (1 to 8).map(i => s"$i 1:1")
    withTempDir { dir =>
      val f = write(dir, "many.txt", many)
      val e = intercept[DataValidationException](
        load(DataSpec.libsvm(f.getPath, 0).withLabels(LabelKind.MULTICLASS, 5)))
      assert(e.getMessage ==
        s"found more than 5 distinct labels in ${f.getPath} (model.maxClasses = 5): 1, 2, 3, 4, 5, 6")
      assert(load(DataSpec.libsvm(f.getPath, 0).withLabels(LabelKind.MULTICLASS, 8)).labels.numClasses == 8)
      val p = intercept[DataValidationException](
        load(spec(f.getPath, "libsvm", positiveLabel = Some("2"))))
      assert(p.getMessage == s"positiveLabel '2' applies to binary labels only, but ${f.getPath} " +
        "has 8 distinct labels: 1, 2, 3, 4, 5, 6, 7, 8")
      val train = write(dir, "train.txt", Seq("1 1:1", "2 1:1", "3 1:1"))
      val test = write(dir, "test.txt", Seq("2 1:1", "4 1:1", "1 1:1"))
      val u = intercept[DataValidationException](
        load(DataSpec.libsvm(train.getPath, 0).withTestPath(test.getPath)))
      assert(u.getMessage ==
        "test.txt line 2: label 4 is not one of the training labels (1 -> 0, 2 -> 1, 3 -> 2)")
    }
    assert(loadError(Seq("2 1:1", "2 2:1"), kind = LabelKind.MULTICLASS).matches(
      "expected at least 2 distinct labels in .*bad.txt, found 1: 2"))
  }

  test("30 classes over 1200 rows, in few splits and in many, map by sorted raw value") {
    val conf = jsc.hadoopConfiguration
    val key = "mapreduce.input.fileinputformat.split.maxsize"
    val saved = Option(conf.get(key))
    // Row i has class (7 i) mod 30 (7 is prime to 30, so the first occurrences are not sorted)
    // and raw label 10 class - 100; feature 1 holds i + 1, to find the row again.
    def classOf(i: Int): Int = 7 * i % 30
    withTempDir { dir =>
      val f = write(dir, "c30.txt", (0 until 1200).map(i => s"${10 * classOf(i) - 100} 1:${i + 1} 2:0.5"))
      try {
        for (splitSize <- Seq(None, Some("2048"))) {
          splitSize.foreach(conf.set(key, _))
          val data = load(DataSpec.libsvm(f.getPath, 0).withLabels(LabelKind.MULTICLASS, 30))
          assert(splitSize.isEmpty || data.train.rdd.getNumPartitions > 5)
          assert(data.labels.numClasses == 30)
          assert(data.labels.describe == "-100 -> 0, -90 -> 1, -80 -> 2, -70 -> 3, -60 -> 4, " +
            "-50 -> 5, -40 -> 6, -30 -> 7, -20 -> 8, -10 -> 9, ..., +190 -> 29")
          assert((0 until 30).map(data.labels.classValue) == (0 until 30).map(c => 10.0 * c - 100))
          val got = rows(data.train)
          assert(got.map(r => (r._2(0).toInt - 1, r._1)) == (0 until 1200).map(i => (i, classOf(i).toDouble)))
          val e = intercept[DataValidationException](
            load(DataSpec.libsvm(f.getPath, 0).withLabels(LabelKind.MULTICLASS, 29)))
          assert(e.getMessage.startsWith(s"found more than 29 distinct labels in ${f.getPath}"))
        }
      } finally {
        saved.fold(conf.unset(key))(conf.set(key, _))
      }
    }
  }

  test("real targets pass through exactly; non-finite ones name file and line") {
    val targets = Seq("2.5", "-1e-300", "0", "1e300", "-7", "0.1")
    withTempDir { dir =>
      val f = write(dir, "r.txt", targets.map(t => s"$t 1:1"))
      val test = write(dir, "t.txt", Seq("99.5 2:1"))
      val data = load(DataSpec.libsvm(f.getPath, 0).withLabels(LabelKind.REAL, 1000)
        .withTestPath(test.getPath))
      assert(data.labels.kind == LabelKind.REAL)
      assert(data.labels.describe == "real-valued targets")
      assert(rows(data.train).map(_._1) == targets.map(_.toDouble))
      assert(rows(data.test.get).map(_._1) == Seq(99.5))
    }
    assert(loadError(Seq("1 1:1", "2.5 1:1", "NaN 2:1"), kind = LabelKind.REAL) ==
      "bad.txt line 3: label 'NaN' is not finite")
    assert(loadError(Seq("1 1:1", "Infinity 1:1"), kind = LabelKind.REAL) ==
      "bad.txt line 2: label 'Infinity' is not finite")
    val p = intercept[DataValidationException](
      spec("r.txt", "libsvm", positiveLabel = Some("1"), labelKind = LabelKind.REAL))
    assert(p.getMessage == "positiveLabel '1' applies to binary labels only, not to real-valued targets")
  }

  test("a9a from ../shared/data: 32561 rows, 123 features, -1/+1 -> 0/1") {
    val a9a = new File(System.getProperty("user.dir"), "../shared/data/a9a.bz2")
    assume(a9a.isFile, s"$a9a not present")
    val data = load(DataSpec.libsvm(a9a.getPath, 123))
    assert(data.numFeatures == 123)
    assert(data.labels.describe == "-1 -> 0, +1 -> 1")
    assert(data.train.count() == 32561)
    // 7841 of the 32561 Adult training rows earn >50K (UCI adult.names).
    assert(data.train.where("label = 1.0").count() == 7841)
  }

  test("news20.multiclass from ../shared/data: 15935 rows, classes 1..20 -> 0..19, as Spark's reader counts them") {
    val news20 = new File(System.getProperty("user.dir"), "../shared/data/news20.multiclass.bz2")
    assume(news20.isFile, s"$news20 not present")
    val data = load(DataSpec.libsvm(news20.getPath, 62061))
    assert(data.labels.kind == LabelKind.MULTICLASS)
    assert(data.labels.describe ==
      "1 -> 0, 2 -> 1, 3 -> 2, 4 -> 3, 5 -> 4, 6 -> 5, 7 -> 6, 8 -> 7, 9 -> 8, 10 -> 9, ..., 20 -> 19")
    val ours = data.train.groupBy("label").count().collect()
      .map(r => (r.getDouble(0) + 1, r.getLong(1))).toMap
    // Spark MLlib's own libsvm reader, independently: rows per raw label.
    val sparks = spark.read.format("libsvm").option("numFeatures", "62061").load(news20.getPath)
      .groupBy("label").count().collect().map(r => (r.getDouble(0), r.getLong(1))).toMap
    assert(ours.values.sum == 15935)
    assert(ours == sparks)
  }
}
