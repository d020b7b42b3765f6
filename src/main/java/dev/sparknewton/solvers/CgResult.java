package dev.sparknewton.solvers;

/**
 * The outcome of one {@link ConjugateGradient} solve of {@code H s = -g}.
 *
 * @param step {@code s}, a new array owned by the caller
 * @param iterations the CG iterations spent, equal to the number of {@code H v} products
 * @param exit why CG stopped
 * @param modelDecrease {@code -Q(s) = -(g.s + s.H s / 2)}, the decrease the quadratic model
 *     predicts; positive for every step CG returns while the curvature along its directions is
 *     positive
 * @param stepNorm {@code ||s||_M = sqrt(s.M s)} in the preconditioner's norm, the norm of the
 *     trust region ({@link ConjugateGradient#solveWithin}); tracked by recurrences, without
 *     products with {@code M}
 */
public record CgResult(
    double[] step, int iterations, Exit exit, double modelDecrease, double stepNorm) {

  /** Why CG stopped. */
  public enum Exit {
    /** {@code ||r|| <= eta ||g||} ({@link CgStoppingRule.ResidualForcing}). */
    RESIDUAL_FORCING("residual below forcing term"),
    /** LIBLINEAR's quadratic-model stop ({@link CgStoppingRule.QuadraticModel}). */
    QUADRATIC_MODEL("quadratic model decrease stalled"),
    /**
     * The model decrease {@code -Q(s)} reached the most the objective can decrease,
     * {@code f - lowerBound(f)}: the model is wrong at that step, and further CG iterations only
     * go further where it is wrong.
     */
    MODEL_BOUND("model decrease reached f - lower bound"),
    /** The gradient is zero: the step is zero. */
    ZERO_GRADIENT("zero gradient"),
    /**
     * {@code d.H d <= 0}: the step is the iterate before that direction, or the preconditioned
     * steepest-descent direction {@code -M^-1 g} when it happened at the first iteration.
     */
    NEGATIVE_CURVATURE("negative or zero curvature"),
    /** The iteration limit was reached; the step is the last iterate. */
    MAX_ITERATIONS("CG iteration limit"),
    /**
     * The step reached the trust-region boundary {@code ||s||_M = radius}: a CG step crossed it,
     * or negative curvature was followed to it (Steihaug 1983, Toint 1981).
     */
    BOUNDARY("reached the trust-region boundary"),
    /** {@code H d} was NaN or infinite; the step is the last finite iterate. */
    NON_FINITE("non-finite curvature product"),
    /** Martens' relative-progress stop ({@link HessianFreeCg#relativeProgressStop}). */
    RELATIVE_PROGRESS("relative progress stalled"),
    /** The residual is exactly zero: the last iterate solves the system. */
    SOLVED("system solved");

    private final String description;

    Exit(String description) {
      this.description = description;
    }

    public String description() {
      return description;
    }
  }
}
