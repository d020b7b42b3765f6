package dev.sparknewton

import dev.sparknewton.data.{DenseRowBlock, RowBlock, SparseRowBlock}
import java.util.{ArrayList => JArrayList, List => JList}
import scala.util.Random

/** Seeded synthetic logistic-regression data as row blocks, dense or sparse. */
object TestData {

  /** Rows of a problem with `d` features: (features as (index, value) pairs, label 0/1, weight). */
  final case class Row(indices: Array[Int], values: Array[Double], label: Double, weight: Double)

  def rows(n: Int, d: Int, density: Double, seed: Long, weighted: Boolean = true): IndexedSeq[Row] = {
    val rnd = new Random(seed)
    val truth = Array.fill(d)(rnd.nextGaussian())
    (0 until n).map { _ =>
      val idx = (0 until d).filter(_ => rnd.nextDouble() < density).toArray
      val vals = idx.map(_ => rnd.nextGaussian())
      val m = idx.indices.map(k => vals(k) * truth(idx(k))).sum + 0.3
      val p = 1.0 / (1.0 + math.exp(-m))
      val y = if (rnd.nextDouble() < p) 1.0 else 0.0
      val w = if (weighted) 0.5 + rnd.nextDouble() else 1.0
      Row(idx, vals, y, w)
    }
  }

  /**
   * Rows of a `k`-class problem with `d` features, labels 0..k-1 drawn from the softmax of a
   * random linear model (so every class occurs), weights in [0.5, 1.5) when `weighted`.
   */
  def multiclassRows(n: Int, d: Int, k: Int, density: Double, seed: Long,
      weighted: Boolean = true): IndexedSeq[Row] = {
    val rnd = new Random(seed)
    val truth = Array.fill(k, d)(rnd.nextGaussian())
    val bias = Array.fill(k)(0.3 * rnd.nextGaussian())
    (0 until n).map { _ =>
      val idx = (0 until d).filter(_ => rnd.nextDouble() < density).toArray
      val vals = idx.map(_ => rnd.nextGaussian())
      val z = (0 until k).map(c => bias(c) + idx.indices.map(t => vals(t) * truth(c)(idx(t))).sum)
      val e = z.map(v => math.exp(v - z.max))
      val u = rnd.nextDouble() * e.sum
      val y = e.scanLeft(0.0)(_ + _).tail.indexWhere(_ > u) max 0
      val w = if (weighted) 0.5 + rnd.nextDouble() else 1.0
      Row(idx, vals, y.toDouble, w)
    }
  }

  /** Rows of a least-squares problem: `y = truth . x + 0.7 + noise`, weights as in `rows`. */
  def regressionRows(n: Int, d: Int, density: Double, seed: Long,
      weighted: Boolean = true): IndexedSeq[Row] = {
    val rnd = new Random(seed)
    val truth = Array.fill(d)(rnd.nextGaussian())
    (0 until n).map { _ =>
      val idx = (0 until d).filter(_ => rnd.nextDouble() < density).toArray
      val vals = idx.map(_ => rnd.nextGaussian())
      val y = idx.indices.map(t => vals(t) * truth(idx(t))).sum + 0.7 + 0.5 * rnd.nextGaussian()
      val w = if (weighted) 0.5 + rnd.nextDouble() else 1.0
      Row(idx, vals, y, w)
    }
  }

  /** Stacks `rows` into blocks of at most `blockRows` rows, ids 0, 1, ... */
  def blocks(rows: Seq[Row], d: Int, blockRows: Int, sparse: Boolean): JList[RowBlock] = {
    val out = new JArrayList[RowBlock]()
    rows.grouped(blockRows).zipWithIndex.foreach { case (group, id) =>
      val labels = group.map(_.label).toArray
      val weights = group.map(_.weight).toArray
      if (sparse) {
        val starts = group.scanLeft(0)(_ + _.indices.length).toArray
        out.add(new SparseRowBlock(id.toLong, d, labels, weights, starts,
          group.flatMap(_.indices).toArray, group.flatMap(_.values).toArray))
      } else {
        val values = new Array[Double](group.length * d)
        group.zipWithIndex.foreach { case (r, i) =>
          r.indices.indices.foreach(k => values(i * d + r.indices(k)) = r.values(k))
        }
        out.add(new DenseRowBlock(id.toLong, d, labels, weights, values))
      }
    }
    out
  }

  def randomVector(n: Int, rnd: Random): Array[Double] = Array.fill(n)(rnd.nextGaussian())
}
