package dev.sparknewton.cli

import dev.sparknewton.randomized.RandomizedEigenConfig
import dev.sparknewton.solvers.{Adam, AdamConfig, ExactNewton, GradientDescent, HessianFree,
  HessianFreeConfig, Lbfgs, LbfgsConfig, LowRankSaddleFreeNewton, LrsfnConfig, NewtonCg,
  NewtonCgConfig, WarmStarted}
import org.scalatest.funsuite.AnyFunSuite

class SolverFactorySuite extends AnyFunSuite {
  private def config(args: String*) = JobConfig.fromArguments(java.util.List.of(args: _*))
  private def create(args: String*) = SolverFactory.create(config(args: _*), 100)

  test("auto: exact Newton up to 1024 parameters when the dense Hessian fits, else Newton-CG; explicit names pass") {
    def chosen(parameters: Long, args: String*) = SolverFactory.choose(config(args: _*), parameters)
    assert(config().string("solver.name") == "auto")
    assert(chosen(124).name() == "exact-newton" && chosen(1024).name() == "exact-newton")
    assert(chosen(1025).name() == "newton-cg" && chosen(1241240).name() == "newton-cg")
    assert(chosen(1025).reason().contains("1025 parameters > 1024"))
    // 1000 parameters: an 7.6 MB Hessian against a 5 MB budget.
    val tight = chosen(1000, "solver.denseMaxMb=5")
    assert(tight.name() == "newton-cg" && tight.reason().contains("7.6 MB dense Hessian > solver.denseMaxMb"))
    assert(chosen(1000, "solver.denseMaxMb=8").name() == "exact-newton")
    assert(chosen(5, "solver.name=lrsfn").name() == "lrsfn")
    assert(SolverFactory.create(config(), 124).name() == "exact-newton")
    assert(SolverFactory.create(config(), 5000).name() == "newton-cg")
    assert(SolverFactory.create(config("solver.name=trust-region"), 5).name() == "trust-region")
  }

  test("lrsfn and the Nystrom preconditioner are built from their keys") {
    val lrsfn = create("solver.name=lrsfn", "solver.rank=7", "solver.oversampling=3", "solver.powerIterations=1",
      "solver.gamma=0.25", "solver.gammaRule=adaptive", "solver.eigenMethod=rayleigh-ritz")
      .asInstanceOf[LowRankSaddleFreeNewton].config()
    assert(lrsfn.sketch().rank() == 7 && lrsfn.sketch().oversampling() == 3 && lrsfn.sketch().powerIterations() == 1)
    assert(lrsfn.gamma() == 0.25 && lrsfn.gammaRule() == LrsfnConfig.GammaRule.ADAPTIVE)
    assert(lrsfn.eigenMethod() == RandomizedEigenConfig.Method.RAYLEIGH_RITZ)
    val defaults = create("solver.name=lrsfn").asInstanceOf[LowRankSaddleFreeNewton].config()
    assert(defaults.gamma() == LrsfnConfig.AUTO_GAMMA && defaults.eigenMethod() == RandomizedEigenConfig.Method.NYSTROM)
    assert(defaults.sketch() == dev.sparknewton.solvers.LowRankSketchConfig.defaults())
    assert(create("solver.name=lrsfn", "solver.gamma=0").asInstanceOf[LowRankSaddleFreeNewton].config().gamma() == 0.0)
    val cg = create("solver.name=newton-cg", "solver.preconditioner=nystrom", "solver.preconditionerRefresh=4")
      .asInstanceOf[NewtonCg].config()
    assert(cg.preconditioner() == NewtonCgConfig.Preconditioner.NYSTROM && cg.preconditionerRefresh() == 4)
    assert(cg.globalization() == NewtonCgConfig.Globalization.LINE_SEARCH)
  }

  test("lbfgs and the L-BFGS warm start are built from their keys; the warm start refuses solvers without a line-search rule") {
    val lbfgs = create("solver.name=lbfgs", "solver.lbfgsMemory=7", "solver.maxIter=33", "solver.tol=1e-5")
      .asInstanceOf[Lbfgs].config()
    assert(lbfgs.memory() == 7 && lbfgs.maxIter() == 33 && lbfgs.tol() == 1e-5)
    assert(create("solver.name=lbfgs").asInstanceOf[Lbfgs].config().memory() == LbfgsConfig.DEFAULT_MEMORY)
    assert(!create("solver.name=newton-cg").isInstanceOf[WarmStarted], "no warm start by default")
    val warm = create("solver.name=newton-cg", "solver.warmStartIterations=50", "solver.lbfgsMemory=5")
      .asInstanceOf[WarmStarted]
    assert(warm.name() == "newton-cg" && warm.warmStartIterations() == 50 && warm.memory() == 5)
    assert(warm.newton().asInstanceOf[NewtonCg].config().globalization() == NewtonCgConfig.Globalization.LINE_SEARCH)
    // auto resolves first: exact Newton for 100 parameters.
    assert(create("solver.warmStartIterations=3").asInstanceOf[WarmStarted].newton().isInstanceOf[ExactNewton])
    assert(create("solver.name=lrsfn", "solver.warmStartIterations=3").asInstanceOf[WarmStarted]
      .newton().isInstanceOf[LowRankSaddleFreeNewton])
    for (name <- Seq("trust-region", "hessian-free", "lbfgs", "gradient-descent", "adam")) {
      val e = intercept[IllegalArgumentException](create(s"solver.name=$name", "solver.warmStartIterations=4"))
      assert(e.getMessage == "solver.warmStartIterations = 4 applies to exact-newton, newton-cg, lrsfn " +
        s"(and auto), not $name; set it to 0", e.getMessage)
    }
    assert(intercept[IllegalArgumentException](create("solver.warmStartIterations=-1")).getMessage ==
      "solver.warmStartIterations must be >= 0, got -1")
    assert(intercept[IllegalArgumentException](create("solver.lbfgsMemory=0")).getMessage ==
      "solver.lbfgsMemory must be >= 1, got 0")
  }

  test("trust-region is Newton-CG with the trust-region globalization and the same CG keys") {
    val tr = create("solver.name=trust-region", "solver.preconditioner=none", "solver.forcing=quadratic-model",
      "solver.maxCgIterations=17", "solver.driverMaxCgIterations=23",
      "solver.driverMaxCgGrowth=5").asInstanceOf[NewtonCg]
    assert(tr.name() == "trust-region")
    assert(tr.config().globalization() == NewtonCgConfig.Globalization.TRUST_REGION)
    assert(tr.config().preconditioner() == NewtonCgConfig.Preconditioner.NONE)
    assert(tr.config().forcing() == NewtonCgConfig.Forcing.QUADRATIC_MODEL && tr.config().maxCgIterations() == 17)
    assert(tr.config().driverMaxCgIterations() == 23 && tr.config().driverMaxCgGrowth() == 5)
    val defaults = create("solver.name=newton-cg").asInstanceOf[NewtonCg].config()
    assert(defaults.forcing() == NewtonCgConfig.Forcing.AUTO && defaults.driverMaxCgIterations() == 500)
    assert(defaults.driverMaxCgGrowth() == 1)
  }

  test("bad values give a one-line error naming the key") {
    for ((arg, key) <- Seq(
      "solver.gamma=-1" -> "solver.gamma", "solver.gamma=big" -> "solver.gamma",
      "solver.gammaRule=sometimes" -> "solver.gammaRule", "solver.eigenMethod=lanczos" -> "solver.eigenMethod",
      "solver.rank=0" -> "solver.rank", "solver.oversampling=-3" -> "solver.oversampling",
      "solver.powerIterations=-1" -> "solver.powerIterations", "solver.rank=many" -> "solver.rank")) {
      val message = intercept[IllegalArgumentException](create("solver.name=lrsfn", arg)).getMessage
      assert(message.contains(key) && !message.contains("\n"), s"$arg: $message")
    }
    val refresh = intercept[IllegalArgumentException](
      create("solver.name=newton-cg", "solver.preconditionerRefresh=-2")).getMessage
    assert(refresh.startsWith("solver.preconditionerRefresh") && !refresh.contains("\n"), refresh)
    val pre = intercept[IllegalArgumentException](create("solver.name=newton-cg", "solver.preconditioner=lu")).getMessage
    assert(pre.contains("solver.preconditioner") && pre.contains("nystrom"), pre)
  }

  test("hessian-free, gradient-descent and adam are built from their keys, whose defaults are the records' own") {
    val hf = create("solver.name=hessian-free", "solver.gradientSampleFraction=0.5", "solver.initialDamping=3",
      "solver.minDamping=1e-6", "solver.maxDamping=1e6", "solver.maxCgIterations=40", "solver.hessianSampleFraction=0.1",
      "solver.seed=9").asInstanceOf[HessianFree]
    assert(hf.name() == "hessian-free")
    val c = hf.config()
    assert(c.gradientSampleFraction() == 0.5 && c.initialDamping() == 3.0 && c.minDamping() == 1e-6 &&
      c.maxDamping() == 1e6 && c.maxCgIterations() == 40 && c.hessianSampleFraction() == 0.1 && c.seed() == 9L)
    val defaults = create("solver.name=hessian-free").asInstanceOf[HessianFree].config()
    val own = HessianFreeConfig.defaults()
    assert(defaults.gradientSampleFraction() == own.gradientSampleFraction() &&
      defaults.initialDamping() == own.initialDamping() && defaults.minDamping() == own.minDamping() &&
      defaults.maxDamping() == own.maxDamping() && defaults.maxCgIterations() == own.maxCgIterations() &&
      defaults.lineSearch() == own.lineSearch())
    val gd = create("solver.name=gradient-descent", "solver.tol=1e-5", "solver.maxIter=7").asInstanceOf[GradientDescent]
    assert(gd.name() == "gradient-descent" && gd.config().tol() == 1e-5 && gd.config().maxIter() == 7)
    val adam = create("solver.name=adam", "solver.learningRate=0.05", "solver.batchFraction=0.2", "solver.maxIter=500")
      .asInstanceOf[Adam]
    assert(adam.name() == "adam" && adam.config().learningRate() == 0.05 && adam.config().batchFraction() == 0.2 &&
      adam.config().maxIter() == 500)
    val adamDefaults = create("solver.name=adam").asInstanceOf[Adam].config()
    assert(adamDefaults.learningRate() == AdamConfig.DEFAULT_LEARNING_RATE &&
      adamDefaults.batchFraction() == AdamConfig.DEFAULT_BATCH_FRACTION)
    assert(!SolverFactory.REFERENCE_NAMES.contains("adam") && !SolverFactory.REFERENCE_NAMES.contains("gradient-descent"))
    assert(SolverFactory.REFERENCE_NAMES.contains("hessian-free"))
  }

  test("bad hessian-free and adam values give a one-line error naming the key, whichever solver is chosen") {
    for ((arg, key) <- Seq(
      "solver.minDamping=0" -> "solver.minDamping", "solver.maxDamping=1e-12" -> "solver.maxDamping",
      "solver.initialDamping=1e11" -> "solver.initialDamping",
      "solver.gradientSampleFraction=0" -> "solver.gradientSampleFraction",
      "solver.learningRate=0" -> "solver.learningRate", "solver.batchFraction=1.5" -> "solver.batchFraction",
      "solver.learningRate=fast" -> "solver.learningRate");
         name <- Seq("hessian-free", "adam", "newton-cg")) {
      val message = intercept[IllegalArgumentException](create(s"solver.name=$name", arg)).getMessage
      assert(message.startsWith(key) && !message.contains("\n"), s"$name $arg: $message")
    }
  }
}
