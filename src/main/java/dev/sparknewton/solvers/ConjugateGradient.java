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
    return solveWithin(h, gradient, preconditioner, rule, Double.POSITIVE_INFINITY,
        Double.POSITIVE_INFINITY);
  }

  /**
   * Steihaug-Toint truncated CG for the trust-region subproblem
   * {@code min Q(s) = g.s + s.H s / 2} subject to {@code ||s||_M <= radius}, in the norm of the
   * preconditioner (T. Steihaug, SIAM J. Numer. Anal. 20(3), 1983; Nocedal and Wright, Algorithm
   * 7.2; A. R. Conn, N. I. M. Gould, Ph. L. Toint, "Trust-Region Methods", 2000, Sec. 7.5.1). The
   * iterates of PCG from {@code s_0 = 0} grow monotonically in {@code ||.||_M}, so the first one
   * outside the region is replaced by the point where its segment crosses the boundary, and the
   * iteration stops there ({@link CgResult.Exit#BOUNDARY}); a direction of non-positive curvature
   * is followed to the boundary. The norms need no product with {@code M}: with {@code z = M^-1 r}
   * and {@code r_{j+1}} orthogonal to {@code s_{j+1}},
   *
   * <pre>
   *   s'Ms += 2 a s'Md + a^2 d'Md,   s'Md <- b (s'Md + a d'Md),   d'Md <- r'z + b^2 d'Md
   * </pre>
   *
   * (Conn, Gould, Toint, eqs. 7.5.5-7.5.7). With {@code radius = +infinity} this is
   * {@link #solve}: plain truncated PCG, whose negative-curvature exit returns the last iterate.
   *
   * @param radius the trust-region radius in {@code ||.||_M}, {@code > 0}, or
   *     {@code Double.POSITIVE_INFINITY} for none
   * @param maxDecrease stop at the first iterate whose model decrease {@code -Q(s_j)} reaches
   *     this ({@link CgResult.Exit#MODEL_BOUND}): {@code f - lowerBound(f)}, the most {@code f}
   *     can decrease, or {@code Double.POSITIVE_INFINITY} for no such stop
   */
  public CgResult solveWithin(
      CurvatureOperator h, double[] gradient, CgPreconditioner preconditioner,
      CgStoppingRule rule, double radius, double maxDecrease) {
    int n = gradient.length;
    if (h.dimension() != n || preconditioner.dimension() != n) {
      throw new IllegalArgumentException("gradient has " + n + " entries, operator dimension "
          + h.dimension() + ", preconditioner dimension " + preconditioner.dimension());
    }
    if (!(radius > 0.0)) {
      throw new IllegalArgumentException("trust-region radius must be > 0, got " + radius);
    }
    boolean bounded = radius < Double.POSITIVE_INFINITY;
    double[] s = new double[n];
    double gradientNorm = Vectors.norm(gradient);
    if (gradientNorm == 0.0) {
      return new CgResult(s, 0, CgResult.Exit.ZERO_GRADIENT, 0.0, 0.0);
    }
    double[] r = Vectors.times(-1.0, gradient);
    double[] z = new double[n];
    preconditioner.solve(r, z);
    double[] d = z.clone();
    double rz = Vectors.dot(r, z);
    // ||s||_M^2, s.M d and d.M d (d_0 = M^-1 r_0, so d_0.M d_0 = r_0.z_0).
    double sMs = 0.0;
    double sMd = 0.0;
    double dMd = rz;

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
        return new CgResult(s, j, CgResult.Exit.NON_FINITE, -q, Math.sqrt(sMs));
      }
      if (dHd <= 0.0 && bounded) {
        return toBoundary(gradient, s, r, d, hd, sMs, sMd, dMd, radius, j);
      }
      if (dHd <= 0.0) {
        if (j == 1) {
          // Q(d_0) = g.d_0 + d_0.H d_0 / 2, with H d_0 at hand.
          return new CgResult(d, 1, CgResult.Exit.NEGATIVE_CURVATURE,
              -(Vectors.dot(gradient, d) + 0.5 * dHd), Math.sqrt(dMd));
        }
        return new CgResult(s, j, CgResult.Exit.NEGATIVE_CURVATURE, -q, Math.sqrt(sMs));
      }
      double alpha = rz / dHd;
      double sMsNew = sMs + alpha * (2.0 * sMd + alpha * dMd);
      if (sMsNew >= radius * radius) {
        return toBoundary(gradient, s, r, d, hd, sMs, sMd, dMd, radius, j);
      }
      sMs = sMsNew;
      double qNew = 0.5 * step(alpha, d, hd, gradient, s, r);
      double qDiff = qNew - q;
      q = qNew;
      double norm = Math.sqrt(sMs);
      if (-q >= maxDecrease) {
        return new CgResult(s, j, CgResult.Exit.MODEL_BOUND, -q, norm);
      }
      if (rule instanceof CgStoppingRule.ResidualForcing) {
        if (Vectors.norm(r) <= residualTarget) {
          return new CgResult(s, j, CgResult.Exit.RESIDUAL_FORCING, -q, norm);
        }
      } else if (!(qNew <= 0.0 && qDiff <= 0.0) || j * qDiff >= modelTolerance * qNew) {
        // Q_j > 0 or increasing only happens through rounding; LIBLINEAR stops there too.
        return new CgResult(s, j, CgResult.Exit.QUADRATIC_MODEL, -q, norm);
      }
      if (j == maxIterations) {
        break;
      }
      double rzNew = preconditioner.solveDot(r, z);
      if (rzNew == 0.0) {
        // r = 0 (M is positive definite): s solves the system exactly.
        CgResult.Exit exit = rule instanceof CgStoppingRule.ResidualForcing
            ? CgResult.Exit.RESIDUAL_FORCING : CgResult.Exit.QUADRATIC_MODEL;
        return new CgResult(s, j, exit, -q, norm);
      }
      double beta = rzNew / rz;
      for (int i = 0; i < n; i++) {
        d[i] = z[i] + beta * d[i];
      }
      sMd = beta * (sMd + alpha * dMd);
      dMd = rzNew + beta * beta * dMd;
      rz = rzNew;
    }
    return new CgResult(s, maxIterations, CgResult.Exit.MAX_ITERATIONS, -q, Math.sqrt(sMs));
  }

  /**
   * {@code s += a d} and {@code r -= a H d} in one sweep that also returns
   * {@code g.s - r.s = 2 Q(s)} at the new {@code s} and {@code r}: each sum adds its terms in index
   * order, so the result is that of two axpys and two dots, bit for bit, in one pass over the
   * vectors instead of four (news20 multinomial, 1.24M parameters: a dot takes 1 ms here, as long
   * as its add chain, and the two chains of one loop run side by side).
   */
  private static double step(
      double a, double[] d, double[] hd, double[] gradient, double[] s, double[] r) {
    double gs = 0.0;
    double rs = 0.0;
    for (int i = 0; i < s.length; i++) {
      double si = s[i] + a * d[i];
      double ri = r[i] + -a * hd[i];
      s[i] = si;
      r[i] = ri;
      gs += gradient[i] * si;
      rs += ri * si;
    }
    return gs - rs;
  }

  /**
   * {@code s + tau d} with {@code tau >= 0} the root of {@code ||s + tau d||_M = radius}, in the
   * cancellation-free form of the quadratic formula; {@code s} and {@code r} are updated in place.
   */
  private static CgResult toBoundary(
      double[] gradient, double[] s, double[] r, double[] d, double[] hd, double sMs, double sMd,
      double dMd, double radius, int iterations) {
    double room = Math.max(0.0, radius * radius - sMs);
    double root = Math.sqrt(sMd * sMd + dMd * room);
    double tau = sMd >= 0.0 ? room / (sMd + root) : (root - sMd) / dMd;
    double q = 0.5 * step(tau, d, hd, gradient, s, r);
    return new CgResult(s, iterations, CgResult.Exit.BOUNDARY, -q, radius);
  }
}
