package dev.sparknewton.data

import java.io.{ByteArrayInputStream, ByteArrayOutputStream, ObjectInputStream, ObjectOutputStream}
import java.util.Optional
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._

class LabelMappingSuite extends AnyFunSuite {

  private def numbers(values: Seq[Double], kind: LabelKind = LabelKind.AUTO, maxClasses: Int = 1000,
      positive: Option[String] = None): LabelMapping =
    LabelMapping.ofNumbers(values.map(Double.box).asJava, kind, maxClasses,
      positive.fold(Optional.empty[String]())(Optional.of(_)), "a.txt")

  private def strings(values: Seq[String], kind: LabelKind = LabelKind.AUTO,
      maxClasses: Int = 1000, positive: Option[String] = None): LabelMapping =
    LabelMapping.ofStrings(values.asJava, kind, maxClasses,
      positive.fold(Optional.empty[String]())(Optional.of(_)), "a.csv")

  private def error(body: => Any): String = {
    val message = intercept[DataValidationException](body).getMessage
    assert(!message.contains("\n"), message)
    message
  }

  private def roundTrip(m: LabelMapping): LabelMapping = {
    val bytes = new ByteArrayOutputStream()
    val out = new ObjectOutputStream(bytes)
    out.writeObject(m)
    out.close()
    new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray)).readObject().asInstanceOf[LabelMapping]
  }

  test("numeric classes are sorted as doubles: {10, 9, 2} -> 2, 9, 10") {
    for (kind <- Seq(LabelKind.AUTO, LabelKind.MULTICLASS)) {
      val m = numbers(Seq(10, 9, 2), kind)
      assert(m.kind == LabelKind.MULTICLASS)
      assert(m.numClasses == 3)
      assert(m.classes.asScala == Seq("2", "9", "10"))
      assert(m.describe == "2 -> 0, 9 -> 1, 10 -> 2")
      assert(Seq(2.0, 9.0, 10.0).map(v => m.map(v)) == Seq(0.0, 1.0, 2.0))
      assert(m.map(9.5).isNaN && m.map(-2.0).isNaN)
      assert((0 until 3).map(m.classValue) == Seq(2.0, 9.0, 10.0))
    }
    val signed = numbers(Seq(1, -1, 0))
    assert(signed.describe == "-1 -> 0, 0 -> 1, +1 -> 2")
    assert(signed.map(-0.0) == 1.0)
  }

  test("string classes are sorted as strings: {9, 10, B, a} -> 10, 9, B, a") {
    val m = strings(Seq("a", "9", "B", "10"))
    assert(m.kind == LabelKind.MULTICLASS && !m.isNumeric)
    assert(m.classes.asScala == Seq("10", "9", "B", "a"))
    assert(Seq("10", "9", "B", "a").map(v => m.map(v)) == Seq(0.0, 1.0, 2.0, 3.0))
    assert(m.map("b").isNaN && m.map(null: String).isNaN)
    assert(m.classValue(0).isNaN)
  }

  test("auto picks binary for two values, as binary does, and multiclass for more") {
    for (kind <- Seq(LabelKind.AUTO, LabelKind.BINARY)) {
      val b = numbers(Seq(1, -1), kind)
      assert(b.kind == LabelKind.BINARY && b.numClasses == 2)
      assert(b.describe == "-1 -> 0, +1 -> 1")
      assert((b.negative, b.positive) == ("-1", "+1"))
      assert((b.negativeValue, b.positiveValue) == (-1.0, 1.0))
      assert(b.classes.asScala == Seq("-1", "+1"))
      val reversed = numbers(Seq(1, -1), kind, positive = Some("-1"))
      assert(reversed.describe == "+1 -> 0, -1 -> 1")
      assert((reversed.map(1.0), reversed.map(-1.0)) == (0.0, 1.0))
      assert(reversed.classValue(1) == -1.0)
      assert(strings(Seq("yes", "no"), kind).describe == "no -> 0, yes -> 1")
    }
    val two = numbers(Seq(1, 2), LabelKind.MULTICLASS)
    assert(two.kind == LabelKind.MULTICLASS && two.describe == "1 -> 0, 2 -> 1")
    assert(intercept[IllegalStateException](numbers(Seq(1, 2, 3)).positive).getMessage ==
      "positive() is defined for binary labels only, not for 1 -> 0, 2 -> 1, 3 -> 2")
  }

  test("-0 and 0 are one label") {
    val m = numbers(Seq(-0.0, 0.0, 1.0))
    assert(m.kind == LabelKind.BINARY && m.describe == "0 -> 0, 1 -> 1")
    assert(m.map(-0.0) == 0.0)
  }

  test("describe lists up to 11 classes, otherwise the first 10 and the last") {
    assert(numbers((1 to 11).map(_.toDouble)).describe == (0 until 11).map(k => s"${k + 1} -> $k").mkString(", "))
    assert(numbers((1 to 20).map(_.toDouble)).describe ==
      "1 -> 0, 2 -> 1, 3 -> 2, 4 -> 3, 5 -> 4, 6 -> 5, 7 -> 6, 8 -> 7, 9 -> 8, 10 -> 9, ..., 20 -> 19")
  }

  test("counts: more than maxClasses, one value, none, and binary as before") {
    assert(numbers((1 to 5).map(_.toDouble), maxClasses = 5).numClasses == 5)
    assert(error(numbers((1 to 6).map(_.toDouble), maxClasses = 5)) ==
      "found more than 5 distinct labels in a.txt (model.maxClasses = 5): 1, 2, 3, 4, 5, 6")
    assert(error(strings((1 to 12).map(i => f"c$i%02d"), LabelKind.MULTICLASS, maxClasses = 11)) ==
      "found more than 11 distinct labels in a.csv (model.maxClasses = 11): " +
        "c01, c02, c03, c04, c05, c06, c07, c08, c09, c10, ...")
    for (kind <- Seq(LabelKind.AUTO, LabelKind.MULTICLASS)) {
      assert(error(numbers(Seq(4), kind)) == "expected at least 2 distinct labels in a.txt, found 1: 4")
    }
    assert(error(numbers(Seq.empty)) == "no rows in a.txt")
    assert(error(numbers(Seq(1, 2, 3), LabelKind.BINARY)) ==
      "expected 2 distinct labels in a.txt, found 3: 1, 2, 3")
    assert(error(numbers((1 to 11).map(_.toDouble), LabelKind.BINARY)) ==
      "expected 2 distinct labels in a.txt, found more than 10: 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, ...")
  }

  test("a positive label is for binary labels only") {
    assert(error(numbers(Seq(1, 2, 3), positive = Some("2"))) ==
      "positiveLabel '2' applies to binary labels only, but a.txt has 3 distinct labels: 1, 2, 3")
    assert(error(strings(Seq("x", "y"), LabelKind.MULTICLASS, positive = Some("y"))) ==
      "positiveLabel 'y' applies to binary labels only, but a.csv has 2 distinct labels: x, y")
    assert(error(numbers(Seq(1, 2), positive = Some("3"))) ==
      "positiveLabel '3' is not one of the labels 1, 2 found in a.txt")
  }

  test("real-valued targets map to themselves") {
    val m = LabelMapping.real()
    assert(m.kind == LabelKind.REAL && m.isNumeric && m.numClasses == 0 && m.classes.isEmpty)
    assert(m.describe == "real-valued targets")
    for (v <- Seq(2.5, -1e-300, 0.0, 1e300, -7.0)) assert(m.map(v) == v)
    assert(m.map("2.5").isNaN)
    assert(intercept[IllegalStateException](m.negative).getMessage.contains("binary labels only"))
    assert(intercept[IllegalArgumentException](numbers(Seq(1, 2), LabelKind.REAL)).getMessage
      .contains("LabelMapping.real()"))
  }

  test("a mapping survives Java serialization, as Spark ships it to tasks") {
    val multi = roundTrip(numbers((0 until 1000).map(k => 0.5 * k - 100)))
    assert(multi.numClasses == 1000 && multi.map(-100.0) == 0.0 && multi.map(399.5) == 999.0)
    assert(roundTrip(strings(Seq("c", "a", "b"))).map("c") == 2.0)
    assert(roundTrip(numbers(Seq(-1, 1))).map(1.0) == 1.0)
    assert(roundTrip(LabelMapping.real()).map(3.25) == 3.25)
  }

  test("how many distinct values a loader collects") {
    assert(LabelMapping.distinctToCollect(LabelKind.BINARY, 1000) == 11)
    assert(LabelMapping.distinctToCollect(LabelKind.AUTO, 1000) == 1001)
    assert(LabelMapping.distinctToCollect(LabelKind.MULTICLASS, 30) == 31)
    assert(LabelMapping.distinctToCollect(LabelKind.REAL, 1000) == 0)
  }

  test("DataSpec: label kind defaults, maxClasses >= 2, positiveLabel only where binary is possible") {
    val s = DataSpec.libsvm("a.txt", 0)
    assert(s.labelKind == LabelKind.AUTO && s.maxClasses == 1000)
    assert(DataSpec.embedded(0.1, 1L).labelKind == LabelKind.AUTO)
    val multi = s.withLabels(LabelKind.MULTICLASS, 30).withTestPath("b.txt")
    assert(multi.labelKind == LabelKind.MULTICLASS && multi.maxClasses == 30 &&
      multi.testPath == Optional.of("b.txt"))
    assert(DataFiles.spec("a.txt", "libsvm", labelKind = null).labelKind == LabelKind.AUTO)
    assert(error(s.withLabels(LabelKind.AUTO, 1)) == "maxClasses must be >= 2, got 1")
    assert(error(DataFiles.spec("a.txt", "libsvm", positiveLabel = Some("1"),
      labelKind = LabelKind.MULTICLASS)) ==
      "positiveLabel '1' applies to binary labels only, not to multiclass labels")
    assert(error(DataFiles.spec("a.txt", "libsvm", positiveLabel = Some("1"),
      labelKind = LabelKind.REAL)) ==
      "positiveLabel '1' applies to binary labels only, not to real-valued targets")
    assert(DataFiles.spec("a.txt", "libsvm", positiveLabel = Some("1")).positiveLabel == Optional.of("1"))
  }
}
