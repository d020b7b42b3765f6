package dev.sparknewton.solvers;

import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;

/**
 * Armijo backtracking along a direction {@code p} from an evaluation at {@code w}, spending as few
 * passes over the data as the step allows (DESIGN.md, "evaluate many step sizes in one pass"):
 *
 * <ol>
 *   <li>The full step: {@code objective.evaluate(w + p, next)} with the next outer iteration's
 *       fused request. If {@code f(w + p) <= f(w) + c1 g.p} it is accepted and that evaluation
 *       <em>is</em> the next iterate's gradient pass: no extra pass.
 *   <li>Otherwise one {@link Evaluation#valuesAlong} pass evaluates
 *       {@code beta, beta^2, ..., beta^K} at once; the largest that satisfies the Armijo condition
 *       is accepted and evaluated once more with the fused request (two extra passes).
 *   <li>If none does, the next pass tries {@code beta^{K+1} ... beta^{2K}}, up to
 *       {@link LineSearchConfig#maxPasses()} passes; then {@link Termination#LINE_SEARCH_FAILED}.
 * </ol>
 *
 * The comparison allows {@code ROUNDING_SLACK |f(w)|} for rounding in the two values, as Hager
 * and Zhang's approximate Wolfe conditions allow {@code eps |f|} (W. W. Hager, H. Zhang, SIAM J.
 * Optim. 16(1), 2005, eq. 4.3; their {@code eps = 1e-6}, here a few units in the last place): at
 * the rounding floor a Newton step whose true decrease is below one ulp is not a line-search
 * failure; {@link ConvergenceCheck}'s no-progress test ends such runs instead.
 *
 * <p>When {@code f(w + p)} is already known (Hessian-free's backtracking pass computes it), the
 * full step is tested without a pass ({@link #search(SecondOrderObjective, Evaluation, double[],
 * double, double, EvaluationRequest)}).
 *
 * <p>A direction with {@code g.p >= 0} is replaced by {@code -g}. NaN or infinite trial values count
 * as failures of the Armijo test (the step is too long); when no trial value at all is finite, or
 * the direction is not, the result is {@link Termination#NON_FINITE}.
 */
public final class LineSearch {
  /** Relative rounding allowance of the Armijo test: about 4.5 units in the last place. */
  public static final double ROUNDING_SLACK = 1e-15;

  private final LineSearchConfig config;

  public LineSearch(LineSearchConfig config) {
    this.config = config;
  }

  public LineSearchConfig config() {
    return config;
  }

  /**
   * Searches along {@code direction} from {@code at}.
   *
   * @param at the evaluation at the current point {@code w}
   * @param direction {@code p}. Not modified.
   * @param next what the evaluation at the accepted point fuses (the next iteration's request)
   */
  public LineSearchResult search(
      SecondOrderObjective objective, Evaluation at, double[] direction, EvaluationRequest next) {
    return run(objective, at, direction, at.value(), Double.NaN, false, next);
  }

  /**
   * The same search when {@code f(w)} and {@code f(w + p)} are already known, from one pass over
   * the same rows (Hessian-free's CG backtracking pass): the full step is tested without a pass,
   * and when it satisfies the Armijo condition the only pass is the evaluation of {@code w + p}
   * with {@code next}, the next iterate's gradient pass; otherwise the backtracking passes follow
   * as in {@link #search(SecondOrderObjective, Evaluation, double[], EvaluationRequest)}. After a
   * fallback to {@code -g} the known full-step value does not apply, and the full step along
   * {@code -g} is evaluated as there.
   *
   * @param at the evaluation at the current point {@code w} (its gradient gives the slope)
   * @param direction {@code p}. Not modified.
   * @param value {@code f(w)}, on the rows of {@code fullStepValue}
   * @param fullStepValue {@code f(w + p)}
   * @param next what the evaluation at the accepted point fuses
   */
  public LineSearchResult search(SecondOrderObjective objective, Evaluation at,
      double[] direction, double value, double fullStepValue, EvaluationRequest next) {
    return run(objective, at, direction, value, fullStepValue, true, next);
  }

  private LineSearchResult run(SecondOrderObjective objective, Evaluation at, double[] direction,
      double f, double knownFullStep, boolean fullStepKnown, EvaluationRequest next) {
    double[] w = at.point();
    double[] g = at.gradient();
    double[] p = direction;
    double slope = Vectors.dot(g, p);
    if (!Double.isFinite(slope) || !Vectors.allFinite(p)) {
      return new LineSearchResult.Failed(Termination.NON_FINITE, 0,
          "search direction is not finite (g.p = " + slope + ")", Double.NaN);
    }
    boolean fallback = false;
    if (slope >= 0.0) {
      p = Vectors.times(-1.0, g);
      slope = -Vectors.dot(g, g);
      fallback = true;
    }

    Evaluation full = null;
    double fullValue;
    if (fullStepKnown && !fallback) {
      fullValue = knownFullStep;
    } else {
      full = objective.evaluate(Vectors.plus(w, 1.0, p), next);
      fullValue = full.value();
    }
    double givenDirection = fallback ? Double.NaN : fullValue;
    boolean anyFinite = Double.isFinite(fullValue);
    if (armijo(fullValue, f, 1.0, slope)) {
      Evaluation accepted = full != null ? full : objective.evaluate(Vectors.plus(w, 1.0, p), next);
      return new LineSearchResult.Accepted(accepted, 1.0, p, 0, fallback, givenDirection);
    }

    int k = config.stepsPerPass();
    double[] steps = new double[k];
    double a = 1.0;
    for (int pass = 1; pass <= config.maxPasses(); pass++) {
      for (int i = 0; i < k; i++) {
        a *= config.beta();
        steps[i] = a;
      }
      double[] values = at.valuesAlong(p, steps);
      for (int i = 0; i < k; i++) {
        anyFinite |= Double.isFinite(values[i]);
        if (armijo(values[i], f, steps[i], slope)) {
          Evaluation accepted = objective.evaluate(Vectors.plus(w, steps[i], p), next);
          return new LineSearchResult.Accepted(
              accepted, steps[i], p, pass + 1, fallback, givenDirection);
        }
      }
      if (pass == config.maxPasses()) {
        String detail = "no sufficient decrease down to step " + steps[k - 1] + " after "
            + pass + " backtracking passes";
        return new LineSearchResult.Failed(anyFinite ? Termination.LINE_SEARCH_FAILED
            : Termination.NON_FINITE, pass, detail, givenDirection);
      }
    }
    return new LineSearchResult.Failed(
        anyFinite ? Termination.LINE_SEARCH_FAILED : Termination.NON_FINITE, 0,
        "the full step gives no sufficient decrease and backtracking is off (maxPasses = 0)",
        givenDirection);
  }

  private boolean armijo(double value, double f, double step, double slope) {
    // A NaN value fails the comparison, as it should.
    return value <= f + config.c1() * step * slope + ROUNDING_SLACK * Math.abs(f);
  }
}
