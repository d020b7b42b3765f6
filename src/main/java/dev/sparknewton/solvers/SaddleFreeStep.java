package dev.sparknewton.solvers;

import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.Vectors;

/**
 * The low-rank saddle-free Newton step (O'Leary-Roseberry, Alger, Ghattas, "Low rank saddle free
 * Newton", arXiv:2002.02881): with {@code H ~ U diag(l) U^T} ({@code U} {@code n x k},
 * orthonormal columns) and {@code gamma > 0},
 *
 * <pre>
 *   p = -(U |diag(l)| U^T + gamma I)^-1 g
 *     = -U diag(1 / (|l_i| + gamma)) U^T g - (g - U U^T g) / gamma
 * </pre>
 *
 * (Woodbury: on the complement of the range of {@code U} the matrix is {@code gamma I}). The
 * absolute values turn directions of negative curvature into directions of descent, so the step
 * moves away from saddle points where the Newton step {@code -H^-1 g} is drawn to them.
 */
final class SaddleFreeStep {
  private SaddleFreeStep() {}

  /**
   * Returns the new vector {@code p}.
   *
   * @param u {@code U}, {@code n x k} with orthonormal columns. Not modified.
   * @param l the eigenvalues {@code l_i}, length {@code k}. Not modified.
   * @param gamma {@code > 0}
   * @param g the gradient, length {@code n}. Not modified.
   */
  static double[] of(ColumnMatrix u, double[] l, double gamma, double[] g) {
    int n = g.length;
    int k = l.length;
    if (u.rows() != n || u.cols() != k) {
      throw new IllegalArgumentException("expected U of " + n + " x " + k + ", got " + u);
    }
    if (!(gamma > 0.0) || Double.isInfinite(gamma)) {
      throw new IllegalArgumentException("gamma must be finite and > 0, got " + gamma);
    }
    double[] c = u.transposeMultiply(g);
    double[] complement = g.clone();
    Vectors.axpy(-1.0, u.multiply(c), complement);
    for (int i = 0; i < k; i++) {
      c[i] /= Math.abs(l[i]) + gamma;
    }
    double[] p = u.multiply(c);
    if (k < n) {
      // When U spans R^n the complement is zero; its rounding residue divided by a small gamma
      // would only add noise.
      Vectors.axpy(1.0 / gamma, complement, p);
    }
    Vectors.scale(-1.0, p);
    return p;
  }

  /**
   * The model curvature {@code s.(U |diag(l)| U^T + gamma I) s}. {@code s} not modified.
   */
  static double curvature(ColumnMatrix u, double[] l, double gamma, double[] s) {
    double[] c = u.transposeMultiply(s);
    double q = gamma * Vectors.dot(s, s);
    for (int i = 0; i < l.length; i++) {
      q += Math.abs(l[i]) * c[i] * c[i];
    }
    return q;
  }
}
