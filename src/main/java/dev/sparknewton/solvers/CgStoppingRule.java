package dev.sparknewton.solvers;

/**
 * When the (preconditioned) conjugate gradient iteration for {@code H s = -g} stops, besides
 * negative curvature and its iteration limit. With {@code r_j = -g - H s_j} the residual and
 * {@code Q(s) = g.s + s.H s / 2} the quadratic model:
 *
 * <ul>
 *   <li>{@link ResidualForcing}: {@code ||r_j|| <= eta ||g||}, the inexact-Newton condition of
 *       Dembo, Eisenstat and Steihaug (1982) with a forcing term {@code eta} chosen by the outer
 *       solver (for example {@link EisenstatWalkerForcing}).
 *   <li>{@link QuadraticModel}: LIBLINEAR 2.40's rule (Galli and Lin, "A study on truncated Newton
 *       methods for linear classification", IEEE TNNLS 2021; {@code NEWTON::pcg} in LIBLINEAR's
 *       {@code newton.cpp}): stop at the first {@code j} with
 *       <pre>  j (Q_j - Q_{j-1}) / Q_j <= cgtol,   cgtol = min(epsCg, sqrt(||g||_{M^-1}))</pre>
 *       ({@code Q_0 = 0}, {@code ||g||_{M^-1} = sqrt(g.M^-1 g)}): the last step's share of the
 *       model decrease, times {@code j}, is small. LIBLINEAR also stops when {@code Q_j > 0} or
 *       {@code Q_j} increases (rounding), and so does {@link ConjugateGradient}.
 * </ul>
 */
public sealed interface CgStoppingRule {

  /** {@code ||r_j|| <= eta ||g||}. */
  record ResidualForcing(double eta) implements CgStoppingRule {
    public ResidualForcing {
      if (!(eta > 0.0 && eta < 1.0)) {
        throw new IllegalArgumentException("forcing term must be in (0, 1), got " + eta);
      }
    }
  }

  /** LIBLINEAR's quadratic-model stop with {@code cgtol = min(epsCg, sqrt(||g||_{M^-1}))}. */
  record QuadraticModel(double epsCg) implements CgStoppingRule {
    /** {@code eps_cg = 0.1}: LIBLINEAR 2.40+ {@code linear.cpp}, {@code train_one} (cold start). */
    public static final double LIBLINEAR_EPS_CG = 0.1;

    public QuadraticModel {
      if (!(epsCg > 0.0 && epsCg < 1.0)) {
        throw new IllegalArgumentException("epsCg must be in (0, 1), got " + epsCg);
      }
    }
  }
}
