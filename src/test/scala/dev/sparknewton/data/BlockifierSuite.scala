package dev.sparknewton.data

import dev.sparknewton.{SharedSpark, TestData}
import org.apache.spark.ml.linalg.{SQLDataTypes, Vectors => MlVectors}
import org.apache.spark.sql.{Dataset, Row}
import org.apache.spark.sql.types.{DataTypes, StructType}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

class BlockifierSuite extends AnyFunSuite with SharedSpark {

  private val d = 20
  private val schema = new StructType()
    .add("label", DataTypes.DoubleType)
    .add("features", SQLDataTypes.VectorType)
    .add("weight", DataTypes.DoubleType)

  /** Half the rows nearly empty, half nearly full, so both block forms occur. */
  private val rows: IndexedSeq[TestData.Row] =
    TestData.rows(n = 300, d = d, density = 0.05, seed = 21L) ++
      TestData.rows(n = 300, d = d, density = 0.95, seed = 22L)

  private def frame(storeDense: Boolean, rows: Seq[TestData.Row] = rows): Dataset[Row] = {
    val data = rows.map { r =>
      val v = MlVectors.sparse(d, r.indices, r.values)
      Row(r.label, if (storeDense) v.toDense else v, r.weight)
    }
    spark.createDataFrame(jsc.parallelize(data.asJava, 4), schema)
  }

  /** The bytes of a block as Blockifier documents them, computed from its form. */
  private def bytes(b: RowBlock): Long = b match {
    case _: DenseRowBlock => 8L * b.numRows * d + 16L * b.numRows
    case _ => 12L * b.numStored + 4L * (b.numRows + 1) + 16L * b.numRows
  }

  for (parts <- Seq(1, 3, 7); storeDense <- Seq(false, true); maxMb <- Seq(0.002, 1.0)) {
    test(s"blocks cover every row once within ${maxMb} MB, same margins " +
        s"(partitions $parts, dense input $storeDense)") {
      val blocks = Blockifier.blockify(frame(storeDense), d, maxMb, parts)
      assert(blocks.getNumPartitions == parts)
      val collected = blocks.collect().asScala.toSeq
      val maxBytes = (maxMb * 1024 * 1024).toLong
      collected.foreach(b => assert(b.numRows == 1 || bytes(b) <= maxBytes, s"block ${b.id}: ${bytes(b)} bytes"))
      assert(collected.map(_.id).distinct.size == collected.size)
      assert(collected.forall(b => (b.id >>> 32) < parts))
      // The form built is the smaller one.
      collected.foreach { b =>
        val nnz = (0 until d).map { j =>
          val out = new Array[Double](b.numRows)
          b.multiply(Array.tabulate(d)(k => if (k == j) 1.0 else 0.0), false, out)
          out.count(_ != 0.0).toLong
        }.sum
        val sparseBytes = 12L * nnz + 4L * (b.numRows + 1) + 16L * b.numRows
        val denseBytes = 8L * b.numRows * d + 16L * b.numRows
        assert(bytes(b) == math.min(sparseBytes, denseBytes), s"block ${b.id}")
      }
      if (maxMb < 0.01) {
        assert(collected.exists(_.isInstanceOf[DenseRowBlock]) && collected.exists(_.isInstanceOf[SparseRowBlock]))
      }
      val rnd = new Random(5)
      val w = Array.fill(d + 1)(rnd.nextGaussian())
      for (intercept <- Seq(false, true)) {
        val coef = if (intercept) w else w.take(d)
        val fromBlocks = collected.flatMap { b =>
          val out = new Array[Double](b.numRows)
          b.multiply(coef, intercept, out)
          (0 until b.numRows).map(i => (b.weight(i), b.label(i), out(i)))
        }.sortBy(_._1)
        val direct = rows.map { r =>
          val m = r.indices.indices.map(k => r.values(k) * w(r.indices(k))).sum + (if (intercept) w(d) else 0.0)
          (r.weight, r.label, m)
        }.sortBy(_._1)
        assert(fromBlocks.size == direct.size)
        fromBlocks.zip(direct).foreach { case ((wa, la, ma), (wb, lb, mb)) =>
          assert(wa == wb && la == lb && math.abs(ma - mb) <= 1e-12 * (1 + math.abs(mb)))
        }
      }
    }
  }

  test("one partition of dense rows within the limit is one dense block with id 0") {
    val blocks = Blockifier.blockify(frame(storeDense = false, rows.drop(300)), d, 1.0, 1)
      .collect().asScala
    assert(blocks.size == 1 && blocks.head.id == 0L && blocks.head.numRows == 300)
    assert(blocks.head.isInstanceOf[DenseRowBlock])
  }

  test("bad arguments are rejected with their values") {
    val e = intercept[IllegalArgumentException](Blockifier.blockify(frame(false), d, 0.0, 1))
    assert(e.getMessage == "maxBlockSizeMb must be in (0, 2047.0], got 0.0")
    val p = intercept[IllegalArgumentException](Blockifier.blockify(frame(false), d, 1.0, -2))
    assert(p.getMessage == "numPartitions must be >= 0, got -2")
  }
}
