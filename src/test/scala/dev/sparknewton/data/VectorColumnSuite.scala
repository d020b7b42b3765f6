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
      val t = intercept[DataValidationException](load(spec(three, "parquet")))
      assert(t.getMessage.endsWith("three, found 3: -1, 0, +1"))
      val other = writeParquet(dir, "other", Seq((-1.0, MlVectors.dense(1, 1, 1), 1.0), (2.0, MlVectors.dense(1, 1, 1), 1.0)))
      val u = intercept[DataValidationException](load(spec(path, "parquet", testPath = Some(other))))
      assert(u.getMessage.endsWith("other has label '2.0', not one of the training labels (-1 -> 0, +1 -> 1)"))
      val absent = intercept[DataValidationException](load(spec(new File(dir, "absent").getPath, "parquet")))
      assert(absent.getMessage.startsWith("cannot read ") && absent.getMessage.contains("absent"))
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
