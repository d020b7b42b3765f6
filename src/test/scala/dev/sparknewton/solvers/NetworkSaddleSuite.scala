package dev.sparknewton.solvers

import dev.sparknewton.TestData
import dev.sparknewton.linalg.Vectors
import dev.sparknewton.models.{Activation, Curvature, FeedForwardNetwork}
import dev.sparknewton.objective.{L2Regularized, LocalBlockFold, ModelObjective}
import dev.sparknewton.randomized.RandomizedEigenConfig
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * A tanh network at its symmetric saddle: every weight 0 and the output biases at the class
 * log-frequencies. There the gradient vanishes (hidden units output tanh(0) = 0 and receive no
 * error through zero output weights), and the exact Hessian is indefinite (the cross terms between
 * input and output weights). LRSFN with Rayleigh-Ritz keeps the negative eigenvalues and steps
 * along their directions with |lambda|, so it leaves the saddle from a start 1e-6 away, where the
 * gradient alone gives nothing to follow.
 */
class NetworkSaddleSuite extends AnyFunSuite {
  private val d = 4
  private val k = 3
  private val rows = TestData.multiclassRows(n = 300, d = d, k = k, density = 1.0, seed = 61L,
    weighted = false)
  private val net = FeedForwardNetwork.classifier(d, Array(3), Activation.TANH, k)

  private def objective(curvature: Curvature) = {
    val data = new ModelObjective(net, new LocalBlockFold(TestData.blocks(rows, d, 50, sparse = false)),
      0L, 0L, curvature)
    new L2Regularized(data, 1e-4, net.penalized())
  }

  /** The saddle, moved by `noise` in every coordinate. */
  private def nearSaddle(noise: Double): Array[Double] = {
    val counts = Array.fill(k)(0.0)
    rows.foreach(r => counts(r.label.toInt) += 1)
    val logFreq = counts.map(c => math.log(c / rows.size))
    val weights = (0 until net.numLayers()).map(l =>
      Array.fill(net.layerOutputs(l), net.layerInputs(l))(0.0)).toArray
    val biases = (0 until net.numLayers()).map(l =>
      if (l == net.numLayers() - 1) logFreq else Array.fill(net.layerOutputs(l))(0.0)).toArray
    val theta = net.parameters(weights, biases)
    val rnd = new Random(5)
    theta.map(_ + noise * rnd.nextGaussian())
  }

  test("the saddle is stationary and the exact Hessian there is indefinite") {
    val e = objective(Curvature.HESSIAN).evaluate(nearSaddle(0.0))
    assert(Vectors.norm(e.gradient()) < 1e-12, Vectors.norm(e.gradient()))
    val n = net.dimension()
    val h = (0 until n).map(j => { val u = new Array[Double](n); u(j) = 1.0; e.hessianVectorProduct(u) })
    val dense = breeze.linalg.DenseMatrix.tabulate(n, n)((i, j) => 0.5 * (h(j)(i) + h(i)(j)))
    val eig = breeze.linalg.eigSym(dense).eigenvalues.toArray
    assert(eig.min < -1e-3, s"smallest eigenvalue ${eig.min}")
    assert(eig.max > 1e-3, s"largest eigenvalue ${eig.max}")
  }

  test("LRSFN with Rayleigh-Ritz leaves the saddle along negative curvature") {
    val start = nearSaddle(1e-6)
    val f = objective(Curvature.HESSIAN)
    val saddleValue = f.evaluate(start).value()
    val lrsfn = new LowRankSaddleFreeNewton(LrsfnConfig.defaults().withMaxIter(30)
      .withSketch(new LowRankSketchConfig(12, 5, 0))
      .withEigenMethod(RandomizedEigenConfig.Method.RAYLEIGH_RITZ))
    val states = lrsfn.iterations(f, start).asScala.toList
    assert(states.exists(_.eigenvalues().exists(_ < 0.0)), "no negative eigenvalue was used")
    val escaped = states.last.value()
    assert(escaped < saddleValue - 0.1, s"LRSFN: $saddleValue -> $escaped")
  }
}
