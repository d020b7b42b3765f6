package dev.sparknewton.solvers;

/**
 * The Levenberg-Marquardt rule for a damping parameter {@code lambda} from the reduction ratio
 * {@code rho} of the last step, actual over predicted change of {@code f} (J. Martens, "Deep
 * learning via Hessian-free optimization", ICML 2010, Sec. 4.1):
 *
 * <pre>
 *   rho <  1/4:  lambda <- 3/2 lambda    (the model promised too much: damp more)
 *   rho >  3/4:  lambda <- 2/3 lambda    (the model is trustworthy: damp less)
 *   otherwise:   lambda unchanged
 * </pre>
 *
 * A NaN ratio (a non-finite value at the step) counts as {@code rho < 1/4}: the step is not
 * trusted. The result is clamped to {@code [min, max]}.
 */
public final class LevenbergMarquardtRule {
  /** Below this {@code rho} the damping grows: Martens 2010, Sec. 4.1. */
  public static final double LOW_RATIO = 0.25;
  /** Above this {@code rho} the damping shrinks: Martens 2010, Sec. 4.1. */
  public static final double HIGH_RATIO = 0.75;
  /** {@code lambda <- 3/2 lambda}: Martens 2010, Sec. 4.1. */
  public static final double INCREASE = 1.5;
  /** {@code lambda <- 2/3 lambda}: Martens 2010, Sec. 4.1. */
  public static final double DECREASE = 2.0 / 3.0;

  private LevenbergMarquardtRule() {}

  /**
   * The damping after a step with reduction ratio {@code rho}, within {@code [min, max]}
   * ({@code 0 < min <= max}).
   */
  public static double next(double lambda, double rho, double min, double max) {
    double factor;
    if (!(rho >= LOW_RATIO)) {
      factor = INCREASE;
    } else if (rho > HIGH_RATIO) {
      factor = DECREASE;
    } else {
      factor = 1.0;
    }
    return Math.min(max, Math.max(min, lambda * factor));
  }
}
