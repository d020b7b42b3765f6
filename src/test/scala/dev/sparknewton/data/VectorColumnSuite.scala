package dev.sparknewton.data

import dev.sparknewton.SharedSpark
import dev.sparknewton.data.DataFiles._
import java.io.File
import org.apache.spark.ml.linalg.{SQLDataTypes, Vector => MlVector, Vectors => MlVectors}
import org.apache.spark.sql.{Dataset, Row}
import org.apache.spark.sql.types.{DataTypes, StructType}
import org.scalatest.funsuite.AnyFunSuite

class VectorColumnSuite extends AnyFunSuite with SharedSpark {

  private val schema = new StructType()
    .add("label", DataTypes.DoubleType)
    .add("features", SQLDataTypes.VectorType)
    .add("w", DataTypes.DoubleType)

  private def frame(rows: Seq[(Double, MlVector, Double)]): Dataset[Row] =
    spark.createDataFrame(jsc.parallelize(
      java.util.Arrays.asList(rows.map { case (l, v, w) => Row(l, v, w) }: _*), 1), schema)

  private val good = Seq(
    (-1.0, MlVectors.dense(1.0, 0.0, 2.0), 1.0),
    (1.0, MlVectors.sparse(3, Array(1), Array(3.0)), 0.5),
    (1.0, MlVectors.dense(0.0, 4.0, 0.0), 2.0))

  private def writeParquet(dir: File, name: String, rows: Seq[(Double, MlVector, Double)]): String = {
    val path = new File(dir, name).getPath
    frame(rows).coalesce(1).write.parquet(path)
    path
  }

  private def rows(df: Dataset[Row]): Seq[(Double, MlVector, Double)] =
    df.collect().toSeq.map(r => (r.getDouble(0), r.getAs[MlVector](1), r.getDouble(2)))

  private def load(s: DataSpec): TrainingData = DataLoader.load(spark, s)

  test("parquet with a Vector column: size inferred, labels mapped, weights read") {
    withTempDir { dir =>
      val path = writeParquet(dir, "good", good)
      val data = load(spec(path, "parquet", weightCol = Some("w")))
      assert(data.numFeatures == 3)
      assert(data.labels.describe == "-1 -> 0, +1 -> 1")
      assert(rows(data.train) == good.map { case (l, v, w) => ((l + 1) / 2, v, w) })
      val unweighted = load(spec(path, "parquet", numFeatures = 3))
      assert(rows(unweighted.train).map(_._3) == Seq(1.0, 1.0, 1.0))
    }
  }

  test("row errors name the parquet file, the 1-based row and the value") {
    withTempDir { dir =>
      val nan = writeParquet(dir, "nan", good :+ ((1.0, MlVectors.sparse(3, Array(0, 2), Array(1.0, Double.NaN)), 1.0)))
      val e = intercept[DataValidationException](load(spec(nan, "parquet")))
      assert(e.getMessage.matches("part-.*\\.parquet row 4: 'features' value NaN at index 2 is not finite \\(1 bad rows in all\\)"),
        e.getMessage)
      val negative = writeParquet(dir, "neg", good.updated(1, (1.0, MlVectors.dense(1, 2, 3), -0.5)))
      val w = intercept[DataValidationException](load(spec(negative, "parquet", weightCol = Some("w"))))
      assert(w.getMessage.matches("part-.*\\.parquet row 2: weight 'w' value -0.5 is negative.*"), w.getMessage)
      val infinite = writeParquet(dir, "inf", good.updated(2, (1.0, MlVectors.dense(1, 2, 3), Double.PositiveInfinity)))
      val i = intercept[DataValidationException](load(spec(infinite, "parquet", weightCol = Some("w"))))
      assert(i.getMessage.matches("part-.*\\.parquet row 3: weight 'w' value Infinity is not finite.*"), i.getMessage)
      val sizes = intercept[DataValidationException](load(spec(writeParquet(dir, "good", good), "parquet", numFeatures = 4)))
      assert(sizes.getMessage.matches("part-.*\\.parquet row 1: 'features' has size 3, expected 4.*"), sizes.getMessage)
      val mixed = writeParquet(dir, "mixed", good :+ ((1.0, MlVectors.dense(1, 2), 1.0)))
      val m = intercept[DataValidationException](load(spec(mixed, "parquet")))
      assert(m.getMessage.startsWith("features in ") && m.getMessage.endsWith("mixed have different sizes, from 2 to 3"))
    }
  }

  test("columns, types, labels and test labels are checked") {
    withTempDir { dir =>
      val path = writeParquet(dir, "good", good)
      val missing = intercept[DataValidationException](load(spec(path, "parquet", featuresCol = "x")))
      assert(missing.getMessage.startsWith("features column 'x' not found in ") &&
        missing.getMessage.endsWith("; available: label, features, w"))
      val notVector = intercept[DataValidationException](load(spec(path, "parquet", featuresCol = "w")))
      assert(notVector.getMessage.contains("features column 'w' in ") &&
        notVector.getMessage.endsWith("is double, expected an org.apache.spark.ml.linalg.Vector"))
      val three = writeParquet(dir, "three", good :+ ((0.0, MlVectors.dense(1, 1, 1), 1.0)))
      val t = intercept[DataValidationException](load(spec(three, "parquet", labelKind = LabelKind.BINARY)))
      assert(t.getMessage.endsWith("three, found 3: -1, 0, +1"))
      val other = writeParquet(dir, "other", Seq((-1.0, MlVectors.dense(1, 1, 1), 1.0), (2.0, MlVectors.dense(1, 1, 1), 1.0)))
      val u = intercept[DataValidationException](load(spec(path, "parquet", testPath = Some(other))))
      assert(u.getMessage.endsWith("other has label '2.0', not one of the training labels (-1 -> 0, +1 -> 1)"))
      val absent = intercept[DataValidationException](load(spec(new File(dir, "absent").getPath, "parquet")))
      assert(absent.getMessage.startsWith("cannot read ") && absent.getMessage.contains("absent"))
    }
  }

  test("multiclass labels {3, 1, 7} map to 1 -> 0, 3 -> 1, 7 -> 2; an unseen test class is an error") {
    withTempDir { dir =>
      val multi = good.map(_._2).zip(Seq(3.0, 1.0, 7.0)).map { case (v, l) => (l, v, 1.0) } :+
        ((3.0, MlVectors.dense(0, 0, 1), 1.0))
      val path = writeParquet(dir, "multi", multi)
      val data = load(spec(path, "parquet"))
      assert(data.labels.kind == LabelKind.MULTICLASS)
      assert(data.labels.describe == "1 -> 0, 3 -> 1, 7 -> 2")
      assert(rows(data.train).map(_._1) == Seq(1.0, 0.0, 2.0, 1.0))
      assert(rows(data.train).map(_._2) == multi.map(_._2))
      val other = writeParquet(dir, "other", Seq((7.0, MlVectors.dense(1, 1, 1), 1.0), (5.0, MlVectors.dense(1, 1, 1), 1.0)))
      val u = intercept[DataValidationException](load(spec(path, "parquet", testPath = Some(other))))
      assert(u.getMessage.endsWith("other has label '5.0', not one of the training labels (1 -> 0, 3 -> 1, 7 -> 2)"))
      val p = intercept[DataValidationException](load(spec(path, "parquet", positiveLabel = Some("7"))))
      assert(p.getMessage.startsWith("positiveLabel '7' applies to binary labels only, but ") &&
        p.getMessage.endsWith("multi has 3 distinct labels: 1, 3, 7"))
    }
  }

  test("1000 classes map by sorted raw value; 1001 are more than maxClasses") {
    // Row i has class 7919 i mod 1000 (7919 is prime to 1000) and raw label class / 2 - 100.
    def classOf(i: Int): Int = (7919L * i % 1000).toInt
    def view(name: String, n: Int, raw: Int => Double): Unit =
      frame((0 until n).map(i => (raw(i), MlVectors.dense(i.toDouble, 1.0), 1.0))).createOrReplaceTempView(name)
    view("vector_column_many", 3000, i => classOf(i) / 2.0 - 100)
    view("vector_column_many_test", 500, i => classOf(3 * i) / 2.0 - 100)
    view("vector_column_many_unseen", 500, i => if (i == 321) 1000.0 else classOf(i) / 2.0 - 100)
    view("vector_column_too_many", 1001, i => i.toDouble)
    try {
      val data = load(spec("vector_column_many", "table", testPath = Some("vector_column_many_test")))
      assert(data.labels.kind == LabelKind.MULTICLASS && data.labels.numClasses == 1000)
      assert(data.labels.describe.startsWith("-100 -> 0, -99.5 -> 1, -99 -> 2,") &&
        data.labels.describe.endsWith(", ..., +399.5 -> 999"))
      assert(rows(data.train).map(r => (r._2(0).toInt, r._1)).sorted ==
        (0 until 3000).map(i => (i, classOf(i).toDouble)))
      assert(rows(data.test.get).map(r => (r._2(0).toInt, r._1)).sorted ==
        (0 until 500).map(i => (i, classOf(3 * i).toDouble)))
      val u = intercept[DataValidationException](
        load(spec("vector_column_many", "table", testPath = Some("vector_column_many_unseen"))))
      assert(u.getMessage.startsWith("test data vector_column_many_unseen has label '1000.0', not one"))
      val e = intercept[DataValidationException](load(spec("vector_column_too_many", "table")))
      assert(e.getMessage.startsWith(
        "found more than 1000 distinct labels in vector_column_too_many (model.maxClasses = 1000): "))
      assert(e.getMessage.endsWith(", ...") && !e.getMessage.contains("\n"))
    } finally {
      Seq("vector_column_many", "vector_column_many_test", "vector_column_many_unseen",
        "vector_column_too_many").foreach(spark.catalog.dropTempView)
    }
  }

  test("real targets pass through exactly; a NaN target names file and row; strings are rejected") {
    withTempDir { dir =>
      val targets = Seq(0.1, -3.25, 1e-300)
      val path = writeParquet(dir, "real", good.zip(targets).map { case ((_, v, w), t) => (t, v, w) })
      val data = load(spec(path, "parquet", labelKind = LabelKind.REAL))
      assert(data.labels.kind == LabelKind.REAL)
      assert(rows(data.train).map(_._1) == targets)
      val nan = writeParquet(dir, "nan", good.updated(2, (Double.NaN, MlVectors.dense(1, 2, 3), 1.0)))
      val e = intercept[DataValidationException](load(spec(nan, "parquet", labelKind = LabelKind.REAL)))
      assert(e.getMessage.matches("part-.*\\.parquet row 3: label 'label' value NaN is not finite \\(1 bad rows in all\\)"),
        e.getMessage)
      val strings = new File(dir, "strings").getPath
      spark.createDataFrame(jsc.parallelize(java.util.Arrays.asList(Row("a", MlVectors.dense(1.0))), 1),
        new StructType().add("y", DataTypes.StringType).add("features", SQLDataTypes.VectorType))
        .write.parquet(strings)
      val s = intercept[DataValidationException](
        load(spec(strings, "parquet", labelCol = "y", labelKind = LabelKind.REAL)))
      assert(s.getMessage == s"label column 'y' in $strings is string, but model.type = least-squares needs numeric labels")
    }
  }

  test("a catalog table (here a temporary view) with a test split") {
    val rows200 = (0 until 200).map(i => ((i % 2).toDouble, MlVectors.dense(i.toDouble, 1.0), 1.0))
    frame(rows200).createOrReplaceTempView("vector_column_suite")
    try {
      val data = load(spec("vector_column_suite", "table", testFraction = 0.3, seed = 3L))
      assert(data.numFeatures == 2)
      val (train, test) = (rows(data.train), rows(data.test.get))
      assert(train.size + test.size == 200)
      assert((train ++ test).map(_._2(0)).sorted == (0 until 200).map(_.toDouble))
      frame(rows200.updated(7, (1.0, MlVectors.dense(Double.NaN, 1.0), 1.0)))
        .createOrReplaceTempView("vector_column_suite")
      val e = intercept[DataValidationException](load(spec("vector_column_suite", "table")))
      assert(e.getMessage == "vector_column_suite: 'features' value NaN at index 0 is not finite (1 bad rows in all)")
    } finally {
      spark.catalog.dropTempView("vector_column_suite")
    }
  }
}
