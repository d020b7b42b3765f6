package dev.sparknewton.solvers;

import java.util.Optional;

/**
 * The outer stopping tests shared by the line-search solvers, checked after each evaluation, in
 * this order: non-finite value or gradient ({@link Termination#NON_FINITE}),
 * {@code ||g|| <= gtol} ({@link Termination#CONVERGED_ABSOLUTE_GRADIENT}),
 * {@code ||g|| <= tol ||g_0||} ({@link Termination#CONVERGED_RELATIVE_GRADIENT}), no progress
 * ({@link Termination#NO_PROGRESS}: for {@link #NO_PROGRESS_PATIENCE} iterations in a row,
 * {@code f_{k-1} - f_k <= NO_PROGRESS_RELATIVE |f_k|} <em>and</em> {@code ||g_k||} is no smaller
 * than the smallest gradient norm so far), and the iteration limit
 * ({@link Termination#MAX_ITERATIONS}). Both parts of the no-progress test are needed: near a
 * minimum the decrease of {@code f} is of order {@code ||g||^2} and drops below rounding long
 * before {@code ||g||} stops shrinking. One instance per solver run: it remembers
 * {@code ||g_0||}, the smallest gradient norm and the no-progress streak.
 */
public final class ConvergenceCheck {
  /**
   * A relative decrease below about 5 units in the last place of {@code f} is rounding, not
   * progress (double precision: {@code eps = 2.2e-16}). LIBLINEAR's {@code newton.cpp} stops at
   * once on {@code |f_old - f| <= 1e-12 |f|}; here the bound is tighter, must hold repeatedly, and
   * only counts while the gradient norm makes no new low, so steps that still shrink the gradient
   * are not cut short.
   */
  public static final double NO_PROGRESS_RELATIVE = 1e-15;
  /**
   * A decrease of {@code f} within {@code 1e-12 |f|} is below what a sum of losses over the data
   * resolves: each of the {@code n} terms is rounded and the partial sums are added in an order
   * that varies between runs. LIBLINEAR's {@code tron.cpp} stops when both the actual and the
   * predicted decrease are below this bound. {@link LineSearchIterations} and
   * {@link TrustRegionIterations} end as {@link Termination#CONVERGED_AT_PRECISION}, not as a
   * failure, when the step cannot decrease {@code f} and the model promised no more than this.
   */
  public static final double PRECISION_RELATIVE = 1e-12;

  /** {@code |decrease| <= PRECISION_RELATIVE |f|}: a change of {@code f} that it does not resolve. */
  public static boolean belowPrecision(double decrease, double f) {
    return Math.abs(decrease) <= PRECISION_RELATIVE * Math.abs(f);
  }
  /** Consecutive iterations without progress before {@link Termination#NO_PROGRESS}. */
  public static final int NO_PROGRESS_PATIENCE = 3;

  private final int maxIter;
  private final double tol;
  private final double gtol;
  private final boolean convergenceTests;
  private double initialGradientNorm = Double.NaN;
  private double smallestGradientNorm = Double.NaN;
  private int stalled;

  /**
   * @param maxIter outer iteration limit, {@code >= 0}
   * @param tol relative gradient tolerance, {@code >= 0}
   * @param gtol absolute gradient tolerance, {@code >= 0}
   */
  public ConvergenceCheck(int maxIter, double tol, double gtol) {
    this(maxIter, tol, gtol, true);
  }

  private ConvergenceCheck(int maxIter, double tol, double gtol, boolean convergenceTests) {
    ConfigChecks.convergence(maxIter, tol, gtol);
    this.maxIter = maxIter;
    this.tol = tol;
    this.gtol = gtol;
    this.convergenceTests = convergenceTests;
  }

  /**
   * Only {@link Termination#NON_FINITE} and {@link Termination#MAX_ITERATIONS}: for a stochastic
   * solver whose values and gradients are those of a mini-batch, on which neither the gradient
   * tests nor the no-progress test say anything about the objective.
   *
   * @param maxIter iteration limit, {@code >= 0}
   */
  public static ConvergenceCheck iterationLimitOnly(int maxIter) {
    return new ConvergenceCheck(maxIter, 0.0, 0.0, false);
  }

  /** The gradient norm below which the run stops: {@code max(gtol, tol ||g_0||)}; NaN before the start. */
  public double targetGradientNorm() {
    return Math.max(gtol, tol * initialGradientNorm);
  }

  /** Tests the starting point (iteration 0) and remembers {@code ||g_0||}. */
  public Optional<Termination> atStart(double value, double gradientNorm) {
    initialGradientNorm = gradientNorm;
    smallestGradientNorm = gradientNorm;
    stalled = 0;
    Optional<Termination> gradient = gradientTest(value, gradientNorm);
    if (gradient.isPresent()) {
      return gradient;
    }
    return maxIter == 0 ? Optional.of(Termination.MAX_ITERATIONS) : Optional.empty();
  }

  /** Tests iterate {@code iteration >= 1}, with {@code previousValue = f_{iteration-1}}. */
  public Optional<Termination> after(
      int iteration, double previousValue, double value, double gradientNorm) {
    Optional<Termination> gradient = gradientTest(value, gradientNorm);
    if (gradient.isPresent()) {
      return gradient;
    }
    if (!convergenceTests) {
      return afterNoStep(iteration);
    }
    boolean valueStalled = previousValue - value <= NO_PROGRESS_RELATIVE * Math.abs(value);
    boolean gradientStalled = !(gradientNorm < smallestGradientNorm);
    smallestGradientNorm = Math.min(smallestGradientNorm, gradientNorm);
    if (valueStalled && gradientStalled) {
      stalled++;
    } else {
      stalled = 0;
    }
    if (stalled >= NO_PROGRESS_PATIENCE) {
      return Optional.of(Termination.NO_PROGRESS);
    }
    return iteration >= maxIter ? Optional.of(Termination.MAX_ITERATIONS) : Optional.empty();
  }

  /**
   * Tests iteration {@code iteration >= 1} that took no step (the iterate, its value and gradient
   * are those already tested): only the iteration limit, and no no-progress count.
   */
  public Optional<Termination> afterNoStep(int iteration) {
    return iteration >= maxIter ? Optional.of(Termination.MAX_ITERATIONS) : Optional.empty();
  }

  /**
   * Writes this check's memory: {@code check.initialGradientNorm} ({@code ||g_0||}),
   * {@code check.smallestGradientNorm}, {@code check.stalled} (the no-progress streak).
   */
  void saveTo(SnapshotFields.Builder out) {
    out.put("check.initialGradientNorm", initialGradientNorm)
        .put("check.smallestGradientNorm", smallestGradientNorm)
        .put("check.stalled", stalled);
  }

  /** Puts back the memory {@link #saveTo} wrote. */
  void restoreFrom(SnapshotFields in) {
    initialGradientNorm = in.doubleValue("check.initialGradientNorm");
    smallestGradientNorm = in.doubleValue("check.smallestGradientNorm");
    stalled = in.intValue("check.stalled");
  }

  private Optional<Termination> gradientTest(double value, double gradientNorm) {
    if (!Double.isFinite(value) || !Double.isFinite(gradientNorm)) {
      return Optional.of(Termination.NON_FINITE);
    }
    if (!convergenceTests) {
      return Optional.empty();
    }
    if (gradientNorm <= gtol) {
      return Optional.of(Termination.CONVERGED_ABSOLUTE_GRADIENT);
    }
    if (gradientNorm <= tol * initialGradientNorm) {
      return Optional.of(Termination.CONVERGED_RELATIVE_GRADIENT);
    }
    return Optional.empty();
  }
}
