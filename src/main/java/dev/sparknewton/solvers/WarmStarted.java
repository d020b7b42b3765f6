package dev.sparknewton.solvers;

import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;
import java.util.function.UnaryOperator;

/**
 * A Newton-type solver whose first {@code n} iterations are L-BFGS iterations
 * ({@code solver.warmStartIterations}, memory {@code solver.lbfgsMemory}), in one run: one
 * outer loop, one {@link ConvergenceCheck} (the tolerance relative to {@code ||g_0||} of the
 * start point, the iteration limit counting both phases), one line search. Iterations
 * {@code 0 .. n - 1} take the {@link Lbfgs} direction, each a fused value-and-gradient pass when
 * its unit step is accepted; iterate {@code n}'s evaluation, made during iteration {@code n - 1}'s
 * line search, already fuses what the Newton solver asks for (its diagonal, sketch or dense
 * Hessian), so the hand-over costs no pass. The L-BFGS pairs are dropped at the hand-over.
 *
 * <p>Why: where the Hessian at a point misrepresents what a long step does (raw word counts in
 * news20, whose longest rows make the quadratic model wrong far from the optimum), Newton steps
 * are cut short by the line search until the iterate is close, while L-BFGS, whose curvature
 * comes from gradient differences along the steps it took, gets there cheaply; near the optimum
 * Newton converges where L-BFGS crawls (docs/bench/news20-diagnostics (g); docs/benchmarks.md).
 *
 * <p>The solver's name, and so its snapshots', is the Newton solver's; a snapshot taken in the
 * L-BFGS phase keeps the pairs ({@link Lbfgs.TwoLoop#saveTo}: up to {@code 2 m + 2} vectors of
 * the dimension), one taken after the hand-over only the Newton solver's state.
 */
public final class WarmStarted implements Solver {
  private final LineSearchSolver newton;
  private final int iterations;
  private final int memory;

  /**
   * @param newton exact Newton, line-search Newton-CG or LRSFN
   * @param iterations L-BFGS iterations before {@code newton}'s, {@code >= 1}
   * @param memory L-BFGS pairs kept, {@code >= 1}
   * @throws IllegalArgumentException when {@code newton} is not a line-search solver or a count
   *     is out of range
   */
  public WarmStarted(Solver newton, int iterations, int memory) {
    if (!(newton instanceof LineSearchSolver rule)
        || (newton instanceof NewtonCg cg
            && cg.config().globalization() != NewtonCgConfig.Globalization.LINE_SEARCH)) {
      throw new IllegalArgumentException("solver.warmStartIterations = " + iterations
          + " applies to exact-newton, newton-cg and lrsfn, not " + newton.name()
          + "; set it to 0");
    }
    ConfigChecks.atLeast("solver.warmStartIterations", iterations, 1);
    ConfigChecks.atLeast("solver.lbfgsMemory", memory, 1);
    this.newton = rule;
    this.iterations = iterations;
    this.memory = memory;
  }

  /** The solver that takes over after the warm start. */
  public Solver newton() {
    return newton;
  }

  /** L-BFGS iterations before the hand-over. */
  public int warmStartIterations() {
    return iterations;
  }

  public int memory() {
    return memory;
  }

  @Override
  public String name() {
    return newton.name();
  }

  @Override
  public SolverRun iterations(SecondOrderObjective objective, double[] w0) {
    return newton.iterations(objective, w0, wrap(objective));
  }

  @Override
  public SolverRun resume(SecondOrderObjective objective, SolverSnapshot snapshot) {
    return newton.iterations(objective, snapshot.point(), wrap(objective)).resumedFrom(snapshot);
  }

  private UnaryOperator<DirectionRule> wrap(SecondOrderObjective objective) {
    return rule -> new Phases(new Lbfgs.TwoLoop(memory, objective.dimension()), rule, iterations);
  }

  /** L-BFGS's rule before iteration {@code handOver}, the Newton solver's from it on. */
  private static final class Phases implements DirectionRule {
    private final Lbfgs.TwoLoop lbfgs;
    private final DirectionRule newton;
    private final int handOver;

    Phases(Lbfgs.TwoLoop lbfgs, DirectionRule newton, int handOver) {
      this.lbfgs = lbfgs;
      this.newton = newton;
      this.handOver = handOver;
    }

    @Override
    public EvaluationRequest request(int iteration) {
      return iteration < handOver ? lbfgs.request(iteration) : newton.request(iteration);
    }

    @Override
    public Direction direction(Evaluation at, int iteration) {
      if (iteration >= handOver) {
        return newton.direction(at, iteration);
      }
      Direction d = lbfgs.direction(at, iteration);
      if (iteration == handOver - 1) {
        lbfgs.clear();
      }
      return new Direction(d.vector(), d.innerIterations(), d.damping(), d.eigenvalues(),
          "warm start " + (iteration + 1) + "/" + handOver + ", " + d.detail(), d.failure());
    }

    @Override
    public void accepted(int iteration, double stepSize) {
      if (iteration >= handOver) {
        newton.accepted(iteration, stepSize);
      }
    }

    @Override
    public void saveTo(SnapshotFields.Builder out, Evaluation at) {
      lbfgs.saveTo(out, at);
      newton.saveTo(out, at);
    }

    @Override
    public void restoreFrom(SnapshotFields in) {
      lbfgs.restoreFrom(in);
      newton.restoreFrom(in);
    }
  }
}
