package dev.sparknewton.objective

import dev.sparknewton.{TestData, TestModels}
import dev.sparknewton.data.{RowBlock, RowSample, SparseRowBlock}
import dev.sparknewton.models.{Curvature, LinearModel, LogisticLoss}
import dev.sparknewton.solvers.{NewtonCg, NewtonCgConfig}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * A curvature sample larger than the driver budget: drawn down to a seeded sub-sample whose
 * bytes fit (the same rows for the same seed whatever the blocks), or kept distributed (on
 * request, or when the budget is below one block); the optimum does not move.
 */
class DriverCurvatureBudgetSuite extends AnyFunSuite {

  private val d = 20
  private val rows = TestData.rows(n = 3000, d = d, density = 0.4, seed = 5L)

  /** Sparse blocks of `blockRows` rows whose row keys are the rows' positions in `rows`. */
  private def blocks(blockRows: Int): java.util.List[RowBlock] =
    blocksOf(rows.indices.map(i => (rows(i), i.toLong)), blockRows)

  /** Sparse blocks of `blockRows` of the given rows, each with its row key. */
  private def blocksOf(keyed: Seq[(TestData.Row, Long)], blockRows: Int): java.util.List[RowBlock] =
    keyed.grouped(blockRows).zipWithIndex.map { case (group, id) =>
      val starts = group.scanLeft(0)(_ + _._1.indices.length).toArray
      new SparseRowBlock(id.toLong, group.map(_._2.toLong).toArray, d,
        group.map(_._1.label).toArray, group.map(_._1.weight).toArray, starts,
        group.flatMap(_._1.indices).toArray, group.flatMap(_._1.values).toArray): RowBlock
    }.toSeq.asJava

  private def fold(blockRows: Int = 100) = new RecordingFold(new LocalBlockFold(blocks(blockRows)))

  private def dataTerm(f: BlockFold, budget: Long,
      overBudget: OverBudgetCurvature = OverBudgetCurvature.SAMPLE): ModelObjective =
    new ModelObjective(new LinearModel(d, false, LogisticLoss.INSTANCE), f, budget, 0L,
      Curvature.GAUSS_NEWTON, overBudget)

  private val w = TestData.randomVector(d, new Random(3)).map(_ * 0.3)
  private val v = TestData.randomVector(d, new Random(4))

  test("the driver's rows coalesced: every row in order with its key, label, weight and values; sparse runs split into equal parts of at most about 4 MiB, a power of two of them below 8, dense blocks kept; products as over the original blocks") {
    def rowsOf(bs: Seq[RowBlock]): Seq[(Long, Double, Double, Seq[Double])] = bs.flatMap { b =>
      (0 until b.numRows()).map { i =>
        val x = new Array[Double](b.numFeatures())
        val e = new Array[Double](b.numRows()); e(i) = 1.0
        b.addTransposeTimes(e, false, x)
        (b.rowKey(i), b.label(i), b.weight(i), x.toSeq)
      }
    }
    val sparse = blocks(100).asScala.toSeq
    val dense = TestData.blocks(rows.take(50), d, 50, sparse = false).get(0)
    assert(!dense.isInstanceOf[SparseRowBlock])
    val mixed = sparse.take(10) ++ Seq(dense) ++ sparse.drop(10)
    val merged = LocalBlockFold.coalesced(mixed.asJava).blocks().asScala.toSeq
    assert(merged.map(_.id()) == Seq(-1L, dense.id(), -3L) && (merged(1) eq dense))
    assert(merged.map(_.numRows()) == Seq(1000, 50, 2000))
    assert(rowsOf(merged) == rowsOf(mixed))
    // A run is split into equal parts: five sparse blocks of 1.08 MB each (5.4 MB) into two, by
    // the part of each block's middle byte (at 0.1, 0.3, 0.5, 0.7, 0.9 of the run: 0, 0, 1, 1, 1).
    val big = (0 until 5).map { id =>
      val n = 900
      new SparseRowBlock(id.toLong, 1000, new Array[Double](n), Array.fill(n)(1.0),
        Array.tabulate(n + 1)(_ * 100), Array.tabulate(n * 100)(k => (k * 7) % 1000 / 100 * 100 + k % 100),
        Array.fill(n * 100)(1.0)): RowBlock
    }
    assert(big.forall(b => b.sizeInBytes() > (1L << 20) && b.sizeInBytes() < (5L << 18)))
    val closed = LocalBlockFold.coalesced(big.asJava).blocks().asScala.toSeq
    assert(closed.map(_.numRows()) == Seq(1800, 2700) && closed.map(_.id()) == Seq(-1L, -2L))
    assert(rowsOf(closed) == rowsOf(big))
    // 19 of them (20.5 MB, 5 parts of 4 MiB) into 8 parts, a power of two: 2 or 3 blocks each.
    val many = (0 until 19).map(i => big(i % 5))
    val eight = LocalBlockFold.coalesced(many.asJava).blocks().asScala.toSeq
    assert(eight.map(_.numRows() / 900) == Seq(2, 3, 2, 2, 3, 2, 3, 2))
    // Beyond 8 parts (40 blocks, over 40 MiB), no rounding: ceil(bytes / 4 MiB) parts, equal to a block.
    val parts = ((40 * big(0).sizeInBytes() + (4L << 20) - 1) / (4L << 20)).toInt
    val split = LocalBlockFold.coalesced((0 until 40).map(i => big(i % 5)).asJava).blocks().asScala.toSeq
    assert(parts > 8 && split.size == parts)
    assert(split.forall(b => Set(40 / parts, 40 / parts + 1).contains(b.numRows() / 900)))
    // The curvature products over the coalesced blocks are those over the original ones.
    val original = dataTerm(new LocalBlockFold(mixed.asJava), 0L).evaluate(w).curvature(RowSample.all())
      .hessianVectorProduct(v)
    val coalesced = dataTerm(LocalBlockFold.coalesced(mixed.asJava), 0L).evaluate(w)
      .curvature(RowSample.all()).hessianVectorProduct(v)
    original.indices.foreach(j => assert(math.abs(coalesced(j) - original(j)) <= 1e-12 * math.max(1.0, math.abs(original(j)))))
  }

  test("a sample over the budget is drawn down: the collected bytes fit, the rows are a subset of the request") {
    val f = fold()
    val budget = f.sizeInBytes() / 4
    val requested = RowSample.of(0.8, 17L)
    val h = dataTerm(f, budget).evaluate(w).curvature(requested)
    assert(!h.productsArePasses())
    h.hessianVectorProduct(v)
    h.hessianVectorProduct(v)
    assert(f.collected.size == 1, "collected once, then every product on the driver")
    val (sample, bytes, keys) = f.collected.head
    assert(sample.seed() == 17L && sample.fraction() < 0.8 && sample.fraction() > 0.1, s"$sample")
    assert(bytes <= budget, s"$bytes bytes collected, budget $budget")
    assert(bytes > budget / 2, s"$bytes bytes collected, budget $budget: the sample is not needlessly small")
    val requestedKeys = blocks(100).asScala.flatMap(b =>
      requested.selectedRows(b).map(i => b.rowKey(i))).toSet
    assert(keys.nonEmpty && keys.subsetOf(requestedKeys))
  }

  test("the drawn-down sample is seeded: the same rows for the same seed; across blockings nested, equal at equal fractions") {
    def draw(blockRows: Int, seed: Long): (Double, Set[Long]) = {
      val f = fold(blockRows)
      val h = dataTerm(f, 60000L).evaluate(w).curvature(RowSample.of(1.0, seed))
      h.hessianVectorProduct(v)
      assert(f.collected.size == 1)
      assert(f.collected.head._2 <= 60000L)
      (f.collected.head._1.fraction(), f.collected.head._3)
    }
    val (fraction, reference) = draw(100, 9L)
    assert(reference.size > 100 && reference.size < 3000, s"${reference.size} rows")
    assert(draw(100, 9L) == (fraction, reference))
    assert(draw(100, 10L)._2 != reference)
    // The per-block overhead (64 bytes a block) can move the fraction by one step of the grid;
    // samples of one seed are nested, so the rows then differ only by that step's rows.
    var equalFractions = 0
    for (blockRows <- Seq(37, 90, 110, 450)) {
      val (f, keys) = draw(blockRows, 9L)
      assert(math.abs(f - fraction) <= 0.0100001, s"blocks of $blockRows rows: $f vs $fraction")
      if (f == fraction) {
        assert(keys == reference, s"blocks of $blockRows rows")
        equalFractions += 1
      } else {
        assert(if (f < fraction) keys.subsetOf(reference) else reference.subsetOf(keys))
      }
    }
    assert(equalFractions >= 2, "most blockings draw the same fraction")
  }

  test("Newton-CG on a drawn-down curvature reaches the full-curvature optimum") {
    val lambda = 1e-3
    def solve(budget: Long): (Array[Double], Double, Seq[Double]) = {
      val f = fold()
      val objective = TestModels.regularized(dataTerm(f, budget), lambda)
      val last = new NewtonCg(NewtonCgConfig.defaults().withTol(1e-12).withMaxIter(200))
        .minimize(objective, new Array[Double](d))
      assert(last.termination().get().converged(), s"${last.termination()}")
      (last.point(), last.value(), f.collected.map(_._1.fraction()).toSeq)
    }
    val (full, fFull, fullFractions) = solve(Long.MaxValue)
    val (sampled, fSampled, sampledFractions) = solve(fold().sizeInBytes() / 5)
    assert(fullFractions.nonEmpty && fullFractions.forall(_ == 1.0))
    assert(sampledFractions.nonEmpty && sampledFractions.forall(f => f > 0.05 && f < 0.3),
      s"fractions $sampledFractions")
    assert(math.abs(fSampled - fFull) <= 1e-13 * math.abs(fFull), s"$fSampled vs $fFull")
    full.indices.foreach(j => assert(math.abs(sampled(j) - full(j)) <= 1e-6 * math.max(1.0, math.abs(full(j))),
      s"w($j): ${sampled(j)} vs ${full(j)}"))
  }

  test("sample values: on a driver-held sample, the objective on exactly the collected rows at w + d_j (no pass), the penalty added; empty while products are passes") {
    val f = fold()
    val lambda = 1e-2
    val rnd = new Random(8)
    val offsets = new dev.sparknewton.linalg.ColumnMatrix(d, 3, Array.fill(3 * d)(0.5 * rnd.nextGaussian()))
    val h = TestModels.regularized(dataTerm(f, f.sizeInBytes() / 4), lambda).evaluate(w)
      .curvature(RowSample.of(0.5, 21L))
    val values = h.sampleValuesAt(offsets)
    assert(values.isPresent && f.collected.size == 1, "the sample is collected by the first use")
    val before = f.passes
    h.sampleValuesAt(offsets)
    assert(f.passes == before, "no pass once the sample is on the driver")
    // The reference: the regularized objective over a fold of only the collected rows.
    val keys = f.collected.head._3
    val sampleBlocks = blocksOf(rows.indices.filter(i => keys.contains(i.toLong)).map(i => (rows(i), i.toLong)), 100)
    val onSample = TestModels.regularized(dataTerm(new LocalBlockFold(sampleBlocks), Long.MaxValue), lambda)
    for (j <- 0 until 3) {
      val expected = onSample.evaluate(dev.sparknewton.linalg.Vectors.plus(w, 1.0, offsets.column(j))).value()
      assert(math.abs(values.get()(j) - expected) <= 1e-13 * math.abs(expected), s"point $j: ${values.get()(j)} vs $expected")
    }
    val whole = TestModels.regularized(dataTerm(fold(), Long.MaxValue), lambda).evaluate(w)
    assert(math.abs(whole.valuesAt(offsets)(0) - values.get()(0)) > 1e-6, "the sample's value is not the full data's")
    val largest = blocks(100).asScala.map(_.sizeInBytes()).max
    val distributed = dataTerm(fold(), largest - 1).evaluate(w).curvature(RowSample.of(1.0, 3L))
    assert(!distributed.sampleValuesAt(offsets).isPresent)
  }

  test("a fixed sample stays on the driver across evaluations: collected once, products at each new point; another sample is collected anew") {
    val f = fold()
    val objective = dataTerm(f, f.sizeInBytes())
    val w2 = TestData.randomVector(d, new Random(9)).map(_ * 0.5)
    val first = objective.evaluate(w).curvature(RowSample.all()).hessianVectorProduct(v)
    val passesBefore = f.passes
    val second = objective.evaluate(w2).curvature(RowSample.all()).hessianVectorProduct(v)
    assert(f.passes - passesBefore == 1, "the evaluation's pass only: the rows are still on the driver")
    assert(f.collected.size == 1)
    // The product is the curvature at w2, not a stale one at w.
    val exact = dataTerm(fold(), 0L).evaluate(w2).curvature(RowSample.all()).hessianVectorProduct(v)
    exact.indices.foreach(j => assert(math.abs(second(j) - exact(j)) <= 1e-12 * math.max(1.0, math.abs(exact(j))),
      s"entry $j: ${second(j)} vs $exact(j)"))
    assert(first.indices.exists(j => math.abs(first(j) - second(j)) > 1e-6), "the two points' curvatures differ")
    // A sample of other rows replaces the held one; the first sample is then collected again.
    objective.evaluate(w2).curvature(RowSample.of(0.5, 11L)).hessianVectorProduct(v)
    objective.evaluate(w2).curvature(RowSample.of(0.5, 11L)).hessianVectorProduct(v)
    objective.evaluate(w).curvature(RowSample.all()).hessianVectorProduct(v)
    assert(f.collected.map(_._1) == Seq(RowSample.all(), RowSample.of(0.5, 11L), RowSample.all()))
  }

  test("losses along a line and at offsets: on the driver with no pass while it holds every row, equal to the pass over the blocks; a pass otherwise") {
    val steps = Array(1.0, 0.5, 0.25)
    val offsets = new dev.sparknewton.linalg.ColumnMatrix(d, 2, Array.fill(2 * d)(0.3))
    val reference = dataTerm(fold(), 0L).evaluate(w) // every product and loss a pass
    val alongRef = reference.valuesAlong(v, steps)
    val atRef = reference.valuesAt(offsets)
    def check(values: Array[Double], expected: Array[Double]): Unit =
      values.indices.foreach(k => assert(math.abs(values(k) - expected(k)) <= 1e-13 * math.abs(expected(k)),
        s"value $k: ${values(k)} vs ${expected(k)}"))

    val f = fold()
    val e = dataTerm(f, f.sizeInBytes()).evaluate(w)
    e.curvature(RowSample.all()).hessianVectorProduct(v) // collects every row
    val before = f.passes
    check(e.valuesAlong(v, steps), alongRef)
    check(e.valuesAt(offsets), atRef)
    assert(f.passes == before, "no pass: every row is on the driver")

    // Held rows that are a sample (asked for, or drawn down from all rows to fit the budget): passes.
    for ((budget, sample) <- Seq((f.sizeInBytes(), RowSample.of(0.5, 2L)), (f.sizeInBytes() / 3, RowSample.all()))) {
      val g = fold()
      val eg = dataTerm(g, budget).evaluate(w)
      eg.curvature(sample).hessianVectorProduct(v)
      assert(g.collected.nonEmpty)
      val passes = g.passes
      check(eg.valuesAlong(v, steps), alongRef)
      check(eg.valuesAt(offsets), atRef)
      assert(g.passes == passes + 2, s"$sample, budget $budget: one pass each")
    }
  }

  test("a budget below one block's bytes keeps every product distributed") {
    val f = fold()
    val largest = blocks(100).asScala.map(_.sizeInBytes()).max
    val h = dataTerm(f, largest - 1).evaluate(w).curvature(RowSample.of(1.0, 3L))
    val before = f.passes
    assert(h.productsArePasses())
    h.hessianVectorProduct(v)
    h.hessianVectorProduct(v)
    assert(f.collected.isEmpty)
    assert(f.passes - before == 3, "the row-size pass, then one pass per product")
    val exact = dataTerm(fold(), Long.MaxValue).evaluate(w).curvature(RowSample.all())
      .hessianVectorProduct(v)
    val distributed = h.hessianVectorProduct(v)
    exact.indices.foreach(j => assert(math.abs(distributed(j) - exact(j)) <= 1e-12 * math.max(1.0, math.abs(exact(j)))))
  }

  test("curvatureOverBudget = distributed keeps an over-budget sample's products distributed; a sample that fits is collected as requested") {
    val f = fold()
    val h = dataTerm(f, f.sizeInBytes() / 4, OverBudgetCurvature.DISTRIBUTED).evaluate(w)
      .curvature(RowSample.of(1.0, 3L))
    assert(h.productsArePasses())
    h.hessianVectorProduct(v)
    assert(f.collected.isEmpty)
    val fits = fold()
    val requested = RowSample.of(0.1, 3L)
    val g = dataTerm(fits, fits.sizeInBytes() / 4, OverBudgetCurvature.DISTRIBUTED).evaluate(w)
      .curvature(requested)
    assert(!g.productsArePasses())
    g.hessianVectorProduct(v)
    assert(fits.collected.map(_._1) == Seq(requested))
  }

  test("the byte bound holds for the samples it is computed for, and the fraction is the largest of the grid that fits") {
    val all = blocks(100)
    val budget = 100000L
    val sizes = all.asScala.foldLeft(new RowBytesAggregator)((a, b) => a.add(b)).budget(budget)
    for (fraction <- Seq(0.05, 0.3, 0.9)) {
      val bytes = (0L until 40L).map { seed =>
        val s = RowSample.of(fraction, seed)
        val b = all.asScala.map(s.apply).filter(_.numRows() > 0).map(_.sizeInBytes()).sum
        assert(b <= sizes.boundBytes(fraction), s"$s: $b > ${sizes.boundBytes(fraction)}")
        b
      }
      val mean = bytes.sum.toDouble / bytes.size
      assert(math.abs(mean - sizes.expectedBytes(fraction)) < 0.02 * mean, s"$mean vs ${sizes.expectedBytes(fraction)}")
    }
    val f = sizes.fractionWithin(1.0)
    val step = math.pow(10, math.floor(math.log10(f)) - 1)
    // The rule sizes samples to HEADROOM of the budget.
    assert(sizes.budgetBytes() == (RowBytesAggregator.HEADROOM * budget).toLong)
    assert(f > 0.1 && f < 1 && sizes.boundBytes(f) <= sizes.budgetBytes(), s"$f")
    assert(sizes.boundBytes(f + step) > sizes.budgetBytes(), s"$f + $step fits too")
    assert(DriverSampleBudget.gridBelow(1.0) == 0.99)
    assert(DriverSampleBudget.gridBelow(0.3) == 0.29)
    assert(math.abs(DriverSampleBudget.gridBelow(0.1) - 0.099) < 1e-15)
    assert(math.abs(DriverSampleBudget.gridBelow(0.099) - 0.098) < 1e-15)
    assert(math.abs(DriverSampleBudget.gridBelow(0.2999) - 0.29) < 1e-15)
  }
}
