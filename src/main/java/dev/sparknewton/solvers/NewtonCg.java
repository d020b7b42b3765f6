package dev.sparknewton.solvers;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.CurvatureOperator;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;
import java.util.Iterator;
import java.util.Optional;

/**
 * Inexact (truncated) Newton with preconditioned CG and Armijo backtracking:
 *
 * <pre>  H_k p_k ~ -g_k  (PCG, truncated),   w_{k+1} = w_k + a_k p_k</pre>
 *
 * <ul>
 *   <li>Curvature: {@code H_k} on a fresh row sample each iteration,
 *       {@code RowSample.of(fraction, RowSample.iterationSeed(seed, k))} (sub-sampled Newton,
 *       Roosta-Khorasani and Mahoney 2019; Byrd, Chin, Neveitt, Nocedal 2011); every CG iteration
 *       is one Hessian-vector product.
 *   <li>Preconditioner: the full-data Hessian diagonal, fused into the gradient pass.
 *   <li>CG stop: Eisenstat-Walker forcing or LIBLINEAR 2.40's quadratic-model rule
 *       ({@link CgStoppingRule}); negative curvature ends CG with the last iterate (Nocedal and
 *       Wright, "Numerical Optimization", 2nd ed., Algorithm 7.1).
 *   <li>Step: {@link LineSearch}; an accepted full step costs no pass beyond the next gradient.
 * </ul>
 *
 * The state's {@code innerIterations} is the number of CG iterations of that step.
 */
public final class NewtonCg implements Solver {
  private final NewtonCgConfig config;

  public NewtonCg(NewtonCgConfig config) {
    this.config = config;
  }

  public NewtonCgConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "newton-cg";
  }

  @Override
  public Iterator<SolverState> iterations(SecondOrderObjective objective, double[] w0) {
    ConvergenceCheck check = new ConvergenceCheck(config.maxIter(), config.tol(), config.gtol());
    return new LineSearchIterations(objective, w0, new CgDirection(check), check,
        new LineSearch(config.lineSearch()));
  }

  private final class CgDirection implements DirectionRule {
    private final ConvergenceCheck check;
    private final ConjugateGradient cg = new ConjugateGradient(config.maxCgIterations());
    private EisenstatWalkerForcing forcing;

    CgDirection(ConvergenceCheck check) {
      this.check = check;
    }

    @Override
    public EvaluationRequest request(int iteration) {
      EvaluationRequest r = EvaluationRequest.valueAndGradient();
      return config.preconditioner() == NewtonCgConfig.Preconditioner.DIAGONAL
          ? r.withDiagonal() : r;
    }

    @Override
    public Direction direction(Evaluation at, int iteration) {
      double[] g = at.gradient();
      DiagonalPreconditioner m = config.preconditioner() == NewtonCgConfig.Preconditioner.DIAGONAL
          ? DiagonalPreconditioner.fromHessianDiagonal(at.hessianDiagonal().orElseThrow(
              () -> new IllegalStateException("the objective ignored the diagonal request")))
          : DiagonalPreconditioner.identity(g.length);
      CgStoppingRule rule = stoppingRule(Vectors.norm(g));
      RowSample sample = RowSample.of(
          config.hessianSampleFraction(), RowSample.iterationSeed(config.seed(), iteration));
      CurvatureOperator h = at.curvature(sample);
      CgResult result = cg.solve(h, g, m, rule);
      String detail = String.format("CG: %s after %d its, model decrease %.3e",
          result.exit().description(), result.iterations(), result.modelDecrease());
      if (result.exit() == CgResult.Exit.NON_FINITE) {
        return Direction.failed(Termination.NON_FINITE, result.iterations(), Optional.empty(),
            detail);
      }
      return Direction.of(result.step(), result.iterations(), Optional.empty(), detail);
    }

    private CgStoppingRule stoppingRule(double gradientNorm) {
      if (config.forcing() == NewtonCgConfig.Forcing.QUADRATIC_MODEL) {
        return new CgStoppingRule.QuadraticModel(CgStoppingRule.QuadraticModel.LIBLINEAR_EPS_CG);
      }
      if (forcing == null) {
        forcing = new EisenstatWalkerForcing(check.targetGradientNorm());
      }
      return new CgStoppingRule.ResidualForcing(forcing.next(gradientNorm));
    }
  }
}
