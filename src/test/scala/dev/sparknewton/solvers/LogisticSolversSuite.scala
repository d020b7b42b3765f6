package dev.sparknewton.solvers

import dev.sparknewton.{LiblinearReference, TestData, TestModels}
import dev.sparknewton.objective.{LocalBlockFold, RecordingFold, SecondOrderObjective}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._

/**
 * Both solvers on L2-regularized logistic regression against LIBLINEAR's Java port (2.44) as the
 * independent reference: `Linear.train(problem, new Parameter(SolverType.L2R_LR, C, 1e-12))` with
 * `C = 1 / (n lambda)`, unit weights; LIBLINEAR minimizes `||w||^2 / 2 + C sum log(1 + exp(-y w.x))`,
 * our objective times `n C`. With an intercept, LIBLINEAR gets `bias = 1` and
 * `setRegularizeBias(false)`, matching our unregularized intercept.
 */
class LogisticSolversSuite extends AnyFunSuite {

  private val n = 1500
  private val d = 20
  private val lambda = 1e-3
  private val rows = TestData.rows(n, d, density = 0.4, seed = 31L, weighted = false)

  private def objective(intercept: Boolean): (SecondOrderObjective, RecordingFold) = {
    val fold = new RecordingFold(new LocalBlockFold(TestData.blocks(rows, d, 128, sparse = true)))
    (TestModels.regularized(TestModels.logistic(d, intercept, fold), lambda), fold)
  }

  private def liblinear(intercept: Boolean): Array[Double] =
    LiblinearReference.optimum(
      rows.map(r => LiblinearReference.Row(r.indices, r.values, r.label)), d, lambda, intercept)

  private def relErr(a: Double, b: Double): Double = math.abs(a - b) / math.max(1.0, math.abs(b))

  private def solvers: Seq[Solver] = Seq(
    new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-10)),
    new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10)),
    new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10)
      .withForcing(NewtonCgConfig.Forcing.QUADRATIC_MODEL)),
    new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10)
      .withPreconditioner(NewtonCgConfig.Preconditioner.NONE)),
    new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10)
      .withPreconditioner(NewtonCgConfig.Preconditioner.NYSTROM)
      .withSketch(new LowRankSketchConfig(5, 3, 0))),
    new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10)
      .withGlobalization(NewtonCgConfig.Globalization.TRUST_REGION)),
    new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10)
      .withGlobalization(NewtonCgConfig.Globalization.TRUST_REGION)
      .withPreconditioner(NewtonCgConfig.Preconditioner.NYSTROM)
      .withSketch(new LowRankSketchConfig(5, 3, 0))),
    new LowRankSaddleFreeNewton(LrsfnConfig.defaults().withTol(1e-10)),
    new LowRankSaddleFreeNewton(LrsfnConfig.defaults().withTol(1e-10).withMaxIter(1000)
      .withSketch(new LowRankSketchConfig(8, 4, 0))),
    // The adaptive rule stalls at the rounding floor of f before ||g|| <= 1e-10 ||g_0||: tol 1e-8.
    new LowRankSaddleFreeNewton(LrsfnConfig.defaults().withTol(1e-8).withMaxIter(1000)
      .withSketch(new LowRankSketchConfig(8, 4, 0)).withGammaRule(LrsfnConfig.GammaRule.ADAPTIVE)),
    new LowRankSaddleFreeNewton(LrsfnConfig.defaults().withTol(1e-10)
      .withEigenMethod(dev.sparknewton.randomized.RandomizedEigenConfig.Method.RAYLEIGH_RITZ)),
    new HessianFree(HessianFreeConfig.defaults().withTol(1e-10)))

  for (intercept <- Seq(false, true)) {
    test(s"exact Newton, Newton-CG (line search and trust region), LRSFN and Hessian-free reach LIBLINEAR's optimum (intercept=$intercept)") {
      val reference = liblinear(intercept)
      val (f, _) = objective(intercept)
      val fReference = f.evaluate(reference).value()
      for (solver <- solvers) {
        val last = solver.minimize(f, new Array[Double](f.dimension()))
        val label = s"${solver.name()} ${last.detail()}"
        assert(last.termination().get().converged(), s"$label: ${last.termination()}")
        assert(relErr(last.value(), fReference) < 1e-8, label)
        assert(last.value() <= fReference + 1e-12, label)
        last.point().indices.foreach(j => assert(relErr(last.point()(j), reference(j)) < 1e-5, s"$label w($j)"))
      }
    }
  }

  test("exact Newton on logistic regression costs one pass an iteration: no separate Hessian pass") {
    val (f, fold) = objective(intercept = true)
    val states = new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-10))
      .iterations(f, new Array[Double](f.dimension())).asScala.toIndexedSeq
    assert(states.last.termination().get().converged())
    assert(states.size <= 12, s"${states.size} states")
    val backtracked = states.tail.count(_.stepSize() < 1.0)
    assert(fold.passes == states.size + 2 * backtracked)
  }

  test("LRSFN with rank = dimension behaves like Newton: as few iterations as exact Newton, one pass each") {
    val (f, fold) = objective(intercept = false)
    val newton = new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-10)).minimize(f, new Array[Double](d))
    fold.passes = 0
    val states = new LowRankSaddleFreeNewton(LrsfnConfig.defaults().withTol(1e-10)
      .withSketch(new LowRankSketchConfig(d, 0, 0)))
      .iterations(f, new Array[Double](d)).asScala.toIndexedSeq
    assert(states.last.termination().get().converged())
    assert(states.size - 1 <= newton.iteration() + 1, s"${states.size - 1} vs Newton ${newton.iteration()}")
    assert(states.size <= 12)
    assert(states.tail.forall(_.damping().get() < 1e-8), "the sketch is exact: gamma at the floor")
    val backtracked = states.tail.count(_.stepSize() < 1.0)
    assert(fold.passes == states.size + 2 * backtracked, "Nystrom: one fused pass an iteration")
  }

  test("Newton-CG on logistic regression costs one pass per evaluation plus one per CG iteration") {
    val (f, fold) = objective(intercept = false)
    val states = new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10))
      .iterations(f, new Array[Double](f.dimension())).asScala.toIndexedSeq
    assert(states.last.termination().get().converged())
    val backtracked = states.tail.count(_.stepSize() < 1.0)
    assert(fold.passes == states.size + 2 * backtracked + states.map(_.innerIterations()).sum,
      "the diagonal is fused into the gradient pass")
  }

  test("sub-sampled Newton-CG (30% of rows for curvature) converges to the same optimum, in more iterations") {
    val reference = liblinear(intercept = false)
    val (f, _) = objective(intercept = false)
    val full = new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10)).minimize(f, new Array[Double](d))
    val sampled = new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10).withMaxIter(300)
      .withHessianSampleFraction(0.3).withSeed(7L)).minimize(f, new Array[Double](d))
    assert(sampled.termination().get().converged(), sampled.termination().toString)
    assert(sampled.iteration() > full.iteration())
    sampled.point().indices.foreach(j => assert(relErr(sampled.point()(j), reference(j)) < 1e-5))
    val again = new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10).withMaxIter(300)
      .withHessianSampleFraction(0.3).withSeed(7L)).minimize(f, new Array[Double](d))
    assert(again.point().sameElements(sampled.point()), "the same seed gives the same run")
  }

  test("sub-sampled exact Newton converges to the same optimum") {
    val reference = liblinear(intercept = false)
    val (f, _) = objective(intercept = false)
    val last = new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-10).withHessianSampleFraction(0.3))
      .minimize(f, new Array[Double](d))
    assert(last.termination().get().converged())
    last.point().indices.foreach(j => assert(relErr(last.point()(j), reference(j)) < 1e-5))
  }

  private def newtonCgOptimum(f: SecondOrderObjective): Array[Double] = {
    val last = new NewtonCg(NewtonCgConfig.defaults().withTol(1e-12)).minimize(f, new Array[Double](f.dimension()))
    assert(last.termination().get().converged())
    last.point()
  }

  private def relDiff(x: Array[Double], y: Array[Double]): Double =
    dev.sparknewton.linalg.Vectors.norm(dev.sparknewton.linalg.Vectors.plus(x, -1.0, y)) /
      dev.sparknewton.linalg.Vectors.norm(y)

  test("Hessian-free reaches Newton-CG's optimum to 1e-6 relative, with full and sub-sampled curvature; passes as counted") {
    val (f, fold) = objective(intercept = true)
    val optimum = newtonCgOptimum(f)
    for (fraction <- Seq(1.0, 0.3)) {
      fold.passes = 0
      val states = new HessianFree(HessianFreeConfig.defaults().withTol(1e-10).withHessianSampleFraction(fraction))
        .iterations(f, new Array[Double](f.dimension())).asScala.toIndexedSeq
      val last = states.last
      assert(last.termination().get().converged(), s"$fraction: ${last.termination()} ${last.detail()}")
      assert(relDiff(last.point(), optimum) < 1e-6, s"$fraction")
      // Per iteration: its evaluation, its CG products (and one for the warm start from the
      // second on), one backtracking pass, and a line-search pass when the full step failed.
      val n = states.size
      val lineSearches = states.tail.count(_.stepSize() < 1.0)
      assert(states.tail.forall(_.stepSize() > 0.0), "no rejected step")
      assert(fold.passes == n + states.map(_.innerIterations()).sum + (n - 2) + (n - 1) + lineSearches)
    }
  }

  test("gradient descent reaches Newton-CG's optimum; its trial step grows from 1 where steps are accepted") {
    val (f, _) = objective(intercept = true)
    val optimum = newtonCgOptimum(f)
    val states = new GradientDescent(GradientDescentConfig.defaults().withTol(1e-6).withMaxIter(5000))
      .iterations(f, new Array[Double](f.dimension())).asScala.toIndexedSeq
    val last = states.last
    assert(last.termination().get().converged(), s"${last.termination()} ${last.detail()}")
    assert(relDiff(last.point(), optimum) < 1e-5)
    assert(states(1).detail().startsWith("trial step 1.000e+00"), states(1).detail())
    // Each trial is twice the last accepted step: t_{k+1} = 2 a_k t_k.
    def trial(s: SolverState) = s.detail().stripPrefix("trial step ").takeWhile(_ != ' ').toDouble
    for (k <- 1 until states.size - 1) {
      assert(math.abs(trial(states(k + 1)) - 2 * states(k).stepSize() * trial(states(k))) <=
        1e-3 * trial(states(k + 1)), s"iteration $k")
    }
    assert(states.tail.map(trial).max > 4.0, "the trial step grew")
  }

  /** `-H g` for the BFGS inverse-Hessian updates of `pairs` (oldest first) from `(s.y / y.y) I`, as dense matrices. */
  private def denseLbfgsDirection(pairs: Seq[(Array[Double], Array[Double])], g: Array[Double]): Array[Double] = {
    val n = g.length
    if (pairs.isEmpty) return g.map(-_ / dev.sparknewton.linalg.Vectors.norm(g))
    def dot(a: Array[Double], b: Array[Double]) = a.indices.map(i => a(i) * b(i)).sum
    val (sLast, yLast) = pairs.last
    var h = Array.tabulate(n, n)((i, j) => if (i == j) dot(sLast, yLast) / dot(yLast, yLast) else 0.0)
    for ((s, y) <- pairs) {
      val rho = 1.0 / dot(s, y)
      // H+ = (I - rho s y^T) H (I - rho y s^T) + rho s s^T
      val left = Array.tabulate(n, n)((i, j) => (if (i == j) 1.0 else 0.0) - rho * s(i) * y(j))
      val lh = Array.tabulate(n, n)((i, j) => (0 until n).map(k => left(i)(k) * h(k)(j)).sum)
      h = Array.tabulate(n, n)((i, j) => (0 until n).map(k => lh(i)(k) * left(j)(k)).sum + rho * s(i) * s(j))
    }
    Array.tabulate(n)(i => -(0 until n).map(j => h(i)(j) * g(j)).sum)
  }

  test("L-BFGS: every direction is -H_k g_k of the BFGS updates of the last m pairs (dense reference); it reaches LIBLINEAR's optimum") {
    val (f, fold) = objective(intercept = true)
    val memory = 3
    val states = new Lbfgs(LbfgsConfig.defaults().withTol(1e-9).withMaxIter(1000).withMemory(memory))
      .iterations(f, new Array[Double](f.dimension())).asScala.toIndexedSeq
    val backtracked = states.tail.count(_.stepSize() < 1.0)
    assert(fold.passes == states.size + 2 * backtracked, "one fused pass an iteration when the unit step is accepted")
    val last = states.last
    assert(last.termination().get().converged(), s"${last.termination()} ${last.detail()}")
    val reference = liblinear(intercept = true)
    assert(relErr(last.value(), f.evaluate(reference).value()) < 1e-10)
    last.point().indices.foreach(j => assert(relErr(last.point()(j), reference(j)) < 1e-5, s"w($j)"))
    assert(states.size - 1 < 100, s"${states.size - 1} iterations")
    val gradients = states.map(s => f.evaluate(s.point()).gradient())
    for (k <- 0 until math.min(12, states.size - 1)) {
      val pairs = (0 until k).map(i => (dev.sparknewton.linalg.Vectors.plus(states(i + 1).point(), -1.0, states(i).point()),
        dev.sparknewton.linalg.Vectors.plus(gradients(i + 1), -1.0, gradients(i)))).takeRight(memory)
      val expected = denseLbfgsDirection(pairs, gradients(k))
      val taken = dev.sparknewton.linalg.Vectors.times(1.0 / states(k + 1).stepSize(),
        dev.sparknewton.linalg.Vectors.plus(states(k + 1).point(), -1.0, states(k).point()))
      assert(relDiff(taken, expected) < 1e-8, s"iteration $k: ${relDiff(taken, expected)}")
      assert(states(k + 1).detail() == s"L-BFGS: ${pairs.size} of $memory pairs", states(k + 1).detail())
    }
  }

  test("an L-BFGS warm start: its iterations are L-BFGS's own, bit for bit, on value-and-gradient passes; Newton-CG takes over with no extra pass and reaches LIBLINEAR's optimum") {
    val warmIterations = 4
    val (f0, _) = objective(intercept = true)
    val lbfgs = new Lbfgs(LbfgsConfig.defaults().withMaxIter(warmIterations))
      .iterations(f0, new Array[Double](f0.dimension())).asScala.toIndexedSeq
    val (f, fold) = objective(intercept = true)
    val solver = new WarmStarted(new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10)), warmIterations, 10)
    assert(solver.name() == "newton-cg")
    val states = solver.iterations(f, new Array[Double](f.dimension())).asScala.toIndexedSeq
    val passes = fold.passes
    for (k <- 0 to warmIterations) {
      assert(states(k).point().toSeq == lbfgs(k).point().toSeq, s"iterate $k")
      if (k > 0) {
        assert(states(k).detail() == s"warm start $k/$warmIterations, ${lbfgs(k).detail()}")
        assert(states(k).innerIterations() == 0)
      }
    }
    assert(states(warmIterations + 1).detail().startsWith("CG: "), states(warmIterations + 1).detail())
    assert(states.drop(warmIterations + 1).forall(_.innerIterations() > 0))
    val last = states.last
    assert(last.termination().get().converged(), s"${last.termination()} ${last.detail()}")
    val reference = liblinear(intercept = true)
    assert(relErr(last.value(), f.evaluate(reference).value()) < 1e-10)
    last.point().indices.foreach(j => assert(relErr(last.point()(j), reference(j)) < 1e-5, s"w($j)"))
    // No pass beyond Newton-CG's own count: the hand-over re-evaluates nothing.
    val backtracked = states.tail.count(_.stepSize() < 1.0)
    assert(passes == states.size + 2 * backtracked + states.map(_.innerIterations()).sum)
    // Iterates 0 .. warmIterations - 1 are evaluated without the diagonal (with a trial full step
    // before each backtracked one), iterate warmIterations on with it.
    val gradientPasses = fold.names.take(passes).filter(_.startsWith("gradient")).toSeq
    val plain = 1 + (1 until warmIterations).map(k => if (states(k).stepSize() < 1.0) 2 else 1).sum
    assert(gradientPasses.take(plain).forall(_ == "gradient"), gradientPasses.take(plain + 1))
    assert(gradientPasses(plain) == "gradient + diagonal", gradientPasses.take(plain + 1))
    assert(gradientPasses.drop(plain).forall(_ == "gradient + diagonal"))
  }

  test("the warm start takes exact Newton, line-search Newton-CG and LRSFN, and refuses the rest in one line") {
    val (f, _) = objective(intercept = false)
    for (newton <- Seq[Solver](new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-10)),
      new LowRankSaddleFreeNewton(LrsfnConfig.defaults().withTol(1e-10)))) {
      val last = new WarmStarted(newton, 3, 5).minimize(f, new Array[Double](d))
      assert(last.termination().get().converged(), s"${newton.name()}: ${last.termination()}")
      assert(relErr(last.value(), f.evaluate(liblinear(intercept = false)).value()) < 1e-10, newton.name())
    }
    val trust = new NewtonCg(NewtonCgConfig.defaults().withGlobalization(NewtonCgConfig.Globalization.TRUST_REGION))
    assert(intercept[IllegalArgumentException](new WarmStarted(trust, 3, 5)).getMessage ==
      "solver.warmStartIterations = 3 applies to exact-newton, newton-cg and lrsfn, not trust-region; set it to 0")
    assert(intercept[IllegalArgumentException](new WarmStarted(new HessianFree(HessianFreeConfig.defaults()), 3, 5))
      .getMessage.endsWith("not hessian-free; set it to 0"))
    assert(intercept[IllegalArgumentException](new WarmStarted(new NewtonCg(NewtonCgConfig.defaults()), 0, 5))
      .getMessage == "solver.warmStartIterations must be >= 1, got 0")
  }

  test("Adam: full-batch Adam gets close to the optimum and is deterministic; mini-batches follow the seed") {
    val (f, fold) = objective(intercept = true)
    val optimum = newtonCgOptimum(f)
    val fStar = f.evaluate(optimum).value()
    def adam(fraction: Double, seed: Long, steps: Int, rate: Double) =
      new Adam(AdamConfig.defaults().withBatchFraction(fraction).withSeed(seed).withMaxIter(steps)
        .withLearningRate(rate))
    fold.passes = 0
    val states = adam(1.0, 1L, 3000, 1e-2).iterations(f, new Array[Double](f.dimension())).asScala.toIndexedSeq
    assert(states.size == 3001 && fold.passes == 3001, "one pass a step")
    val last = states.last
    assert(last.termination().get() == Termination.MAX_ITERATIONS)
    assert(relDiff(last.point(), optimum) < 1e-4)
    val again = adam(1.0, 2L, 3000, 1e-2).minimize(f, new Array[Double](f.dimension()))
    assert(again.point().sameElements(last.point()), "all rows: the seed plays no part")
    val batch = adam(0.1, 5L, 300, 1e-2).minimize(f, new Array[Double](f.dimension()))
    val same = adam(0.1, 5L, 300, 1e-2).minimize(f, new Array[Double](f.dimension()))
    val other = adam(0.1, 6L, 300, 1e-2).minimize(f, new Array[Double](f.dimension()))
    assert(same.point().sameElements(batch.point()))
    assert(!other.point().sameElements(batch.point()))
    assert(batch.detail().contains("epoch 30.000"), batch.detail())
    val f0 = f.evaluate(new Array[Double](f.dimension())).value()
    val fBatch = f.evaluate(batch.point()).value()
    assert(fBatch - fStar < 0.05 * (f0 - fStar), "mini-batch Adam makes progress on the full objective")
  }
}
