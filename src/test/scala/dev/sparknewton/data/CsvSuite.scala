package dev.sparknewton.data

import dev.sparknewton.SharedSpark
import dev.sparknewton.data.DataFiles._
import org.apache.spark.ml.linalg.{Vector => MlVector}
import org.apache.spark.sql.{Dataset, Row}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._

class CsvSuite extends AnyFunSuite with SharedSpark {

  private def rows(df: Dataset[Row]): Seq[(Double, Seq[Double], Double)] =
    df.collect().toSeq.map(r => (r.getDouble(0), r.getAs[MlVector](1).toArray.toSeq, r.getDouble(2)))

  private def load(s: DataSpec): TrainingData = DataLoader.load(spark, s)

  private def error(lines: Seq[String], label: String = "y", weight: Option[String] = None,
      kind: LabelKind = LabelKind.BINARY, maxClasses: Int = 1000): String =
    withTempDir { dir =>
      val f = write(dir, "bad.csv", lines)
      intercept[DataValidationException](load(spec(f.getPath, "csv", labelCol = label,
        weightCol = weight, labelKind = kind, maxClasses = maxClasses))).getMessage
    }

  // job: admin 3, tech 2 -> levels [admin, tech], dropLast keeps "job=admin".
  // city: paris 3, london 1, rome 1 (ties alphabetical) -> [paris, london, rome], keeps two.
  private val table = Seq(
    "age,job,city,y",
    "30,admin,paris,no",
    "40,tech,london,yes",
    "50,admin,paris,yes",
    "60,admin,rome,no",
    "70,tech,paris,no")

  test("numeric columns pass through, string columns are one-hot encoded with the last level dropped") {
    withTempDir { dir =>
      val f = write(dir, "t.csv", table)
      val data = load(spec(f.getPath, "csv", labelCol = "y"))
      assert(data.featureNames.asScala == Seq("age", "job=admin", "city=paris", "city=london"))
      assert(data.numFeatures == 4)
      assert(data.labels.describe == "no -> 0, yes -> 1")
      assert(rows(data.train) == Seq(
        (0.0, Seq(30.0, 1.0, 1.0, 0.0), 1.0),
        (1.0, Seq(40.0, 0.0, 0.0, 1.0), 1.0),
        (1.0, Seq(50.0, 1.0, 1.0, 0.0), 1.0),
        (0.0, Seq(60.0, 1.0, 0.0, 0.0), 1.0),
        (0.0, Seq(70.0, 0.0, 1.0, 0.0), 1.0)))
    }
  }

  test("test data is encoded with the training levels; unseen categories are all-zero") {
    withTempDir { dir =>
      val train = write(dir, "train.csv", table)
      val test = write(dir, "test.csv", Seq(
        "age,job,city,y", "35,tech,berlin,yes", "45,chef,london,no", "55,admin,paris,no"))
      val data = load(spec(train.getPath, "csv", labelCol = "y", testPath = Some(test.getPath)))
      assert(rows(data.test.get) == Seq(
        (1.0, Seq(35.0, 0.0, 0.0, 0.0), 1.0),
        (0.0, Seq(45.0, 0.0, 0.0, 1.0), 1.0),
        (0.0, Seq(55.0, 1.0, 1.0, 0.0), 1.0)))
    }
  }

  test("numeric labels, a weight column, a delimiter and an explicit positive label") {
    withTempDir { dir =>
      val f = write(dir, "w.csv", Seq("x;label;w", "1.5;2;0.5", "-2;1;2", "3;2;0"))
      val data = load(spec(f.getPath, "csv", weightCol = Some("w"), delimiter = ";"))
      assert(data.labels.describe == "1 -> 0, 2 -> 1")
      assert(rows(data.train) == Seq((1.0, Seq(1.5), 0.5), (0.0, Seq(-2.0), 2.0), (1.0, Seq(3.0), 0.0)))
      val reversed = load(spec(f.getPath, "csv", weightCol = Some("w"), delimiter = ";",
        positiveLabel = Some("1")))
      assert(reversed.labels.describe == "2 -> 0, 1 -> 1")
      assert(rows(reversed.train).map(_._1) == Seq(0.0, 1.0, 0.0))
    }
  }

  test("row errors name the file, the 1-based line (header = 1), the column and the value") {
    assert(error(Seq("a,b,y", "1,2,0", "", "3,NaN,1", "4,5,1")) ==
      "bad.csv line 4: column 'b' value NaN is not finite (1 bad rows in all)")
    assert(error(Seq("a,b,y", "1,2,0", "3,,1", "4,,1")) ==
      "bad.csv line 3: column 'b' is empty or not a number (2 bad rows in all)")
    assert(error(Seq("a,w,y", "1,2,0", "3,1,1", "4,-1,1"), weight = Some("w")) ==
      "bad.csv line 4: weight 'w' value -1 is negative (1 bad rows in all)")
    assert(error(Seq("a,c,y", "1,u,0", "3,,1")) ==
      "bad.csv line 3: column 'c' is empty (1 bad rows in all)")
    assert(error(Seq("a,y", "1,0", "3,")) ==
      "bad.csv line 3: label 'y' is empty or not a number (1 bad rows in all)")
  }

  test("labels, columns, rows and formats are checked") {
    val three = error(Seq("a,y", "1,0", "2,1", "3,2"))
    assert(three.startsWith("expected 2 distinct labels in ") && three.endsWith("bad.csv, found 3: 0, 1, 2"))
    val strings = error(Seq("a,y", "1,x", "2,z", "3,x", "4,w"))
    assert(strings.endsWith("found 3: w, x, z"))
    val missing = error(Seq("a,b,c", "1,2,3"), label = "target")
    assert(missing.startsWith("label column 'target' not found in ") && missing.endsWith("; available: a, b, c"))
    val noWeight = error(Seq("a,y", "1,0"), weight = Some("w"))
    assert(noWeight.startsWith("weight column 'w' not found in ") && noWeight.endsWith("; available: a, y"))
    val empty = error(Seq("a,y"))
    assert(empty.startsWith("no rows in ") && empty.endsWith("bad.csv"))
    val format = intercept[DataValidationException](load(spec("x", "arff")))
    assert(format.getMessage == "unknown data format 'arff'; expected one of libsvm, parquet, csv, table, embedded, idx")
    withTempDir { dir =>
      val train = write(dir, "train.csv", table)
      val test = write(dir, "test.csv", Seq("age,job,city,y", "35,tech,berlin,maybe"))
      val e = intercept[DataValidationException](
        load(spec(train.getPath, "csv", labelCol = "y", testPath = Some(test.getPath))))
      assert(e.getMessage.startsWith("test data ") &&
        e.getMessage.endsWith("test.csv has label 'maybe', not one of the training labels (no -> 0, yes -> 1)"))
      val wrongHeader = write(dir, "other.csv", Seq("age,city,job,y", "35,paris,tech,yes"))
      val h = intercept[DataValidationException](
        load(spec(train.getPath, "csv", labelCol = "y", testPath = Some(wrongHeader.getPath))))
      assert(h.getMessage.contains("(age, city, job, y) differ from the training columns (age, job, city, y)"))
    }
  }

  test("string classes are sorted as strings, numeric ones as numbers; auto picks by count") {
    withTempDir { dir =>
      val iris = write(dir, "iris.csv", Seq("x,y", "1,versicolor", "2,setosa", "3,virginica", "4,setosa"))
      for (kind <- Seq(LabelKind.AUTO, LabelKind.MULTICLASS)) {
        val data = load(spec(iris.getPath, "csv", labelCol = "y", labelKind = kind))
        assert(data.labels.kind == LabelKind.MULTICLASS && !data.labels.isNumeric)
        assert(data.labels.describe == "setosa -> 0, versicolor -> 1, virginica -> 2")
        assert(rows(data.train).map(_._1) == Seq(1.0, 0.0, 2.0, 0.0))
      }
      val numbers = write(dir, "n.csv", Seq("x,y", "1,10", "2,9", "3,2", "4,9"))
      val n = load(spec(numbers.getPath, "csv", labelCol = "y"))
      assert(n.labels.describe == "2 -> 0, 9 -> 1, 10 -> 2")
      assert(rows(n.train).map(_._1) == Seq(2.0, 1.0, 0.0, 1.0))
      val two = write(dir, "two.csv", Seq("x,y", "1,b", "2,a"))
      val binary = load(spec(two.getPath, "csv", labelCol = "y"))
      assert(binary.labels.kind == LabelKind.BINARY && binary.labels.describe == "a -> 0, b -> 1")
    }
  }

  test("multiclass errors: an unseen test class, more than maxClasses, a positive label") {
    withTempDir { dir =>
      val train = write(dir, "train.csv", Seq("x,y", "1,red", "2,green", "3,blue"))
      val test = write(dir, "test.csv", Seq("x,y", "1,green", "2,pink"))
      val e = intercept[DataValidationException](
        load(spec(train.getPath, "csv", labelCol = "y", testPath = Some(test.getPath))))
      assert(e.getMessage.startsWith("test data ") && e.getMessage.endsWith(
        "test.csv has label 'pink', not one of the training labels (blue -> 0, green -> 1, red -> 2)"))
      val p = intercept[DataValidationException](
        load(spec(train.getPath, "csv", labelCol = "y", positiveLabel = Some("red"))))
      assert(p.getMessage.startsWith("positiveLabel 'red' applies to binary labels only, but ") &&
        p.getMessage.endsWith("train.csv has 3 distinct labels: blue, green, red"))
    }
    val many = error(Seq("a,y", "1,d", "2,c", "3,b", "4,a"), kind = LabelKind.MULTICLASS, maxClasses = 3)
    assert(many.matches("found more than 3 distinct labels in .*bad\\.csv \\(model\\.maxClasses = 3\\): a, b, c, d"),
      many)
  }

  test("real targets pass through exactly; NaN and string targets are errors") {
    withTempDir { dir =>
      val f = write(dir, "r.csv", Seq("x,y", "1,1.5", "2,-2", "3,3e2", "4,0.1"))
      val data = load(spec(f.getPath, "csv", labelCol = "y", labelKind = LabelKind.REAL))
      assert(data.labels.kind == LabelKind.REAL)
      assert(rows(data.train).map(_._1) == Seq(1.5, -2.0, 300.0, 0.1))
    }
    assert(error(Seq("a,y", "1,0.5", "2,NaN", "3,1"), kind = LabelKind.REAL) ==
      "bad.csv line 3: label 'y' value NaN is not finite (1 bad rows in all)")
    val strings = error(Seq("a,y", "1,no", "2,yes"), kind = LabelKind.REAL)
    assert(strings.startsWith("label column 'y' in ") && strings.endsWith(
      "bad.csv is string, but model.type = least-squares needs numeric labels"), strings)
  }

  test("the embedded bank marketing data: 45211 rows, 42 features, no -> 0, yes -> 1") {
    val data = load(DataSpec.embedded(0.2, 42L))
    // 7 numeric columns + one-hot with one level dropped: job 12, marital 3, education 4,
    // default 2, housing 2, loan 2, contact 3, month 12, poutcome 4 levels -> 35.
    assert(data.numFeatures == 42)
    assert(data.featureNames.size == 42)
    assert(data.featureNames.asScala.take(2) == Seq("age", "job=blue-collar"))
    assert(data.labels.describe == "no -> 0, yes -> 1")
    val train = data.train.count()
    val test = data.test.get.count()
    assert(train + test == 45211)
    assert(test > 0.18 * 45211 && test < 0.22 * 45211)
    // 5289 of the 45211 clients subscribed (UCI bank-full.csv).
    val positives = data.train.where("label = 1.0").count() + data.test.get.where("label = 1.0").count()
    assert(positives == 5289)
    assert(data.train.first().getAs[MlVector](1).size == 42)
    assert(spec("", "embedded", labelCol = "label").effectiveLabelCol == "y")
    assert(spec("", "embedded").effectiveLabelCol == "y")
  }
}
