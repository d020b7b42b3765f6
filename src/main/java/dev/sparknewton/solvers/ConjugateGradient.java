package dev.sparknewton.solvers;

import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.CurvatureOperator;

/**
 * Preconditioned conjugate gradient for the Newton system {@code H s = -g}, truncated by a
 * {@link CgStoppingRule}, the iteration limit, or negative curvature (Nocedal and Wright,
 * "Numerical Optimization", 2nd ed., Algorithms 5.3 and 7.1). Each iteration costs one
 * {@code H d} product, which on distributed data is one pass; nothing else touches the data.
 *
 * <p>With {@code s_0 = 0}, {@code r_0 = -g}, {@code z_0 = M^-1 r_0}, {@code d_0 = z_0}:
 *
 * <pre>
 *   a_j = r_j.z_j / d_j.H d_j,  s_{j+1} = s_j + a_j d_j,  r_{j+1} = r_j - a_j H d_j,
 *   z_{j+1} = M^-1 r_{j+1},  d_{j+1} = z_{j+1} + (r_{j+1}.z_{j+1} / r_j.z_j) d_j
 * </pre>
 *
 * The quadratic model {@code Q(s) = g.s + s.H s / 2} is tracked without extra products as
 * {@code Q(s_j) = (g.s_j - r_j.s_j) / 2} (the identity LIBLINEAR's {@code newton.cpp} uses). When
 * {@code d_j.H d_j <= 0} the iteration stops and returns {@code s_j}, a descent direction for
 * {@code j >= 1}; at {@code j = 0} it returns {@code d_0 = -M^-1 g}, the preconditioned
 * steepest-descent direction. Spark-free and silent: the caller reports.
 */
public final class ConjugateGradient {
  private final int maxIterations;

  /** @param maxIterations at least 1; each iteration is one {@code H v} product */
  public ConjugateGradient(int maxIterations) {
    if (maxIterations < 1) {
      throw new IllegalArgumentException("CG needs at least 1 iteration, got " + maxIterations);
    }
    this.maxIterations = maxIterations;
  }

  public int maxIterations() {
    return maxIterations;
  }

  /**
   * Solves {@code H s = -g} approximately.
   *
   * @param h the curvature {@code H} ({@code n x n}, symmetric); every product is one pass
   * @param gradient {@code g}, length {@code n}. Not modified.
   * @param preconditioner {@code M}, symmetric positive definite, dimension {@code n}
   * @param rule when to stop before the limit
   */
  public CgResult solve(
      CurvatureOperator h, double[] gradient, CgPreconditioner preconditioner,
      CgStoppingRule rule) {
    int n = gradient.length;
    if (h.dimension() != n || preconditioner.dimension() != n) {
      throw new IllegalArgumentException("gradient has " + n + " entries, operator dimension "
          + h.dimension() + ", preconditioner dimension " + preconditioner.dimension());
    }
    double[] s = new double[n];
    double gradientNorm = Vectors.norm(gradient);
    if (gradientNorm == 0.0) {
      return new CgResult(s, 0, CgResult.Exit.ZERO_GRADIENT, 0.0);
    }
    double[] r = Vectors.times(-1.0, gradient);
    double[] z = new double[n];
    preconditioner.solve(r, z);
    double[] d = z.clone();
    double rz = Vectors.dot(r, z);

    double residualTarget = 0.0;
    double modelTolerance = 0.0;
    if (rule instanceof CgStoppingRule.ResidualForcing forcing) {
      residualTarget = forcing.eta() * gradientNorm;
    } else if (rule instanceof CgStoppingRule.QuadraticModel model) {
      // rz = g.M^-1 g at j = 0, so sqrt(rz) is ||g||_{M^-1}.
      modelTolerance = Math.min(model.epsCg(), Math.sqrt(Math.sqrt(rz)));
    }

    double q = 0.0;
    for (int j = 1; j <= maxIterations; j++) {
      double[] hd = h.hessianVectorProduct(d);
      double dHd = Vectors.dot(d, hd);
      if (!Double.isFinite(dHd)) {
        return new CgResult(s, j, CgResult.Exit.NON_FINITE, -q);
      }
      if (dHd <= 0.0) {
        if (j == 1) {
          // Q(d_0) = g.d_0 + d_0.H d_0 / 2, with H d_0 at hand.
          return new CgResult(d, 1, CgResult.Exit.NEGATIVE_CURVATURE,
              -(Vectors.dot(gradient, d) + 0.5 * dHd));
        }
        return new CgResult(s, j, CgResult.Exit.NEGATIVE_CURVATURE, -q);
      }
      double alpha = rz / dHd;
      Vectors.axpy(alpha, d, s);
      Vectors.axpy(-alpha, hd, r);
      double qNew = 0.5 * (Vectors.dot(gradient, s) - Vectors.dot(r, s));
      double qDiff = qNew - q;
      q = qNew;
      if (rule instanceof CgStoppingRule.ResidualForcing) {
        if (Vectors.norm(r) <= residualTarget) {
          return new CgResult(s, j, CgResult.Exit.RESIDUAL_FORCING, -q);
        }
      } else if (!(qNew <= 0.0 && qDiff <= 0.0) || j * qDiff >= modelTolerance * qNew) {
        // Q_j > 0 or increasing only happens through rounding; LIBLINEAR stops there too.
        return new CgResult(s, j, CgResult.Exit.QUADRATIC_MODEL, -q);
      }
      if (j == maxIterations) {
        break;
      }
      preconditioner.solve(r, z);
      double rzNew = Vectors.dot(r, z);
      if (rzNew == 0.0) {
        // r = 0 (M is positive definite): s solves the system exactly.
        CgResult.Exit exit = rule instanceof CgStoppingRule.ResidualForcing
            ? CgResult.Exit.RESIDUAL_FORCING : CgResult.Exit.QUADRATIC_MODEL;
        return new CgResult(s, j, exit, -q);
      }
      double beta = rzNew / rz;
      for (int i = 0; i < n; i++) {
        d[i] = z[i] + beta * d[i];
      }
      rz = rzNew;
    }
    return new CgResult(s, maxIterations, CgResult.Exit.MAX_ITERATIONS, -q);
  }
}
