package dev.sparknewton.solvers

import dev.sparknewton.{TestData, TestModels}
import dev.sparknewton.models.{LogisticLoss, SoftmaxCrossEntropy}
import dev.sparknewton.objective.{ClassSumGroups, LocalBlockFold, SecondOrderObjective}
import org.scalatest.funsuite.AnyFunSuite
import scala.util.Random

/**
 * The softmax-corrected diagonal preconditioner: its groups are the directions in which a
 * multinomial model's data curvature vanishes (checked with the objective's own Hessian
 * products), its inverse is the inverse of the dense matrix the class comment defines, and
 * Newton-CG with it reaches the plain diagonal's optimum.
 */
class SoftmaxDiagonalPreconditionerSuite extends AnyFunSuite {
  private val d = 6
  private val k = 4
  private val lambda = 1e-3
  private val rows = TestData.multiclassRows(600, d, k, density = 0.5, seed = 21L)

  private def objective(intercept: Boolean): SecondOrderObjective = TestModels.regularized(
    TestModels.objective(new SoftmaxCrossEntropy(k), d, intercept,
      new LocalBlockFold(TestData.blocks(rows, d, 64, sparse = true))), lambda)

  test("the groups of a multinomial model: each feature's K coefficients, along whose sum the Hessian is lambda alone; the intercepts' sum has none") {
    for (intercept <- Seq(true, false)) {
      val f = objective(intercept)
      val groups = f.classSumGroups().get()
      val m = if (intercept) d + 1 else d
      assert(groups.groups() == m && groups.members() == k && groups.stride() == m)
      val w = TestData.randomVector(f.dimension(), new Random(5)).map(_ * 0.4)
      val at = f.evaluate(w)
      for (g <- 0 until m) {
        val v = new Array[Double](f.dimension())
        (0 until k).foreach(c => v(groups.index(g, c)) = 1.0)
        val hv = at.hessianVectorProduct(v)
        val expected = if (g < d) lambda else 0.0
        assert(groups.penalty()(groups.index(g, 0)) == expected)
        hv.indices.foreach(j => assert(math.abs(hv(j) - expected * v(j)) <= 1e-12, s"group $g entry $j: ${hv(j)}"))
      }
      // Any other direction of a group has data curvature.
      val other = new Array[Double](f.dimension())
      other(groups.index(0, 0)) = 1.0
      other(groups.index(0, 1)) = -1.0
      assert(at.hessianVectorProduct(other)(groups.index(0, 0)) > 10 * lambda)
    }
    val binary = TestModels.regularized(TestModels.logistic(d, true,
      new LocalBlockFold(TestData.blocks(TestData.rows(100, d, 0.5, 3L), d, 64, sparse = true))), lambda)
    assert(!binary.classSumGroups().isPresent)
  }

  /** The dense M of the class comment for `h` and `groups`. */
  private def dense(h: Array[Double], groups: ClassSumGroups): Array[Array[Double]] = {
    val n = h.length
    val m = Array.tabulate(n, n)((i, j) => if (i == j) h(i) else 0.0)
    for (g <- 0 until groups.groups()) {
      val idx = (0 until groups.members()).map(groups.index(g, _))
      val dd = idx.map(j => h(j) - groups.penalty()(j))
      val den = idx.indices.map(t => dd(t) * groups.penalty()(idx(t)) / h(idx(t))).sum
      if (den > 0) {
        for (a <- idx.indices; b <- idx.indices) m(idx(a))(idx(b)) -= dd(a) * dd(b) / dd.sum
      }
    }
    m
  }

  test("M^-1 r solves the dense M of the class comment; M 1 = lambda 1 on a penalized group; M is positive definite") {
    val rnd = new Random(8)
    val groups = new ClassSumGroups(5, 3, 5, Array.tabulate(15)(j => if (j % 5 == 4) 0.0 else 0.01 * (1 + j % 2)))
    val h = Array.tabulate(15)(j => groups.penalty()(j) + (if (j % 5 == 2) 0.0 else math.exp(rnd.nextGaussian())))
    // M z = r for z = M^-1 r, and r.M r > 0, on random r.
    def solvesDense(h: Array[Double], groups: ClassSumGroups): (CgPreconditioner, Array[Array[Double]]) = {
      val (p, m) = (SoftmaxDiagonalPreconditioner.of(h, groups), dense(h, groups))
      for (trial <- 0 until 5) {
        val r = Array.fill(15)(rnd.nextGaussian())
        val z = new Array[Double](15)
        p.solve(r, z)
        val mz = m.map(row => row.indices.map(j => row(j) * z(j)).sum)
        mz.indices.foreach(j => assert(math.abs(mz(j) - r(j)) <= 1e-12 * (1 + math.abs(r(j))), s"trial $trial entry $j"))
        assert(m.indices.map(i => r(i) * m(i).indices.map(j => m(i)(j) * r(j)).sum).sum > 0)
      }
      (p, m)
    }
    val (p, m) = solvesDense(h, groups)
    // Every group penalized, the last included; parameters 4, 9, 14 in no group (stride 5 > 4 groups).
    val other = new ClassSumGroups(4, 3, 5, Array.tabulate(15)(j => if (j % 5 == 4) 0.0 else 0.01))
    solvesDense(Array.tabulate(15)(j => other.penalty()(j) + math.exp(rnd.nextGaussian())), other)
    // Group 0, penalty 0.01 and 0.02 alternating: M 1 is the penalty.
    val ones = new Array[Double](15)
    (0 until 3).foreach(c => ones(groups.index(0, c)) = 1.0)
    val m1 = m.map(row => row.indices.map(j => row(j) * ones(j)).sum)
    (0 until 3).foreach(c => assert(math.abs(m1(groups.index(0, c)) - groups.penalty()(groups.index(0, c))) <= 1e-14))
    // Group 4 (the "intercepts", no penalty) and group 2 (no data curvature) keep the plain diagonal.
    for (g <- Seq(2, 4)) {
      val r = new Array[Double](15)
      (0 until 3).foreach(c => r(groups.index(g, c)) = 1.0 + c)
      val z = new Array[Double](15)
      p.solve(r, z)
      (0 until 3).foreach { c =>
        val expected = r(groups.index(g, c)) / h(groups.index(g, c))
        assert(math.abs(z(groups.index(g, c)) - expected) <= 1e-15 * math.abs(expected))
      }
    }
  }

  test("Newton-CG with softmax-diagonal reaches the plain diagonal's optimum, with and without intercepts") {
    for (intercept <- Seq(true, false)) {
      val f = objective(intercept)
      def run(p: NewtonCgConfig.Preconditioner) = new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10)
        .withPreconditioner(p)).minimize(f, new Array[Double](f.dimension()))
      val plain = run(NewtonCgConfig.Preconditioner.DIAGONAL)
      val corrected = run(NewtonCgConfig.Preconditioner.SOFTMAX_DIAGONAL)
      assert(corrected.termination().get().converged(), corrected.detail())
      assert(math.abs(corrected.value() - plain.value()) <= 1e-12 * plain.value())
    }
    // Another model: the plain diagonal, the same iterates.
    val binary = TestModels.regularized(TestModels.logistic(d, true,
      new LocalBlockFold(TestData.blocks(TestData.rows(300, d, 0.5, 3L), d, 64, sparse = true))), lambda)
    def runBinary(p: NewtonCgConfig.Preconditioner) = new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10)
      .withPreconditioner(p)).minimize(binary, new Array[Double](d + 1))
    assert(runBinary(NewtonCgConfig.Preconditioner.SOFTMAX_DIAGONAL).point().toSeq ==
      runBinary(NewtonCgConfig.Preconditioner.DIAGONAL).point().toSeq)
  }
}
