package dev.sparknewton.solvers;

import dev.sparknewton.objective.ClassSumGroups;

/**
 * The Hessian diagonal corrected for a softmax model's class-sum directions
 * ({@link ClassSumGroups}; {@code solver.preconditioner = softmax-diagonal}): per group {@code g}
 * (one feature's {@code K} class coefficients),
 *
 * <pre>  M_g = D_g - d_g d_g^T / sum_k d_gk,   D_g = diag(h_g),   d_g = h_g - lambda_g</pre>
 *
 * with {@code h} the guarded Hessian diagonal (as {@link DiagonalPreconditioner}) and
 * {@code lambda} the regularization's part of it. {@code M_g} keeps the diagonal's scale in every
 * direction but the constant one, where {@code M_g 1 = lambda_g}: the curvature the objective
 * really has there, because each feature's data block {@code sum_i c_i x_ij^2 (diag(p_i) - p_i
 * p_i^T)} maps the constant vector to zero. The plain diagonal puts {@code ~h} there instead, so
 * {@code M^-1 H} has one eigenvalue near {@code lambda / h} per feature, tens of thousands at
 * news20's {@code lambda = 1e-5}, that CG has to resolve (docs/bench/news20-diagnostics (j)).
 * {@code M_g} is positive definite when some member is penalized:
 * {@code x^T M_g x = sum lambda_k x_k^2 + (sum d_k x_k^2 - (sum d_k x_k)^2 / sum d_k)}, the bracket
 * a weighted variance. Applied in {@code O(K)} per group by Sherman-Morrison:
 *
 * <pre>  M_g^-1 r = D^-1 r + D^-1 d (d^T D^-1 r) / (sum_k d_k lambda_k / h_k)</pre>
 *
 * A group with no penalized member (the intercepts), or no data curvature, keeps the plain
 * diagonal: its constant direction is an exact null direction of the objective, which changes
 * nothing (diagnostics (b)).
 */
public final class SoftmaxDiagonalPreconditioner implements CgPreconditioner {
  private final ClassSumGroups groups;
  private final double[] inverse;
  /** {@code d_k / h_k}. */
  private final double[] weight;
  /** Per group, {@code 1 / sum_k d_k lambda_k / h_k}, or 0 for the plain diagonal. */
  private final double[] scale;

  private SoftmaxDiagonalPreconditioner(
      ClassSumGroups groups, double[] inverse, double[] weight, double[] scale) {
    this.groups = groups;
    this.inverse = inverse;
    this.weight = weight;
    this.scale = scale;
  }

  /**
   * @param diagonal the objective's Hessian diagonal, the penalty included. Not modified.
   * @param groups with the penalty per parameter (null: none, so the plain diagonal)
   */
  public static CgPreconditioner of(double[] diagonal, ClassSumGroups groups) {
    double[] guarded = DiagonalPreconditioner.guarded(diagonal);
    if (guarded == null || groups.penalty() == null) {
      return DiagonalPreconditioner.fromHessianDiagonal(diagonal);
    }
    int n = diagonal.length;
    double[] penalty = groups.penalty();
    double[] inverse = new double[n];
    double[] weight = new double[n];
    for (int j = 0; j < n; j++) {
      double h = guarded[j];
      inverse[j] = 1.0 / h;
      weight[j] = Math.max(h - penalty[j], 0.0) / h;
    }
    double[] scale = weightedGroupSums(groups, weight, penalty);
    for (int g = 0; g < scale.length; g++) {
      scale[g] = scale[g] > 0.0 ? 1.0 / scale[g] : 0.0;
      if (scale[g] == 0.0) {
        for (int k = 0; k < groups.members(); k++) {
          weight[groups.index(g, k)] = 0.0;
        }
      }
    }
    return new SoftmaxDiagonalPreconditioner(groups, inverse, weight, scale);
  }

  @Override
  public int dimension() {
    return inverse.length;
  }

  @Override
  public void solve(double[] r, double[] z) {
    solveDot(r, z);
  }

  /** Two sweeps: the groups' weighted sums of {@code r}, then {@code z} and {@code r.z}. */
  @Override
  public double solveDot(double[] r, double[] z) {
    CgPreconditioner.checkLengths(inverse.length, r, z);
    int members = groups.members();
    int stride = groups.stride();
    double[] c = weightedGroupSums(groups, weight, r);
    for (int g = 0; g < c.length; g++) {
      c[g] *= scale[g];
    }
    // Index order j = g + k stride, so r.z is summed as Vectors.dot sums it.
    double rz = 0.0;
    for (int j = 0, g = 0, k = 0; j < inverse.length; j++) {
      double zj = inverse[j] * r[j];
      if (g < c.length && k < members) {
        zj += weight[j] * c[g];
      }
      z[j] = zj;
      rz += r[j] * zj;
      if (++g == stride) {
        g = 0;
        k++;
      }
    }
    return rz;
  }

  /** Per group {@code g}, {@code sum_k weight_i x_i} over its members {@code i = index(g, k)}. */
  private static double[] weightedGroupSums(ClassSumGroups groups, double[] weight, double[] x) {
    double[] sums = new double[groups.groups()];
    for (int k = 0; k < groups.members(); k++) {
      for (int g = 0; g < sums.length; g++) {
        int at = groups.index(g, k);
        sums[g] += weight[at] * x[at];
      }
    }
    return sums;
  }
}
