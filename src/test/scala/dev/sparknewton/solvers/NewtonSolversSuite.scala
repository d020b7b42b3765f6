package dev.sparknewton.solvers

import dev.sparknewton.linalg.{Cholesky, ColumnMatrix, Vectors}
import dev.sparknewton.objective.{Evaluation, EvaluationRequest, SecondOrderObjective}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

class NewtonSolversSuite extends AnyFunSuite {

  private def run(solver: Solver, f: SecondOrderObjective, w0: Array[Double]): IndexedSeq[SolverState] =
    solver.iterations(f, w0).asScala.toIndexedSeq

  private def maxAbsDiff(x: Array[Double], y: Array[Double]): Double =
    x.indices.map(i => math.abs(x(i) - y(i))).max

  private def exactNewton(tol: Double = 1e-12) =
    new ExactNewton(ExactNewtonConfig.defaults().withTol(tol))

  private def newtonCg(tol: Double = 1e-12) =
    new NewtonCg(NewtonCgConfig.defaults().withTol(tol))

  private def cgVariants: Seq[(String, NewtonCg)] = for {
    forcing <- NewtonCgConfig.Forcing.values().toSeq
    pre <- NewtonCgConfig.Preconditioner.values().toSeq
  } yield (s"$forcing/$pre", new NewtonCg(NewtonCgConfig.defaults().withTol(1e-12).withForcing(forcing)
    .withPreconditioner(pre)))

  private def quadratic(seed: Long, n: Int = 30): QuadraticObjective = {
    val rnd = new Random(seed)
    new QuadraticObjective(DenseTestObjective.randomSpd(n, 0.2, rnd), Array.fill(n)(rnd.nextGaussian()))
  }

  private def minimizer(q: QuadraticObjective): Array[Double] = Cholesky.factor(q.a).get().solve(q.b)

  test("exact Newton solves a quadratic in exactly one iteration, at one pass an iteration") {
    val q = quadratic(1)
    val states = run(exactNewton(), q, new Array[Double](30))
    assert(states.size == 2)
    assert(states.last.termination().get().converged())
    assert(states.last.stepSize() == 1.0)
    assert(maxAbsDiff(states.last.point(), minimizer(q)) < 1e-8)
    assert(q.evaluations == 2 && q.lineValuePasses == 0 && q.hessianPasses == 0,
      "value, gradient and dense Hessian are fused; the full step is the next evaluation")
    assert(states.head.iteration() == 0 && states.head.termination().isEmpty)
  }

  test("Newton-CG reaches the closed-form minimum of random SPD quadratics, with every forcing and preconditioner") {
    for (seed <- 2L to 4L; (label, solver) <- cgVariants) {
      val q = quadratic(seed)
      val last = solver.minimize(q, new Array[Double](30))
      assert(last.termination().get().converged(), s"$label seed $seed: ${last.termination()}")
      assert(maxAbsDiff(last.point(), minimizer(q)) < 1e-8, s"$label seed $seed")
    }
  }

  test("pass economy on a quadratic: accepted full steps cost no line-search pass; CG costs one Hv each") {
    val q = quadratic(5)
    val states = run(newtonCg(), q, new Array[Double](30))
    assert(states.last.termination().get().converged())
    assert(states.tail.forall(_.stepSize() == 1.0))
    assert(q.lineValuePasses == 0)
    assert(q.evaluations == states.size, "one evaluation per state: the full step is the next gradient pass")
    assert(q.hessianPasses == states.map(_.innerIterations()).sum)
    assert(states.size > 2, "Eisenstat-Walker forcing starts loose, so more than one iteration")
  }

  test("forcing auto: the quadratic-model stop and driverMaxCgIterations when products run on the driver, Eisenstat-Walker and maxCgIterations when each is a pass") {
    def history(forcing: NewtonCgConfig.Forcing, passes: Boolean, maxCg: Int, driverMaxCg: Int) = {
      val q = quadratic(11, 60)
      q.productsArePasses = passes
      val config = NewtonCgConfig.defaults().withTol(1e-12).withMaxIter(25).withForcing(forcing)
        .withMaxCgIterations(maxCg).withDriverMaxCgIterations(driverMaxCg)
      run(new NewtonCg(config), q, new Array[Double](60))
        .map(s => (s.point().toSeq, s.value(), s.innerIterations(), s.detail()))
    }
    import NewtonCgConfig.Forcing._
    for (passes <- Seq(false, true)) {
      val auto = history(AUTO, passes, 100, 100)
      val quadraticModel = history(QUADRATIC_MODEL, passes, 100, 100)
      val eisenstatWalker = history(EISENSTAT_WALKER, passes, 100, 100)
      assert(quadraticModel.map(_._4) != eisenstatWalker.map(_._4), "the two rules must differ here")
      val expected = if (passes) eisenstatWalker else quadraticModel
      val same = auto == expected
      assert(same, s"products are passes: $passes; auto ${auto.map(_._4).mkString("; ")}")
    }
    // Caps small enough to bind: each applies only where the products run.
    val onDriver = history(AUTO, passes = false, 7, 3).map(_._3)
    val asPasses = history(AUTO, passes = true, 7, 3).map(_._3)
    assert(onDriver.max == 3, onDriver)
    assert(asPasses.max == 7, asPasses)
    assert(NewtonCgConfig.defaults().forcing() == AUTO)
    assert(NewtonCgConfig.defaults().driverMaxCgIterations() == 500 &&
      NewtonCgConfig.defaults().maxCgIterations() == 250)
  }

  /**
   * The driver-side cap each step of `states` had under `driverMaxCgGrowth`, replayed from what
   * the states say: the cap doubles (to at most `base * growth`) after a step whose CG stopped at
   * it and whose line search took the unit step, and halves (not below `base`) after a cut step.
   * Asserts every step's CG count against its cap on the way.
   */
  private def replayedCaps(states: IndexedSeq[SolverState], base: Int, growth: Int): Seq[Int] = {
    var cap = base
    states.tail.map { s =>
      val capped = s.detail().contains(CgResult.Exit.MAX_ITERATIONS.description())
      assert(s.innerIterations() <= cap && (!capped || s.innerIterations() == cap),
        s"iteration ${s.iteration()}: ${s.innerIterations()} CG iterations under cap $cap: ${s.detail()}")
      val used = cap
      if (capped && s.stepSize() == 1.0) cap = math.min(2 * cap, base * growth)
      else if (s.stepSize() != 1.0) cap = math.max(base, cap / 2)
      used
    }
  }

  test("driverMaxCgGrowth: the driver-side CG cap doubles after capped steps taken whole, halves after cut steps, and is fixed at 1 or when products are passes") {
    def states(f: DenseTestObjective, w0: Array[Double], passes: Boolean, growth: Int,
        base: Int = 3) = {
      f.productsArePasses = passes
      val config = NewtonCgConfig.defaults().withTol(1e-10).withMaxIter(400)
        .withForcing(NewtonCgConfig.Forcing.QUADRATIC_MODEL)
        .withMaxCgIterations(base).withDriverMaxCgIterations(base).withDriverMaxCgGrowth(growth)
      run(new NewtonCg(config), f, w0)
    }
    // An ill-conditioned quadratic: steps are taken whole, so the cap goes 3, 6, 12 and stays.
    val rnd = new Random(21)
    val q = new QuadraticObjective(DenseTestObjective.randomSpd(60, 1e-3, rnd),
      Array.fill(60)(rnd.nextGaussian()))
    val grown = states(q, new Array[Double](60), passes = false, growth = 4)
    // (Steps are cut only where the model decrease reaches the rounding of f, at the very end.)
    assert(grown.tail.take(100).forall(_.stepSize() == 1.0))
    assert(grown.tail.take(4).map(_.innerIterations()) == Seq(3, 6, 12, 12),
      grown.take(6).map(_.detail()))
    assert(replayedCaps(grown, 3, 4).take(4) == Seq(3, 6, 12, 12))
    assert(grown.last.termination().get().converged())
    for ((passes, growth) <- Seq((false, 1), (true, 4))) {
      val fixed = states(q, new Array[Double](60), passes, growth)
      assert(fixed.tail.map(_.innerIterations()).max == 3 &&
        replayedCaps(fixed, 3, 1).toSet == Set(3), s"passes $passes, growth $growth")
      assert(fixed.size > grown.size, "the fixed cap of 3 needs more iterations than the grown one")
    }
    // Rosenbrock: the line search cuts some steps, so the cap also comes back down.
    val w0 = Array.tabulate(10)(i => if (i % 2 == 0) -1.2 else 1.0)
    val rosenbrock = states(new RosenbrockObjective(10), w0, passes = false, growth = 8, base = 1)
    val caps = replayedCaps(rosenbrock, 1, 8)
    val halved = caps.zip(caps.tail).exists { case (a, b) => b < a }
    assert(caps.max > 1 && halved, s"caps $caps")
    assert(rosenbrock.last.termination().get().converged())
    assert(maxAbsDiff(rosenbrock.last.point(), Array.fill(10)(1.0)) < 1e-8)
  }

  test("Newton-CG and damped exact Newton reach (1, 1) on Rosenbrock from (-1.2, 1)") {
    for ((label, solver) <- cgVariants :+ ("exact" -> exactNewton())) {
      val f = new RosenbrockObjective(2)
      val last = solver.minimize(f, Array(-1.2, 1.0))
      assert(last.termination().get().converged(), s"$label: ${last.termination()} ${last.detail()}")
      assert(maxAbsDiff(last.point(), Array(1.0, 1.0)) < 1e-8, label)
    }
  }

  test("Newton-CG reaches all ones on the 10-dimensional extended Rosenbrock function") {
    val f = new RosenbrockObjective(10)
    val w0 = Array.tabulate(10)(i => if (i % 2 == 0) -1.2 else 1.0)
    for ((label, solver) <- cgVariants) {
      val last = solver.minimize(f, w0)
      assert(last.termination().get().converged(), s"$label: ${last.termination()}")
      assert(maxAbsDiff(last.point(), Array.fill(10)(1.0)) < 1e-8, label)
    }
  }

  test("negative curvature: Newton-CG leaves a saddle region by (preconditioned) steepest descent") {
    for ((label, solver) <- cgVariants) {
      val f = new DoubleWellObjective(3)
      val states = run(solver, f, Array(0.1, -0.2, 0.3))
      assert(states(1).detail().contains("negative"), s"$label: ${states(1).detail()}")
      assert(states(1).innerIterations() == 1)
      assert(states.last.termination().get().converged(), label)
      assert(maxAbsDiff(states.last.point(), Array(1.0, -1.0, 1.0)) < 1e-8, label)
    }
  }

  test("exact Newton damps an indefinite Hessian and reports the shift") {
    val f = new DoubleWellObjective(3)
    val states = run(exactNewton(), f, Array(0.1, -0.2, 0.3))
    val tau = states(1).damping().get()
    // H = diag(3 x^2 - 1) is negative definite: the shift must exceed 1 - 3 * 0.3^2 = 0.73.
    assert(tau > 0.73 && states(1).detail().contains("damped"))
    assert(states.last.termination().get().converged(), states.map(s => s"${s.point().toSeq} ${s.stepSize()} ${s.detail()} ${s.termination()}").mkString("\n"))
    assert(maxAbsDiff(states.last.point(), Array(1.0, -1.0, 1.0)) < 1e-8)
    assert(states.last.damping().get() == 0.0, "near the minimum the Hessian is definite")
  }

  test("initial-diagonal asks for the diagonal at the start point only, and keeps that preconditioner") {
    val q = quadratic(41L, 12)
    var requests = Vector.empty[Boolean]
    val recording = new SecondOrderObjective {
      override def dimension(): Int = q.dimension()
      override def evaluate(w: Array[Double], request: EvaluationRequest): Evaluation = {
        requests :+= request.diagonal()
        q.evaluate(w, request)
      }
    }
    for (globalization <- NewtonCgConfig.Globalization.values()) {
      requests = Vector.empty
      val last = new NewtonCg(NewtonCgConfig.defaults().withTol(1e-10).withGlobalization(globalization)
        .withPreconditioner(NewtonCgConfig.Preconditioner.INITIAL_DIAGONAL)).minimize(recording, new Array[Double](12))
      assert(last.termination().get().converged(), s"$globalization")
      assert(maxAbsDiff(last.point(), minimizer(q)) < 1e-8, s"$globalization")
      assert(requests.length > 2 && requests.head && !requests.tail.exists(identity), s"$globalization $requests")
    }
  }

  test("a line search that backtracks costs one line-value pass and one re-evaluation") {
    // Exact Newton on Rosenbrock from (-1.2, 1) rejects its first full step.
    val f = new RosenbrockObjective(2)
    val states = run(exactNewton(), f, Array(-1.2, 1.0))
    val backtracked = states.tail.count(_.stepSize() < 1.0)
    assert(backtracked > 0)
    assert(states.tail.forall(s => s.stepSize() == 1.0 || s.detail().contains("1 line-value evaluation")))
    assert(f.lineValuePasses == backtracked)
    assert(f.evaluations == states.size + backtracked)
    assert(f.hessianPasses == 0)
    for (s <- states.tail if s.stepSize() < 1.0) {
      val k = math.round(math.log(s.stepSize()) / math.log(0.5))
      assert(math.pow(0.5, k.toDouble) == s.stepSize(), "steps are powers of beta")
    }
  }

  test("an objective that turns NaN ends with NON_FINITE at the last finite point") {
    val q = quadratic(6)
    val poisoned = new QuadraticObjective(q.a, q.b) {
      override def valueAt(x: Array[Double]): Double = if (evaluations > 2) Double.NaN else super.valueAt(x)
      override def gradientAt(x: Array[Double]): Array[Double] =
        if (evaluations > 2) Array.fill(x.length)(Double.NaN) else super.gradientAt(x)
    }
    val states = run(newtonCg(), poisoned, new Array[Double](30))
    assert(states.last.termination().get() == Termination.NON_FINITE)
    assert(states.size == 3)
    assert(states.last.point().sameElements(states(1).point()) && states.last.value() == states(1).value())
    assert(java.lang.Double.isFinite(states.last.value()))
  }

  test("a direction along which the objective rises everywhere ends with LINE_SEARCH_FAILED") {
    // f = ||x||^2 / 2, but the reported gradient is -x: Newton's direction +x increases f for every step.
    val rigged = new DenseTestObjective(3) {
      override def valueAt(x: Array[Double]): Double = 0.5 * Vectors.dot(x, x)
      override def gradientAt(x: Array[Double]): Array[Double] = Vectors.times(-1.0, x)
      override def hessianAt(x: Array[Double]): ColumnMatrix = ColumnMatrix.identity(3)
    }
    val w0 = Array(1.0, 2.0, -1.0)
    val states = run(exactNewton(), rigged, w0)
    assert(states.size == 2)
    assert(states.last.termination().get() == Termination.LINE_SEARCH_FAILED)
    assert(states.last.point().sameElements(w0) && states.last.stepSize() == 0.0)
    assert(rigged.evaluations == 2, "start and the full step")
    assert(rigged.lineValuePasses == LineSearchConfig.DEFAULT_MAX_PASSES)
  }

  test("a non-descent direction falls back to steepest descent") {
    val ls = new LineSearch(LineSearchConfig.defaults())
    val q = new QuadraticObjective(ColumnMatrix.identity(2), Array(1.0, 1.0))
    val at = q.evaluate(Array(0.0, 0.0))
    ls.search(q, at, Array(1.0, -3.0), EvaluationRequest.valueAndGradient()) match {
      case a: LineSearchResult.Accepted =>
        assert(a.steepestDescentFallback() && a.direction().toSeq == Seq(1.0, 1.0) && a.stepSize() == 1.0)
      case other => fail(other.toString)
    }
  }

  test("maxIter = 2 ends with MAX_ITERATIONS after 3 states") {
    for (solver <- Seq[Solver](exactNewton(), newtonCg())) {
      val states = run(solver, new RosenbrockObjective(2), Array(-1.2, 1.0))
      val limited = solver match {
        case e: ExactNewton => new ExactNewton(e.config().withMaxIter(2))
        case c: NewtonCg => new NewtonCg(c.config().withMaxIter(2))
      }
      val s = run(limited, new RosenbrockObjective(2), Array(-1.2, 1.0))
      assert(s.size == 3 && s.map(_.iteration()) == Seq(0, 1, 2))
      assert(s.last.termination().get() == Termination.MAX_ITERATIONS)
      assert(s.init.forall(_.termination().isEmpty))
      assert(s.map(_.value()) == states.take(3).map(_.value()), "the iterator is deterministic and lazy")
    }
  }

  test("the iterator is lazy: each next() is one outer iteration") {
    val q = quadratic(7)
    val it = newtonCg().iterations(q, new Array[Double](30))
    assert(q.evaluations == 0)
    it.next()
    assert(q.evaluations == 1)
    it.next()
    assert(q.evaluations == 2)
  }

  test("a start point that is already optimal terminates at state 0 on gtol, or on no progress") {
    val q = quadratic(8)
    val states = run(new NewtonCg(NewtonCgConfig.defaults().withGtol(1e-10)), q, minimizer(q))
    assert(states.size == 1 && states.head.termination().get() == Termination.CONVERGED_ABSOLUTE_GRADIENT)
    // tol is relative to ||g_0||, already at the rounding floor: only the no-progress test can stop.
    val floor = run(newtonCg(), q, minimizer(q))
    assert(floor.last.termination().get() == Termination.NO_PROGRESS)
    assert(floor.size <= 1 + 10)
    assert(maxAbsDiff(floor.last.point(), minimizer(q)) < 1e-12)
  }

  test("bad configuration values give one-line errors naming the key and the value") {
    def message(body: => Any): String = intercept[IllegalArgumentException](body).getMessage
    val cases = Seq(
      message(ExactNewtonConfig.defaults().withTol(-1)) -> ("solver.tol", "-1.0"),
      message(ExactNewtonConfig.defaults().withGtol(Double.NaN)) -> ("solver.gtol", "NaN"),
      message(ExactNewtonConfig.defaults().withMaxIter(-3)) -> ("solver.maxIter", "-3"),
      message(ExactNewtonConfig.defaults().withHessianSampleFraction(1.5)) -> ("solver.hessianSampleFraction", "1.5"),
      message(NewtonCgConfig.defaults().withHessianSampleFraction(0.0)) -> ("solver.hessianSampleFraction", "0.0"),
      message(NewtonCgConfig.defaults().withMaxCgIterations(0)) -> ("solver.maxCgIterations", "0"),
      message(NewtonCgConfig.defaults().withDriverMaxCgIterations(-2)) -> ("solver.driverMaxCgIterations", "-2"),
      message(NewtonCgConfig.defaults().withDriverMaxCgGrowth(0)) -> ("solver.driverMaxCgGrowth", "0"),
      message(NewtonCgConfig.defaults().withForcing(null)) -> ("solver.forcing", "null"),
      message(NewtonCgConfig.defaults().withPreconditioner(null)) -> ("solver.preconditioner", "null"),
      message(LineSearchConfig.defaults().withC1(0.7)) -> ("solver.lineSearch.c1", "0.7"),
      message(LineSearchConfig.defaults().withBeta(1.0)) -> ("solver.lineSearch.beta", "1.0"),
      message(LineSearchConfig.defaults().withStepsPerPass(0)) -> ("solver.lineSearch.stepsPerPass", "0"),
      message(LineSearchConfig.defaults().withMaxPasses(-1)) -> ("solver.lineSearch.maxPasses", "-1"))
    for ((msg, (key, value)) <- cases) {
      assert(msg.startsWith(key + " must be") && msg.endsWith("got " + value) && !msg.contains("\n"), msg)
    }
    assert(new ExactNewton(ExactNewtonConfig.defaults()).name() == "exact-newton")
    assert(new NewtonCg(NewtonCgConfig.defaults()).name() == "newton-cg")
  }
}
