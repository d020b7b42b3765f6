package dev.sparknewton.solvers

import dev.sparknewton.data.{DenseRowBlock, RowBlock}
import dev.sparknewton.linalg.{ColumnMatrix, QrDecomposition, Vectors}
import dev.sparknewton.TestModels
import dev.sparknewton.objective.{Evaluation, EvaluationRequest, LocalBlockFold, SecondOrderObjective}
import dev.sparknewton.randomized.{LowRankEigen, RangeFinder}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

class NystromPreconditionerSuite extends AnyFunSuite {

  test("M^-1 r equals the dense (l_k + mu) U (L + mu I)^-1 U^T + (I - U U^T) applied to r") {
    val rnd = new Random(1)
    val n = 11
    val k = 4
    val u = QrDecomposition.orthonormalBasis(RangeFinder.gaussian(n, k, 2L))
    val l = Array(9.0, 3.0, 0.5, 0.1)
    val mu = 0.01
    val m = NystromPreconditioner.of(new LowRankEigen(u, l, 0.0, 1), mu)
    val dense = ColumnMatrix.zeros(n, n)
    for (i <- 0 until n; j <- 0 until n) {
      val lowRank = (0 until k).map(c => u.get(i, c) * u.get(j, c) * ((l(k - 1) + mu) / (l(c) + mu) - 1.0)).sum
      dense.set(i, j, lowRank + (if (i == j) 1.0 else 0.0))
    }
    val r = Array.fill(n)(rnd.nextGaussian())
    val z = new Array[Double](n)
    m.solve(r, z)
    val expected = dense.multiply(r)
    assert(z.indices.forall(i => math.abs(z(i) - expected(i)) < 1e-13))
    // On the sketched subspace, M^-1 (U diag(l) U^T + mu I) = (l_k + mu) I; elsewhere M^-1 = I.
    val hu = u.multiply(Array(0.0, 0.0, 1.0, 0.0))
    m.solve(Vectors.times(l(2) + mu, hu), z)
    assert(z.indices.forall(i => math.abs(z(i) - (l(3) + mu) * hu(i)) < 1e-13))
    assert(intercept[IllegalArgumentException](NystromPreconditioner.of(
      new LowRankEigen(u, Array(1.0, 0.5, 0.2, 0.0), 0.0, 1), 0.0)).getMessage.contains("l_k + mu"))
  }

  /**
   * Logistic regression whose features are a random rotation of latent factors with scales from
   * 1e2 down to 1e-2: correlated, widely scaled columns, a Hessian with a few dominant directions
   * that a diagonal cannot capture.
   */
  private val d = 40
  private val rows = 3000
  private val lambda = 1e-4
  private val blocks: java.util.List[RowBlock] = {
    val rnd = new Random(5)
    val q = QrDecomposition.orthonormalBasis(RangeFinder.gaussian(d, d, 6L))
    val scales = Array.tabulate(d)(j => math.pow(10, 2.0 - 4.0 * j / (d - 1)))
    val truth = Array.fill(d)(rnd.nextGaussian() * 0.1)
    val out = new java.util.ArrayList[RowBlock]()
    for (b <- 0 until rows / 100) {
      val values = new Array[Double](100 * d)
      val labels = new Array[Double](100)
      for (i <- 0 until 100) {
        val x = q.multiply(Array.tabulate(d)(j => scales(j) * rnd.nextGaussian()))
        System.arraycopy(x, 0, values, i * d, d)
        val margin = Vectors.dot(truth, x)
        labels(i) = if (rnd.nextDouble() < 1.0 / (1.0 + math.exp(-margin))) 1.0 else 0.0
      }
      out.add(new DenseRowBlock(b.toLong, d, labels, Array.fill(100)(1.0), values))
    }
    out
  }

  /** Counts evaluations that carry a block product: the sketches. */
  private final class SketchCounting(inner: SecondOrderObjective) extends SecondOrderObjective {
    var sketches = 0
    override def dimension(): Int = inner.dimension()
    override def evaluate(w: Array[Double], request: EvaluationRequest): Evaluation = {
      if (request.blockDirections().isPresent) sketches += 1
      inner.evaluate(w, request)
    }
  }

  private def objective = new SketchCounting(TestModels.regularized(
    TestModels.logistic(d, false, new LocalBlockFold(blocks)), lambda))

  test("Nystrom-preconditioned Newton-CG needs fewer CG iterations than diagonal PCG on ill-conditioned data, reaching the same optimum, and reuses its sketch") {
    val reference = new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-12)).minimize(objective, new Array[Double](d))
    assert(reference.termination().get().converged())
    def run(pre: NewtonCgConfig.Preconditioner) = {
      val f = objective
      val states = new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10).withPreconditioner(pre)
        .withSketch(new LowRankSketchConfig(10, 5, 0))).iterations(f, new Array[Double](d)).asScala.toIndexedSeq
      (states, f.sketches)
    }
    val (diagonal, none) = run(NewtonCgConfig.Preconditioner.DIAGONAL)
    val (nystrom, sketches) = run(NewtonCgConfig.Preconditioner.NYSTROM)
    for (s <- Seq(diagonal, nystrom)) {
      assert(s.last.termination().get().converged(), s.last.detail())
      assert(math.abs(s.last.value() - reference.value()) <= 1e-10 * math.abs(reference.value()))
    }
    val cgDiagonal = diagonal.map(_.innerIterations()).sum
    val cgNystrom = nystrom.map(_.innerIterations()).sum
    // The late iterations' counts move with the last bits of the kernels (the sums were 245
    // against 543, 265 and 274 against 547 for three forms of the logistic kernels that agree to
    // rounding), so the bound leaves room below 2x; no preconditioner at all gives 495 (1.1x).
    assert(cgNystrom * 1.8 < cgDiagonal, s"CG iterations: Nystrom $cgNystrom, diagonal $cgDiagonal")
    assert(none == 0)
    val built = nystrom.tail.count(_.eigenvalues().nonEmpty)
    assert(built >= 1 && built < nystrom.size - 1, s"$built sketches in ${nystrom.size - 1} iterations: reused")
    val backtracked = nystrom.tail.count(_.stepSize() < 1.0)
    // Each sketch rides in an evaluation pass; the request of the final iterate may carry one that
    // is never used, and a backtracked step evaluates two points with the same request.
    assert(sketches >= built && sketches <= built + 1 + backtracked, s"$sketches requests, $built built")
  }

  test("preconditionerRefresh = 1 rebuilds the sketch every iteration; every rebuild rides in the gradient pass") {
    val f = objective
    val states = new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10)
      .withPreconditioner(NewtonCgConfig.Preconditioner.NYSTROM).withPreconditionerRefresh(1)
      .withSketch(new LowRankSketchConfig(10, 5, 0))).iterations(f, new Array[Double](d)).asScala.toIndexedSeq
    assert(states.last.termination().get().converged())
    val backtracked = states.tail.count(_.stepSize() < 1.0)
    assert(f.sketches == states.size + backtracked, "one fused sketch per evaluation of a new iterate")
    assert(states.tail.forall(_.eigenvalues().nonEmpty))
  }
}
