package dev.sparknewton.solvers;

import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;
import java.util.Locale;
import java.util.Optional;

/**
 * Gradient descent on the full data, a baseline: {@code w_{k+1} = w_k - a_k t_k g_k} with
 * {@code t_k} the trial step and {@code a_k} from the one-pass Armijo {@link LineSearch} along
 * {@code -t_k g_k} (a full step that satisfies Armijo is the next iterate's gradient pass; else
 * one pass evaluates all the shorter steps). The trial step adapts across iterations:
 * {@code t_0 = }{@link GradientDescentConfig#INITIAL_STEP},
 * {@code t_{k+1} = }{@link GradientDescentConfig#STEP_GROWTH}{@code a_k t_k}. Stops by
 * {@link ConvergenceCheck}. The state's {@code stepSize} is {@code a_k}; its {@code detail}
 * gives {@code t_k}.
 */
public final class GradientDescent implements Solver {
  private final GradientDescentConfig config;

  public GradientDescent(GradientDescentConfig config) {
    this.config = config;
  }

  public GradientDescentConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "gradient-descent";
  }

  @Override
  public SolverRun iterations(SecondOrderObjective objective, double[] w0) {
    return new LineSearchIterations(name(), objective, w0, new SteepestDescent(),
        new ConvergenceCheck(config.maxIter(), config.tol(), config.gtol()),
        new LineSearch(config.lineSearch()));
  }

  /** Besides the iterate and the convergence test: the trial step {@code t_k}. */
  @Override
  public SolverRun resume(SecondOrderObjective objective, SolverSnapshot snapshot) {
    return ((LineSearchIterations) iterations(objective, snapshot.point())).resumedFrom(snapshot);
  }

  /** The direction {@code -t_k g_k}, with the trial step adapted from the accepted ones. */
  private static final class SteepestDescent implements DirectionRule {
    private double trial = GradientDescentConfig.INITIAL_STEP;

    @Override
    public EvaluationRequest request(int iteration) {
      return EvaluationRequest.valueAndGradient();
    }

    @Override
    public Direction direction(Evaluation at, int iteration) {
      return Direction.of(Vectors.times(-trial, at.gradient()), 0, Optional.empty(),
          String.format(Locale.ROOT, "trial step %.3e along -g", trial));
    }

    @Override
    public void accepted(int iteration, double stepSize) {
      trial *= GradientDescentConfig.STEP_GROWTH * stepSize;
    }

    /** {@code gradientDescent.trialStep}: {@code t_k}. */
    @Override
    public void saveTo(SnapshotFields.Builder out, Evaluation at) {
      out.put("gradientDescent.trialStep", trial);
    }

    @Override
    public void restoreFrom(SnapshotFields in) {
      trial = in.doubleValue("gradientDescent.trialStep");
    }
  }
}
