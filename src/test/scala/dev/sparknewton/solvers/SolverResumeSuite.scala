package dev.sparknewton.solvers

import dev.sparknewton.{SharedSpark, TestData, TestModels}
import dev.sparknewton.distributed.RddBlockFold
import dev.sparknewton.ml.IterationRecord
import dev.sparknewton.ml.checkpoint.{Checkpoint, CheckpointCounts, CheckpointFormat, Fingerprint}
import dev.sparknewton.objective.SecondOrderObjective
import dev.sparknewton.randomized.RandomizedEigenConfig
import java.util.{Optional, TreeMap => JTreeMap}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._

/**
 * Every solver stopped after iteration k, written to the checkpoint format and read back, and
 * resumed on a freshly cached fold with a fresh objective and solver, produces the states the
 * uninterrupted run produced after k: the same iterates, values, gradient norms, steps, inner
 * iterations, damping, eigenvalues, details and termination, bit for bit (RDD folds on local[2],
 * 3 partitions).
 */
class SolverResumeSuite extends AnyFunSuite with SharedSpark {
  private val d = 12
  private val rows = TestData.rows(1500, d, density = 0.6, seed = 11L)
  private val blocks = TestData.blocks(rows, d, 100, sparse = true)

  /** A freshly cached fold and the objective over it; products on the driver when `driverBytes` allows. */
  private def withObjective[T](driverBytes: Long)(body: SecondOrderObjective => T): T = {
    val fold = RddBlockFold.cache(jsc.parallelize(blocks, 3), 2)
    try body(TestModels.regularized(
      TestModels.logistic(d, true, fold, driverBytes, curvatureCacheBytes = 1L << 20), 1e-4))
    finally fold.close()
  }

  private def zeros = new Array[Double](d + 1)

  private def bits(a: Array[Double]): Seq[Long] = a.toSeq.map(java.lang.Double.doubleToRawLongBits)

  private def same(a: SolverState, b: SolverState): Unit = {
    val where = s"iteration ${a.iteration()}"
    assert(a.iteration() == b.iteration())
    assert(bits(a.point()) == bits(b.point()), s"$where: iterates differ")
    assert(bits(Array(a.value(), a.gradientNorm(), a.stepSize())) ==
      bits(Array(b.value(), b.gradientNorm(), b.stepSize())), s"$where: $a vs $b")
    assert(a.innerIterations() == b.innerIterations(), where)
    assert(a.damping().map[Long](java.lang.Double.doubleToRawLongBits(_)) ==
      b.damping().map[Long](java.lang.Double.doubleToRawLongBits(_)), where)
    assert(bits(a.eigenvalues()) == bits(b.eigenvalues()), where)
    assert(a.detail() == b.detail(), where)
    assert(a.termination() == b.termination(), where)
  }

  /** The snapshot through the checkpoint file format and back. */
  private def throughFile(s: SolverSnapshot): SolverSnapshot = {
    val record = new IterationRecord(s.iteration(), 0.0, 0.0, 0.0, 0, 0L, 0L, 0.0,
      Optional.empty[java.lang.Double](), Array.emptyDoubleArray, "", Optional.empty())
    val c = new Checkpoint(new Fingerprint(new JTreeMap(), new JTreeMap()),
      new CheckpointCounts(0, 0, 0, 0, 0.0), java.util.List.of(record), s)
    CheckpointFormat.decode(CheckpointFormat.encode(c), "test").snapshot()
  }

  /**
   * Runs `solver()` to the end; runs a second one for `k` iterations and takes its snapshot;
   * resumes a third on a new fold from the snapshot; compares. `check` sees the full run.
   */
  private def resumesExactly(name: String, k: Int, driverBytes: Long = 0L)(solver: () => Solver)(
      check: IndexedSeq[SolverState] => Unit = _ => ()): Unit = test(s"$name resumed after iteration $k ends as the uninterrupted run, bit for bit") {
    val full = withObjective(driverBytes)(f => solver().iterations(f, zeros).asScala.toIndexedSeq)
    assert(full.size >= k + 3, s"$name: the run must go on after iteration $k (${full.size - 1} iterations)")
    check(full)
    val snapshot = withObjective(driverBytes) { f =>
      val it = solver().iterations(f, zeros)
      val stopped = (0 to k).map(_ => it.next())
      same(stopped.last, full(k))
      it.snapshot()
    }
    assert(snapshot.iteration() == k && snapshot.solver() == solver().name())
    val rest = withObjective(driverBytes)(f =>
      solver().resume(f, throughFile(snapshot)).asScala.toIndexedSeq)
    assert(rest.map(_.iteration()) == full.drop(k + 1).map(_.iteration()))
    rest.zip(full.drop(k + 1)).foreach { case (a, b) => same(a, b) }
  }

  private def newtonCg = NewtonCgConfig.defaults().withTol(1e-13).withMaxIter(9)

  resumesExactly("exact-newton, half-row Hessian samples", 3) { () =>
    new ExactNewton(ExactNewtonConfig.defaults().withTol(1e-14).withMaxIter(8)
      .withHessianSampleFraction(0.5))
  }()

  resumesExactly("newton-cg, diagonal preconditioner, Eisenstat-Walker forcing, driver-side sample", 3,
      driverBytes = 64L << 20) { () =>
    // Eisenstat-Walker set explicitly: its memory is what this case resumes (auto would take the
    // quadratic-model stop, which keeps none, for products on a driver-side sample).
    new NewtonCg(newtonCg.withHessianSampleFraction(0.5)
      .withForcing(NewtonCgConfig.Forcing.EISENSTAT_WALKER))
  }()

  resumesExactly("newton-cg, initial-diagonal preconditioner", 2, driverBytes = 64L << 20) { () =>
    new NewtonCg(newtonCg.withPreconditioner(NewtonCgConfig.Preconditioner.INITIAL_DIAGONAL))
  }()

  resumesExactly("newton-cg, Nystrom preconditioner reused across iterations, one power iteration, distributed products", 3) { () =>
    new NewtonCg(newtonCg.withPreconditioner(NewtonCgConfig.Preconditioner.NYSTROM)
      .withSketch(new LowRankSketchConfig(3, 2, 1)).withHessianSampleFraction(0.5))
  } { full =>
    assert(full(4).detail().contains("Nystrom sketch of iteration"),
      s"iteration 4 must reuse an earlier sketch: ${full(4).detail()}")
  }

  /** The driver-side cap (from 2) grew before the snapshot after iteration 5, and is used after. */
  private def capGrewAcrossSnapshot(full: IndexedSeq[SolverState]): Unit = {
    val counts = full.map(_.innerIterations())
    assert(counts.take(6).max > 2 && counts.drop(6).max > 2,
      s"the cap must have grown before the snapshot and be used after it: $counts")
  }

  resumesExactly("newton-cg, driver-side CG cap grown from 2 (driverMaxCgGrowth 8)", 5,
      driverBytes = 64L << 20) { () =>
    new NewtonCg(newtonCg.withMaxIter(12).withDriverMaxCgIterations(2).withDriverMaxCgGrowth(8))
  }(capGrewAcrossSnapshot)

  resumesExactly("trust-region, driver-side CG cap grown from 2 (driverMaxCgGrowth 8)", 5,
      driverBytes = 64L << 20) { () =>
    new NewtonCg(newtonCg.withMaxIter(12)
      .withGlobalization(NewtonCgConfig.Globalization.TRUST_REGION)
      .withDriverMaxCgIterations(2).withDriverMaxCgGrowth(8))
  }(capGrewAcrossSnapshot)

  resumesExactly("trust-region, diagonal preconditioner", 3, driverBytes = 64L << 20) { () =>
    new NewtonCg(newtonCg.withGlobalization(NewtonCgConfig.Globalization.TRUST_REGION)
      .withForcing(NewtonCgConfig.Forcing.QUADRATIC_MODEL))
  }()

  resumesExactly("trust-region, Nystrom preconditioner", 3, driverBytes = 64L << 20) { () =>
    new NewtonCg(newtonCg.withGlobalization(NewtonCgConfig.Globalization.TRUST_REGION)
      .withPreconditioner(NewtonCgConfig.Preconditioner.NYSTROM)
      .withSketch(new LowRankSketchConfig(3, 2, 0)))
  }()

  resumesExactly("lrsfn, adaptive gamma, Rayleigh-Ritz", 3) { () =>
    new LowRankSaddleFreeNewton(LrsfnConfig.defaults().withTol(1e-13).withMaxIter(9)
      .withSketch(new LowRankSketchConfig(4, 2, 0))
      .withEigenMethod(RandomizedEigenConfig.Method.RAYLEIGH_RITZ)
      .withGammaRule(LrsfnConfig.GammaRule.ADAPTIVE).withHessianSampleFraction(0.5))
  } { full =>
    assert(full(4).detail().contains("rho"), "the adaptive rule must act at iteration 4")
  }

  resumesExactly("hessian-free, sampled gradients and curvature", 4, driverBytes = 64L << 20) { () =>
    new HessianFree(HessianFreeConfig.defaults().withTol(1e-13).withMaxIter(10)
      .withGradientSampleFraction(0.6).withHessianSampleFraction(0.3).withMaxCgIterations(5))
  }()

  resumesExactly("gradient-descent", 4) { () =>
    new GradientDescent(GradientDescentConfig.defaults().withTol(1e-13).withMaxIter(10))
  }()

  resumesExactly("lbfgs, memory 3 (pairs dropped before the snapshot)", 5) { () =>
    new Lbfgs(LbfgsConfig.defaults().withTol(1e-13).withMaxIter(12).withMemory(3))
  }()

  for (k <- Seq(2, 5)) {
    resumesExactly(s"newton-cg after a 4-iteration L-BFGS warm start (snapshot ${if (k < 4) "before" else "after"} the hand-over)",
        k, driverBytes = 64L << 20) { () =>
      new WarmStarted(new NewtonCg(newtonCg.withMaxIter(12)), 4, 10)
    } { full =>
      assert(full(4).detail().startsWith("warm start 4/4, L-BFGS") && full(5).detail().startsWith("CG: "))
    }
  }

  resumesExactly("adam on mini-batches", 6) { () =>
    new Adam(AdamConfig.defaults().withMaxIter(14).withBatchFraction(0.2).withLearningRate(0.05))
  }()

  test("a snapshot exists only between the first and the last state, and resumes only its own solver") {
    withObjective(0L) { f =>
      val solver = new GradientDescent(GradientDescentConfig.defaults().withMaxIter(1))
      val it = solver.iterations(f, zeros)
      assert(intercept[IllegalStateException](it.snapshot()).getMessage.contains("not started"))
      it.next()
      val snapshot = it.snapshot()
      it.next()
      assert(!it.hasNext)
      assert(intercept[IllegalStateException](it.snapshot()).getMessage.contains("terminated"))
      val other = intercept[IllegalArgumentException](
        new Adam(AdamConfig.defaults()).resume(f, snapshot))
      assert(other.getMessage == "the snapshot is of solver gradient-descent, not adam")
      val missing = intercept[IllegalArgumentException](new GradientDescent(
        GradientDescentConfig.defaults()).resume(f, new SolverSnapshot("gradient-descent", 0, 0,
        zeros, SnapshotFields.builder().build())))
      assert(missing.getMessage.contains("no field 'check.initialGradientNorm'"))
    }
  }
}
