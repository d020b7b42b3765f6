package dev.sparknewton.models

import dev.sparknewton.data.{DenseRowBlock, RowBlock}
import dev.sparknewton.linalg.ColumnMatrix
import dev.sparknewton.objective.{LocalBlockFold, ModelObjective}
import java.util.{ArrayList => JArrayList}
import scala.util.Random

/**
 * A measurement, not a test: milliseconds per gradient pass and per Gauss-Newton / exact Hessian
 * block product of a 784-128-10 sigmoid network over 60,000 dense MNIST-like rows (about 19% of
 * the pixels non-zero, uniform in (0, 1]), through a [[LocalBlockFold]], with the GFLOP/s that the
 * GEMMs reach. Run after `mvn -o test-compile` as
 * {{{
 * mvn -o -q dependency:build-classpath -Dmdep.outputFile=/tmp/cp.txt -Dmdep.includeScope=test
 * java --add-modules=jdk.incubator.vector -cp target/classes:target/test-classes:$(cat /tmp/cp.txt) \
 *   dev.sparknewton.models.NetworkTiming [rowsPerBlock ...]
 * }}}
 * Flops count two per multiply-add of the dense products only: a forward pass is
 * `2 n (d h + h K)`, and so is each backward pass and each direction's R-forward pass; the
 * activations, losses and bias sums are left out.
 */
object NetworkTiming {
  private val d = 784
  private val h = 128
  private val k = 10
  private val n = 60000

  def main(args: Array[String]): Unit = {
    val blockRows = if (args.isEmpty) Seq(160, 1000) else args.toSeq.map(_.toInt)
    val net = FeedForwardNetwork.classifier(d, Array(h), Activation.SIGMOID, k)
    val rnd = new Random(1)
    val rows = Array.fill(n)(Array.tabulate(d)(_ => if (rnd.nextDouble() < 0.19) 1.0 - rnd.nextDouble() else 0.0))
    val labels = Array.fill(n)(rnd.nextInt(k).toDouble)
    val pass = 2.0 * n * (d.toDouble * h + h * k)
    val theta = net.initialPoint(3)
    println(s"${net}, $n dense rows, ${net.dimension()} parameters, " +
      s"BLAS ${dev.ludovic.netlib.blas.BLAS.getInstance().getClass.getSimpleName}")
    for (perBlock <- blockRows) {
      val blocks = new JArrayList[RowBlock]()
      rows.grouped(perBlock).zipWithIndex.foreach { case (group, id) =>
        val from = id * perBlock
        blocks.add(new DenseRowBlock(id.toLong, d, labels.slice(from, from + group.length),
          Array.fill(group.length)(1.0), group.flatten))
      }
      val f = new ModelObjective(net, new LocalBlockFold(blocks), 0L, 64L << 20)
      val hessian = new ModelObjective(net, new LocalBlockFold(blocks), 0L, 64L << 20, Curvature.HESSIAN)
      // Value and gradient: outputs, then J^T dl/dz (its own forward pass and one backward pass).
      report(s"gradient pass, $perBlock rows a block", 3 * pass, () => f.evaluate(theta))
      val e = f.evaluate(theta)
      val eh = hessian.evaluate(theta)
      for (r <- Seq(1, 10)) {
        val v = ColumnMatrix.ofColumns(Array.fill(r)(Array.fill(net.dimension())(rnd.nextGaussian())): _*)
        // Forward, r R-forward passes, r backward passes.
        report(s"Gauss-Newton product r=$r", (1 + 2 * r) * pass, () => e.hessianBlockProduct(v))
        // The same; the loss-gradient deltas and the products with D_l and R{A} are O(n h K).
        report(s"exact Hessian product r=$r", (1 + 2 * r) * pass, () => eh.hessianBlockProduct(v))
      }
    }
  }

  private def report(what: String, flops: Double, run: () => Any): Unit = {
    run()
    val repeats = 3
    val start = System.nanoTime()
    (0 until repeats).foreach(_ => run())
    val ms = (System.nanoTime() - start) / 1e6 / repeats
    println(f"$what%-40s $ms%9.1f ms  ${flops / 1e9}%6.1f GFLOP  ${flops / ms / 1e6}%5.1f GFLOP/s")
  }
}
