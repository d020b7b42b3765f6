package dev.sparknewton.data

import dev.sparknewton.SharedSpark
import dev.sparknewton.ml.ModelTraining
import dev.sparknewton.solvers.{NewtonCg, NewtonCgConfig}
import java.nio.file.Files
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * A curvature sample is a function of the seed and the rows: the same rows, and so the same
 * iterates to rounding, whatever the partitioning of the cached blocks.
 */
class RowSampleSuite extends AnyFunSuite with SharedSpark {

  private val d = 12

  private lazy val data: TrainingData = {
    val rnd = new Random(21)
    val truth = Array.fill(d)(rnd.nextGaussian())
    val lines = (0 until 3000).map { _ =>
      val idx = (0 until d).filter(_ => rnd.nextDouble() < 0.5)
      val x = idx.map(_ => math.rint(rnd.nextGaussian() * 1000) / 1000)
      val m = idx.indices.map(k => x(k) * truth(idx(k))).sum
      val y = if (rnd.nextDouble() < 1 / (1 + math.exp(-m))) "+1" else "-1"
      (y +: idx.indices.map(k => s"${idx(k) + 1}:${x(k)}")).mkString(" ")
    }
    val file = Files.createTempFile("row-sample", ".txt")
    file.toFile.deleteOnExit()
    Files.writeString(file, lines.mkString("", "\n", "\n"))
    DataLoader.load(spark, DataSpec.libsvm(file.toString, d))
  }

  /** The kept rows of every block, as (label, features) strings: independent of block layout. */
  private def sampled(partitions: Int, sample: RowSample): Set[String] =
    Blockifier.blockify(data.train(), d, 0.002, partitions).collect().asScala.flatMap { b =>
      sample.selectedRows(b).map { i =>
        // The row itself through the block's products: e_j . x_i for each j.
        val row = (0 until d).map { j =>
          val e = new Array[Double](d); e(j) = 1.0
          val out = new Array[Double](b.numRows()); b.multiply(e, false, out); out(i)
        }
        s"${b.label(i)} ${row.mkString(",")}"
      }
    }.toSet

  test("the same rows are sampled on 1, 4 and 8 partitions, and a different seed samples others") {
    val sample = RowSample.of(0.2, 5L)
    val four = sampled(4, sample)
    assert(four.size > 450 && four.size < 750, s"${four.size} of 3000 rows at 20%")
    assert(sampled(8, sample) == four)
    assert(sampled(1, sample) == four)
    assert(sampled(4, RowSample.of(0.2, 6L)) != four)
  }

  test("Newton-CG with a 30% curvature sample takes the same iterates on 4 and 8 partitions") {
    def fit(partitions: Int) = {
      // driverCurvatureMb 0: every Hessian product on the cached (differently split) blocks.
      val settings = new ModelTraining.Settings(1e-3, true, partitions, 2, 0.002, 0L, 0L)
      val solver = new NewtonCg(NewtonCgConfig.defaults().withHessianSampleFraction(0.3)
        .withMaxIter(6).withTol(1e-14))
      ModelTraining.fit(spark, data, settings, solver, _ => ())
    }
    val (a, b) = (fit(4), fit(8))
    assert(a.history().size() == b.history().size() && a.history().size() >= 4)
    a.history().asScala.zip(b.history().asScala).foreach { case (x, y) =>
      assert(math.abs(x.objective() - y.objective()) <= 1e-12 * math.abs(x.objective()),
        s"iteration ${x.iteration()}: ${x.objective()} vs ${y.objective()}")
      assert(x.cgIterations() == y.cgIterations(), s"iteration ${x.iteration()}")
    }
    val (wa, wb) = (a.linear().coefficients(0), b.linear().coefficients(0))
    wa.indices.foreach(j => assert(math.abs(wa(j) - wb(j)) <= 1e-9 * (1 + math.abs(wa(j))), s"w($j)"))
  }
}
