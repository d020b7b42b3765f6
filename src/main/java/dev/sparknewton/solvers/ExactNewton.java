package dev.sparknewton.solvers;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.Cholesky;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Newton's method with a dense (optionally sub-sampled) Hessian and a Cholesky solve on the
 * driver, for small dimensions {@code n} (the adult / a9a case):
 *
 * <pre>  (H_k + tau_k I) p_k = -g_k,   w_{k+1} = w_k + a_k p_k</pre>
 *
 * Each evaluation fuses value, gradient and the dense Hessian on iteration {@code k}'s row sample
 * into <em>one</em> pass, and the {@link LineSearch} evaluates the full step with the next
 * iteration's fused request, so an iteration whose full step is accepted costs one pass in all.
 * {@code tau_k = 0} when {@code H_k} is numerically positive definite; otherwise
 * {@code tau = DAMPING_START * max_j |H_jj|}, multiplied by {@code DAMPING_GROWTH} until the
 * Cholesky factorization succeeds (a Levenberg-Marquardt-style shift, Nocedal and Wright,
 * "Numerical Optimization", 2nd ed., Algorithm 3.3), then by {@code DAMPING_MARGIN}: the first
 * shift that factors may leave {@code H + tau I} nearly singular (and the step huge), while with
 * the margin {@code lambda_min(H + tau_k I) >= tau_k / 2 > |lambda_min(H)| / 2}. {@code tau_k} is
 * reported as the state's damping. References: Roosta-Khorasani and Mahoney, "Sub-sampled Newton methods", 2019 (sampled
 * Hessians); DESIGN.md, "Exact Newton".
 */
public final class ExactNewton implements LineSearchSolver {
  /** First shift relative to the largest diagonal entry: Nocedal and Wright, Algorithm 3.3 uses 1e-3; a smaller start keeps nearly-definite Hessians nearly undamped. */
  public static final double DAMPING_START = 1e-8;
  /** Growth of the shift between retries (Nocedal and Wright, Algorithm 3.3, uses 2-10). */
  public static final double DAMPING_GROWTH = 10.0;
  /** Factor applied to the first shift that factors, so the shifted matrix is safely definite. */
  public static final double DAMPING_MARGIN = 2.0;
  /** Retries before {@link Termination#FACTORIZATION_FAILED}: the shift reaches {@code 1e22 max|H_jj|}. */
  public static final int MAX_DAMPING_RETRIES = 30;

  private final ExactNewtonConfig config;

  public ExactNewton(ExactNewtonConfig config) {
    this.config = config;
  }

  public ExactNewtonConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "exact-newton";
  }

  /**
   * @throws IllegalArgumentException when the dense {@code n x n} Hessian of {@code objective}
   *     would not fit {@link ExactNewtonConfig#denseMaxBytes()}
   */
  @Override
  public LineSearchIterations iterations(
      SecondOrderObjective objective, double[] w0, UnaryOperator<DirectionRule> wrap) {
    long n = objective.dimension();
    long bytes = 8L * n * n;
    if (n > 46_340 || bytes > config.denseMaxBytes()) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
          "exact-newton needs the dense %,d x %,d Hessian (%,d parameters): %.1f MB, more than "
              + "solver.denseMaxMb = %.0f; use newton-cg or lrsfn, or raise solver.denseMaxMb",
          n, n, n, 8.0 * n * n / (1024.0 * 1024.0), config.denseMaxBytes() / (1024.0 * 1024.0)));
    }
    return new LineSearchIterations(name(), objective, w0, wrap.apply(new CholeskyDirection()),
        new ConvergenceCheck(config.maxIter(), config.tol(), config.gtol()),
        new LineSearch(config.lineSearch()));
  }

  private RowSample sample(int iteration) {
    return RowSample.of(
        config.hessianSampleFraction(), RowSample.iterationSeed(config.seed(), iteration));
  }

  private final class CholeskyDirection implements DirectionRule {
    @Override
    public EvaluationRequest request(int iteration) {
      return EvaluationRequest.valueAndGradient().withDenseHessian(sample(iteration));
    }

    @Override
    public Direction direction(Evaluation at, int iteration) {
      ColumnMatrix h = at.curvature(sample(iteration)).denseHessian();
      if (!Vectors.allFinite(h.data())) {
        return Direction.failed(Termination.NON_FINITE, 0, Optional.empty(),
            "Hessian has NaN or infinite entries");
      }
      double tau = 0.0;
      Optional<Cholesky> factor = Cholesky.factor(h);
      if (factor.isEmpty()) {
        double scale = 0.0;
        for (int j = 0; j < h.rows(); j++) {
          scale = Math.max(scale, Math.abs(h.get(j, j)));
        }
        tau = DAMPING_START * (scale > 0.0 ? scale : 1.0);
        for (int retry = 0; retry < MAX_DAMPING_RETRIES && factor.isEmpty(); retry++) {
          ColumnMatrix shifted = h.copy();
          shifted.addToDiagonal(tau);
          factor = Cholesky.factor(shifted);
          if (factor.isEmpty()) {
            tau *= DAMPING_GROWTH;
          }
        }
        if (factor.isPresent()) {
          tau *= DAMPING_MARGIN;
          ColumnMatrix shifted = h.copy();
          shifted.addToDiagonal(tau);
          factor = Cholesky.factor(shifted);
        }
        if (factor.isEmpty()) {
          return Direction.failed(Termination.FACTORIZATION_FAILED, 0, Optional.of(tau),
              "Cholesky of H + tau I failed up to tau = " + tau);
        }
      }
      double[] p = factor.get().solve(Vectors.times(-1.0, at.gradient()));
      if (!Vectors.allFinite(p)) {
        return Direction.failed(Termination.NON_FINITE, 0, Optional.of(tau),
            "Newton step is not finite");
      }
      String detail = tau == 0.0 ? "Cholesky" : "damped retry: Cholesky of H + " + tau + " I";
      return Direction.of(p, 0, Optional.of(tau), detail);
    }

    /** Stateless: the damping starts afresh at every iterate. */
    @Override
    public void saveTo(SnapshotFields.Builder out, Evaluation at) {}

    @Override
    public void restoreFrom(SnapshotFields in) {}
  }
}
