package dev.sparknewton.models;

/**
 * Which second-order matrix of the loss term a curvature product uses. With {@code J_i} the
 * Jacobian of row {@code i}'s outputs and {@code H_l} the loss's curvature in the outputs,
 *
 * <pre>  Hessian = sum_i c_i (J_i^T H_l J_i + sum_k (dl/dz_ik) d^2 z_ik / dtheta^2)</pre>
 *
 * and the Gauss-Newton matrix is its first term. For a model whose outputs are linear in
 * {@code theta} ({@link Model#linearInParameters()}) the second term vanishes and the two are the
 * same matrix; for a network the Hessian may be indefinite, the Gauss-Newton matrix never is
 * (for a convex loss).
 */
public enum Curvature {
  /** {@code sum_i c_i J_i^T H_l J_i}, positive semidefinite for convex losses (Schraudolph 2002). */
  GAUSS_NEWTON,
  /** The exact Hessian (for networks by Pearlmutter's R-operator). */
  HESSIAN;

  /** The configuration name: {@code ggn} or {@code hessian}. */
  public String configName() {
    return this == GAUSS_NEWTON ? "ggn" : "hessian";
  }

  /** From {@link #configName()}. */
  public static Curvature parse(String name) {
    for (Curvature c : values()) {
      if (c.configName().equalsIgnoreCase(name.trim())) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown curvature '" + name + "'; expected ggn or hessian");
  }
}
