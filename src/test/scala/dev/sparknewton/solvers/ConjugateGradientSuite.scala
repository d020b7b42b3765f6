package dev.sparknewton.solvers

import dev.sparknewton.linalg.{Cholesky, ColumnMatrix, Vectors}
import dev.sparknewton.objective.{ClassSumGroups, CurvatureOperator}
import org.scalatest.funsuite.AnyFunSuite
import scala.util.Random

class ConjugateGradientSuite extends AnyFunSuite {

  /** A dense matrix as an operator, counting its products. */
  private final class MatrixOperator(a: ColumnMatrix) extends CurvatureOperator {
    var products = 0
    override def dimension(): Int = a.rows()
    override def hessianVectorProduct(v: Array[Double]): Array[Double] = { products += 1; a.multiply(v) }
    override def hessianBlockProduct(v: ColumnMatrix): ColumnMatrix =
      ColumnMatrix.ofColumns((0 until v.cols()).map(c => hessianVectorProduct(v.column(c))): _*)
    override def denseHessian(): ColumnMatrix = a.copy()
  }

  private def relDiff(x: Array[Double], y: Array[Double]): Double =
    Vectors.norm(Vectors.plus(x, -1.0, y)) / Vectors.norm(y)

  private val n = 30

  test("CG on random SPD systems matches a dense Cholesky solve, within n + 5 iterations") {
    val rnd = new Random(101)
    for (trial <- 0 until 5) {
      val a = DenseTestObjective.randomSpd(n, 0.5, rnd)
      val g = Array.fill(n)(rnd.nextGaussian())
      val expected = Cholesky.factor(a).get().solve(Vectors.times(-1.0, g))
      for (rule <- Seq[CgStoppingRule](new CgStoppingRule.ResidualForcing(1e-14))) {
        val op = new MatrixOperator(a)
        val result = new ConjugateGradient(1000).solve(op, g, DiagonalPreconditioner.identity(n), rule)
        assert(result.exit() == CgResult.Exit.RESIDUAL_FORCING, s"trial $trial")
        assert(relDiff(result.step(), expected) < 1e-10, s"trial $trial")
        assert(result.iterations() <= n + 5, s"trial $trial: ${result.iterations()} iterations")
        assert(op.products == result.iterations())
        val q = Vectors.dot(g, result.step()) + 0.5 * Vectors.dot(result.step(), a.multiply(result.step()))
        assert(math.abs(result.modelDecrease() + q) < 1e-10 * math.abs(q))
      }
    }
  }

  test("the fused sweeps give the textbook PCG iterates bit for bit (identity, diagonal, softmax-diagonal)") {
    val rnd = new Random(108)
    val a = DenseTestObjective.randomSpd(n, 1e-3, rnd)
    val g = Array.fill(n)(rnd.nextGaussian())
    val diagonal = Array.tabulate(n)(j => a.get(j, j))
    // 5 groups of 6 members at stride 5, the last 5 parameters outside every group; one group unpenalized.
    val groups = new ClassSumGroups(5, 5, 5, Array.tabulate(n)(j => if (j % 5 == 3) 0.0 else 1e-3))
    val preconditioners = Seq(DiagonalPreconditioner.identity(n),
      DiagonalPreconditioner.fromHessianDiagonal(diagonal), SoftmaxDiagonalPreconditioner.of(diagonal, groups))
    assert(preconditioners(2).isInstanceOf[SoftmaxDiagonalPreconditioner])
    for ((m, which) <- preconditioners.zipWithIndex; k <- Seq(1, 4, 9)) {
      // Separate axpys and dots, in the order of the class comment's recurrence.
      val s = new Array[Double](n)
      val r = Vectors.times(-1.0, g)
      val z = new Array[Double](n)
      m.solve(r, z)
      val d = z.clone()
      var rz = Vectors.dot(r, z)
      var q = 0.0
      for (j <- 1 to k) {
        val hd = a.multiply(d)
        val alpha = rz / Vectors.dot(d, hd)
        Vectors.axpy(alpha, d, s)
        Vectors.axpy(-alpha, hd, r)
        q = 0.5 * (Vectors.dot(g, s) - Vectors.dot(r, s))
        if (j < k) {
          m.solve(r, z)
          val rzNew = Vectors.dot(r, z)
          val beta = rzNew / rz
          for (i <- 0 until n) d(i) = z(i) + beta * d(i)
          rz = rzNew
        }
      }
      val result = new ConjugateGradient(k).solve(new MatrixOperator(a), g, m,
        new CgStoppingRule.ResidualForcing(1e-14))
      assert(result.exit() == CgResult.Exit.MAX_ITERATIONS, s"preconditioner $which, $k iterations")
      assert(result.step().sameElements(s), s"preconditioner $which, $k iterations")
      assert(result.modelDecrease() == -q, s"preconditioner $which, $k iterations")
      // solveDot is solve and Vectors.dot, bit for bit.
      val (z1, z2) = (new Array[Double](n), new Array[Double](n))
      m.solve(r, z1)
      assert(m.solveDot(r, z2) == Vectors.dot(r, z1) && z2.sameElements(z1))
    }
  }

  test("with the diagonal preconditioner CG also matches the Cholesky solve") {
    val rnd = new Random(102)
    val a = DenseTestObjective.randomSpd(n, 0.5, rnd)
    val g = Array.fill(n)(rnd.nextGaussian())
    val expected = Cholesky.factor(a).get().solve(Vectors.times(-1.0, g))
    val m = DiagonalPreconditioner.fromHessianDiagonal(Array.tabulate(n)(j => a.get(j, j)))
    val result = new ConjugateGradient(1000).solve(new MatrixOperator(a), g, m,
      new CgStoppingRule.ResidualForcing(1e-14))
    assert(relDiff(result.step(), expected) < 1e-10)
  }

  test("a loose forcing term stops early with a residual within the bound") {
    val rnd = new Random(103)
    val a = DenseTestObjective.randomSpd(n, 0.1, rnd)
    val g = Array.fill(n)(rnd.nextGaussian())
    val result = new ConjugateGradient(1000).solve(new MatrixOperator(a), g,
      DiagonalPreconditioner.identity(n), new CgStoppingRule.ResidualForcing(0.5))
    val residual = Vectors.plus(Vectors.times(-1.0, g), -1.0, a.multiply(result.step()))
    assert(Vectors.norm(residual) <= 0.5 * Vectors.norm(g))
    assert(result.iterations() < n)
    assert(Vectors.dot(g, result.step()) < 0)
  }

  test("the quadratic-model stop satisfies LIBLINEAR's condition at exit and not one iteration before") {
    val rnd = new Random(104)
    val a = DenseTestObjective.randomSpd(n, 0.05, rnd)
    val g = Array.fill(n)(rnd.nextGaussian() * 0.01)
    val epsCg = 0.1
    val cg = new ConjugateGradient(1000)
    val rule = new CgStoppingRule.QuadraticModel(epsCg)
    val result = cg.solve(new MatrixOperator(a), g, DiagonalPreconditioner.identity(n), rule)
    assert(result.exit() == CgResult.Exit.QUADRATIC_MODEL)
    val j = result.iterations()
    assert(j >= 2 && j < n, s"$j iterations")
    // Q_j from the returned step, Q_{j-1} and Q_{j-2} from runs capped one and two iterations earlier.
    def model(s: Array[Double]) = Vectors.dot(g, s) + 0.5 * Vectors.dot(s, a.multiply(s))
    def capped(k: Int) = new ConjugateGradient(k).solve(new MatrixOperator(a), g, DiagonalPreconditioner.identity(n), rule)
    val cgtol = math.min(epsCg, math.sqrt(Vectors.norm(g)))
    val qj = model(result.step()); val qj1 = model(capped(j - 1).step()); val qj2 = model(capped(j - 2).step())
    assert(j * (qj - qj1) >= cgtol * qj)
    assert(!((j - 1) * (qj1 - qj2) >= cgtol * qj1))
    assert(math.abs(result.modelDecrease() + qj) < 1e-12 * math.abs(qj))
  }

  test("a model decrease cap stops CG at the first iterate promising that much, not one before") {
    val rnd = new Random(107)
    val a = DenseTestObjective.randomSpd(n, 0.01, rnd)
    val g = Array.fill(n)(rnd.nextGaussian())
    val op = new MatrixOperator(a)
    val m = DiagonalPreconditioner.identity(n)
    val tight = new CgStoppingRule.ResidualForcing(1e-12)
    def model(s: Array[Double]) = Vectors.dot(g, s) + 0.5 * Vectors.dot(s, a.multiply(s))
    val full = new ConjugateGradient(1000).solve(op, g, m, tight)
    for (fraction <- Seq(0.3, 0.9, 0.99)) {
      val cap = fraction * full.modelDecrease()
      val r = new ConjugateGradient(1000).solveWithin(op, g, m, tight, Double.PositiveInfinity, cap)
      assert(r.exit() == CgResult.Exit.MODEL_BOUND, s"fraction $fraction")
      val j = r.iterations()
      assert(-model(r.step()) >= cap)
      val before = if (j == 1) new Array[Double](n) else new ConjugateGradient(j - 1).solve(op, g, m, tight).step()
      assert(-model(before) < cap, s"fraction $fraction: iterate ${j - 1} already promised $cap")
      assert(math.abs(r.modelDecrease() + model(r.step())) <= 1e-10 * r.modelDecrease())
    }
    // A cap above what the exact solution promises changes nothing.
    val uncapped = new ConjugateGradient(1000).solveWithin(op, g, m, tight, Double.PositiveInfinity,
      2 * full.modelDecrease())
    assert(uncapped.exit() == full.exit() && uncapped.step().sameElements(full.step()))
  }

  test("negative curvature ends CG with the last iterate, a descent direction") {
    val rnd = new Random(105)
    // A = Q diag(1..29, -1) Q^T with a random orthogonal Q (Gram-Schmidt).
    val q = Array.fill(n)(Array.fill(n)(rnd.nextGaussian()))
    for (i <- 0 until n) {
      for (k <- 0 until i) { val c = Vectors.dot(q(i), q(k)); Vectors.axpy(-c, q(k), q(i)) }
      Vectors.scale(1.0 / Vectors.norm(q(i)), q(i))
    }
    val eig = Array.tabulate(n)(i => if (i == n - 1) -1.0 else (i + 1).toDouble)
    val a = ColumnMatrix.zeros(n, n)
    for (i <- 0 until n; j <- 0 until n) a.set(i, j, (0 until n).map(k => q(k)(i) * eig(k) * q(k)(j)).sum)
    val g = Array.fill(n)(rnd.nextGaussian())
    val result = new ConjugateGradient(1000).solve(new MatrixOperator(a), g,
      DiagonalPreconditioner.identity(n), new CgStoppingRule.ResidualForcing(1e-12))
    assert(result.exit() == CgResult.Exit.NEGATIVE_CURVATURE)
    assert(result.iterations() > 1)
    assert(Vectors.dot(g, result.step()) < 0)
    assert(result.modelDecrease() > 0)
  }

  test("negative curvature at the first iteration returns the preconditioned steepest-descent direction") {
    val a = ColumnMatrix.identity(4); a.addToDiagonal(-2.0) // -I
    val g = Array(1.0, -2.0, 3.0, 0.5)
    val diag = Array(-2.0, -4.0, -1.0, -8.0) // the guard takes |h_jj|
    val result = new ConjugateGradient(10).solve(new MatrixOperator(a), g,
      DiagonalPreconditioner.fromHessianDiagonal(diag), new CgStoppingRule.ResidualForcing(0.1))
    assert(result.exit() == CgResult.Exit.NEGATIVE_CURVATURE)
    assert(result.iterations() == 1)
    assert(result.step().toSeq == g.indices.map(j => -g(j) / math.abs(diag(j))))
  }

  test("the exact diagonal preconditioner cuts iterations on a badly scaled diagonally dominant matrix") {
    val rnd = new Random(106)
    val scale = Array.tabulate(n)(j => math.pow(10.0, 6.0 * j / (n - 1)))
    val a = ColumnMatrix.zeros(n, n)
    for (i <- 0 until n; j <- 0 to i) {
      val c = if (i == j) 1.0 else 0.3 * rnd.nextGaussian() / n
      val v = c * math.sqrt(scale(i) * scale(j))
      a.set(i, j, v); a.set(j, i, v)
    }
    val g = Array.fill(n)(rnd.nextGaussian())
    val expected = Cholesky.factor(a).get().solve(Vectors.times(-1.0, g))
    val rule = new CgStoppingRule.ResidualForcing(1e-10)
    val plain = new ConjugateGradient(10000).solve(new MatrixOperator(a), g, DiagonalPreconditioner.identity(n), rule)
    val m = DiagonalPreconditioner.fromHessianDiagonal(Array.tabulate(n)(j => a.get(j, j)))
    val pre = new ConjugateGradient(10000).solve(new MatrixOperator(a), g, m, rule)
    assert(pre.exit() == CgResult.Exit.RESIDUAL_FORCING)
    assert(relDiff(pre.step(), expected) < 1e-6)
    assert(pre.iterations() * 2 < plain.iterations(), s"${pre.iterations()} vs ${plain.iterations()}")
  }

  test("a zero gradient gives a zero step without any product; bad inputs are rejected") {
    val op = new MatrixOperator(ColumnMatrix.identity(3))
    val r = new ConjugateGradient(5).solve(op, new Array[Double](3), DiagonalPreconditioner.identity(3),
      new CgStoppingRule.ResidualForcing(0.5))
    assert(r.exit() == CgResult.Exit.ZERO_GRADIENT && r.iterations() == 0 && op.products == 0)
    assert(r.step().forall(_ == 0.0))
    intercept[IllegalArgumentException](new ConjugateGradient(0))
    intercept[IllegalArgumentException](new CgStoppingRule.ResidualForcing(1.0))
    intercept[IllegalArgumentException](new ConjugateGradient(5).solve(op, new Array[Double](4),
      DiagonalPreconditioner.identity(4), new CgStoppingRule.ResidualForcing(0.5)))
  }

  test("the diagonal preconditioner guards tiny, negative and non-finite entries") {
    val z = new Array[Double](3)
    DiagonalPreconditioner.fromHessianDiagonal(Array(4.0, -2.0, 0.0)).solve(Array(1.0, 1.0, 1.0), z)
    assert(z.toSeq == Seq(0.25, 0.5, 1.0 / (4.0 * DiagonalPreconditioner.FLOOR)))
    DiagonalPreconditioner.fromHessianDiagonal(Array(4.0, Double.NaN, 1.0)).solve(Array(1.0, 2.0, 3.0), z)
    assert(z.toSeq == Seq(1.0, 2.0, 3.0))
  }
}
