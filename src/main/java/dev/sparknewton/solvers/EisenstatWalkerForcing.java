package dev.sparknewton.solvers;

/**
 * The forcing terms {@code eta_k} of an inexact Newton method, CG stopping at
 * {@code ||r|| <= eta_k ||g_k||}: Eisenstat and Walker's "Choice 2" (S. C. Eisenstat, H. F. Walker,
 * "Choosing the forcing terms in an inexact Newton method", SIAM J. Sci. Comput. 17(1), 1996,
 * eq. 2.6 with the safeguard of section 3):
 *
 * <pre>
 *   eta_0 = ETA_0,
 *   eta_k = GAMMA (||g_k|| / ||g_{k-1}||)^ALPHA,
 *   eta_k = max(eta_k, GAMMA eta_{k-1}^ALPHA)      when GAMMA eta_{k-1}^ALPHA > SAFEGUARD_THRESHOLD,
 *   eta_k = min(eta_k, ETA_MAX),
 * </pre>
 *
 * followed by Kelley's guard against oversolving the last step (C. T. Kelley, "Iterative Methods
 * for Linear and Nonlinear Equations", SIAM 1995, eq. 6.20):
 * {@code eta_k = min(ETA_MAX, max(eta_k, 0.5 target / ||g_k||))}, where {@code target} is the
 * gradient norm at which the outer solver stops. Stateful: one instance per solver run, one
 * {@link #next} call per outer iteration.
 */
public final class EisenstatWalkerForcing {
  /** {@code eta_0 = 0.5}: Eisenstat and Walker 1996, section 4 (their experiments). */
  public static final double ETA_0 = 0.5;
  /** {@code gamma = 0.9}: Eisenstat and Walker 1996, Choice 2 in section 4. */
  public static final double GAMMA = 0.9;
  /** {@code alpha = 2}: Eisenstat and Walker 1996, Choice 2 in section 4. */
  public static final double ALPHA = 2.0;
  /** The safeguard applies when {@code gamma eta_{k-1}^alpha > 0.1}: Eisenstat and Walker 1996. */
  public static final double SAFEGUARD_THRESHOLD = 0.1;
  /** {@code eta_max = 0.9}: Kelley 1995, section 6.3, and Eisenstat and Walker 1996. */
  public static final double ETA_MAX = 0.9;
  /** Smallest forcing term handed to CG, so that {@link CgStoppingRule.ResidualForcing} accepts it. */
  public static final double ETA_MIN = 1e-15;

  private final double target;
  private double previousEta = Double.NaN;
  private double previousGradientNorm = Double.NaN;

  /** @param target the gradient norm at which the outer solver stops ({@code >= 0}) */
  public EisenstatWalkerForcing(double target) {
    if (!(target >= 0.0)) {
      throw new IllegalArgumentException("target gradient norm must be >= 0, got " + target);
    }
    this.target = target;
  }

  /**
   * Writes the memory of the last term under {@code prefix}: {@code previousEta} and
   * {@code previousGradientNorm} (NaN before the first term).
   */
  void saveTo(SnapshotFields.Builder out, String prefix) {
    out.put(prefix + "previousEta", previousEta)
        .put(prefix + "previousGradientNorm", previousGradientNorm);
  }

  /** Puts back what {@link #saveTo} wrote under {@code prefix}. */
  void restoreFrom(SnapshotFields in, String prefix) {
    previousEta = in.doubleValue(prefix + "previousEta");
    previousGradientNorm = in.doubleValue(prefix + "previousGradientNorm");
  }

  /** The forcing term for the outer iteration whose gradient norm is {@code gradientNorm}. */
  public double next(double gradientNorm) {
    double eta;
    if (Double.isNaN(previousEta)) {
      eta = ETA_0;
    } else {
      double ratio = gradientNorm / previousGradientNorm;
      eta = GAMMA * Math.pow(ratio, ALPHA);
      double safeguard = GAMMA * Math.pow(previousEta, ALPHA);
      if (safeguard > SAFEGUARD_THRESHOLD) {
        eta = Math.max(eta, safeguard);
      }
      eta = Math.min(eta, ETA_MAX);
    }
    if (gradientNorm > 0.0) {
      eta = Math.min(ETA_MAX, Math.max(eta, 0.5 * target / gradientNorm));
    }
    if (!(eta >= ETA_MIN)) {
      eta = ETA_MIN;
    }
    previousEta = eta;
    previousGradientNorm = gradientNorm;
    return eta;
  }
}
