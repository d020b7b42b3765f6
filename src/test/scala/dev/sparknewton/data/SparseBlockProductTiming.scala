package dev.sparknewton.data

import dev.sparknewton.linalg.ColumnMatrix
import java.util.SplittableRandom

/**
 * A measurement, not a test: the two layouts of [[SparseRowBlock]]'s block products side by side
 * in one JVM, `X~ V` (`multiplyBlock`) and `X~^T S` (`addTransposeTimesBlock`), column-outer
 * (gathers from the column-major dense side) against row-major (the dense side transposed, one
 * contiguous axpy of length `r` per stored value), with the intercept. For each shape the two
 * layouts alternate, `reps` times each, and the medians (milliseconds per block call) and their
 * ratio are printed, with the rule's choice. Run after `mvn -o test-compile` as
 * {{{
 * mvn -o -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java -Xmx3g -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) \
 *   dev.sparknewton.data.SparseBlockProductTiming [sweep | quick]
 * }}}
 * (with `-XX:-UseSuperWord`, the JIT's auto-vectorization off, to see what vectorizing the axpy
 * is worth). Without arguments: the shapes of the MNIST network's first layer, news20's sketch,
 * a 10^6-feature sketch
 * (`quick` leaves that one out); `sweep` instead runs a grid of stored values per feature and
 * widths around the rule.
 */
object SparseBlockProductTiming {

  /** `n` rows with `perRow` distinct uniform features of `d` (or each with probability `density`). */
  private def block(n: Int, d: Int, perRow: Int, density: Double, seed: Long): SparseRowBlock = {
    val rnd = new SplittableRandom(seed)
    val starts = new Array[Int](n + 1)
    val cols = Array.newBuilder[Int]
    val vals = Array.newBuilder[Double]
    for (i <- 0 until n) {
      val row = if (density > 0) (0 until d).filter(_ => rnd.nextDouble() < density).toArray
      else {
        val s = new java.util.TreeSet[Integer]()
        while (s.size < perRow) s.add(rnd.nextInt(d))
        s.toArray(Array.empty[Integer]).map(_.intValue)
      }
      cols ++= row
      vals ++= row.map(_ => rnd.nextDouble())
      starts(i + 1) = starts(i) + row.length
    }
    new SparseRowBlock(0L, d, new Array[Double](n), Array.fill(n)(1.0), starts, cols.result(),
      vals.result())
  }

  private def median(a: Array[Double]): Double = { val s = a.sorted; s(s.length / 2) }

  /** Medians in ms per call of `old` and `neu`, alternating, each run `calls` times per sample. */
  private def sideBySide(reps: Int, calls: Int)(old: () => Unit, neu: () => Unit): (Double, Double) = {
    val to = new Array[Double](reps)
    val tn = new Array[Double](reps)
    for (k <- 0 until reps) {
      var t = System.nanoTime()
      for (_ <- 0 until calls) old()
      to(k) = (System.nanoTime() - t) / 1e6 / calls
      t = System.nanoTime()
      for (_ <- 0 until calls) neu()
      tn(k) = (System.nanoTime() - t) / 1e6 / calls
    }
    (median(to), median(tn))
  }

  private def run(name: String, b: SparseRowBlock, r: Int, reps: Int = 9): Unit = {
    val d = b.numFeatures()
    val n = b.numRows()
    val m = d + 1
    val rnd = new SplittableRandom(7)
    val v = new ColumnMatrix(m, r, Array.fill(m * r)(rnd.nextDouble() - 0.5))
    val s = Array.fill(n * r)(rnd.nextDouble() - 0.5)
    val out = new Array[Double](n * r)
    val g = ColumnMatrix.zeros(m, r)
    // About 50 ms per sample and layout at 1 GFLOP/s.
    val flops = 2.0 * b.numStored() * r
    val calls = math.max(1, math.min(2000, (5e7 / flops).toInt))
    // Warm-up: both layouts compiled before timing.
    sideBySide(3, calls)(() => b.multiplyBlockColumnOuter(v, true, out), () => b.multiplyBlockRowMajor(v, true, out))
    sideBySide(3, calls)(() => b.addTransposeTimesBlockColumnOuter(s, true, g),
      () => b.addTransposeTimesBlockRowMajor(s, true, g))
    val (mo, mn) = sideBySide(reps, calls)(() => b.multiplyBlockColumnOuter(v, true, out),
      () => b.multiplyBlockRowMajor(v, true, out))
    val (to, tn) = sideBySide(reps, calls)(() => b.addTransposeTimesBlockColumnOuter(s, true, g),
      () => b.addTransposeTimesBlockRowMajor(s, true, g))
    val rule = s"${if (b.rowMajorMultiplyPays(m, r)) "row" else "col"}/${if (b.rowMajorTransposePays(m, r)) "row" else "col"}"
    println(f"$name%-34s n=$n%5d d=$d%8d r=$r%4d nnz=${b.numStored()}%8d nnz/m=${b.numStored().toDouble / m}%7.2f | " +
      f"XV col $mo%8.3f row $mn%8.3f ms x${mo / mn}%5.2f (${flops / mn / 1e6}%5.2f GFLOP/s) | " +
      f"XtS col $to%8.3f row $tn%8.3f ms x${to / tn}%5.2f | rule: $rule")
  }

  def main(args: Array[String]): Unit = {
    println(s"java ${System.getProperty("java.version")}, vector flags: " +
      java.lang.management.ManagementFactory.getRuntimeMXBean.getInputArguments)
    if (args.contains("sweep")) {
      for (d <- Seq(784, 20000); perFeature <- Seq(2, 4, 8, 16, 32)) {
        val b = block(math.max(1, perFeature * (d + 1) / 40), d, 40, 0, 5L)
        for (r <- Seq(8, 16, 32, 128)) run(s"sweep, 40 a row", b, r, reps = 5)
      }
    } else {
      val mnist160 = block(160, 784, 0, 0.19, 1L)
      val mnist560 = block(560, 784, 0, 0.19, 2L)
      val news = block(1000, 62061, 80, 0, 3L)
      val high = block(1600, 1000000, 48, 0, 4L)
      run("MNIST layer 1, 160 rows", mnist160, 128)
      run("MNIST layer 1, 560 rows (1 MB)", mnist560, 128)
      run("MNIST softmax, 160 rows", mnist160, 10)
      run("news20 sketch l=113, 1000 rows", news, 113)
      run("news20 sketch l=8, 1000 rows", news, 8)
      if (!args.contains("quick")) run("d=1e6 sketch l=16, 1600 rows", high, 16)
    }
  }
}
