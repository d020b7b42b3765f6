package dev.sparknewton.ml.inference;

import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.objective.CurvatureOperator;
import java.util.function.UnaryOperator;

/**
 * Preconditioned conjugate gradients for {@code A X = B} with {@code s} right-hand sides at once:
 * an independent PCG recurrence per column (Hestenes-Stiefel with preconditioner {@code M},
 * Saad, "Iterative Methods for Sparse Linear Systems", 2nd ed., Algorithm 9.1), whose products
 * with {@code A} are taken together, one block product per iteration for the columns not yet
 * converged, so that an iteration over a cached data set is one pass for the whole block. A
 * column stops when {@code ||b - A x|| <= tolerance ||b||} (the recursively updated residual).
 * {@code A} and {@code M} must be symmetric positive definite.
 */
final class BlockPcg {

  /**
   * @param solution {@code X}, {@code P x s}
   * @param iterations block products of {@code A} (passes)
   * @param maxResidual the largest {@code ||b - A x|| / ||b||} at the end
   * @param failed a product that is not finite or a curvature {@code p^T A p <= 0}
   */
  record Result(ColumnMatrix solution, int iterations, double maxResidual, boolean failed) {}

  private BlockPcg() {}

  static Result solve(CurvatureOperator a, UnaryOperator<ColumnMatrix> preconditioner,
      ColumnMatrix b, double tolerance, int maxIterations) {
    int p = b.rows();
    int s = b.cols();
    ColumnMatrix x = ColumnMatrix.zeros(p, s);
    ColumnMatrix r = b.copy();
    ColumnMatrix z = preconditioner.apply(r);
    ColumnMatrix dir = z.copy();
    double[] rz = new double[s];
    double[] bNorm = new double[s];
    double[] residual = new double[s];
    boolean[] active = new boolean[s];
    int activeCount = 0;
    for (int c = 0; c < s; c++) {
      rz[c] = dot(r, c, z, c);
      bNorm[c] = Math.sqrt(dot(b, c, b, c));
      residual[c] = bNorm[c] > 0.0 ? 1.0 : 0.0;
      active[c] = bNorm[c] > 0.0;
      activeCount += active[c] ? 1 : 0;
    }
    int iterations = 0;
    while (activeCount > 0 && iterations < maxIterations) {
      int[] columns = new int[activeCount];
      for (int c = 0, k = 0; c < s; c++) {
        if (active[c]) {
          columns[k++] = c;
        }
      }
      ColumnMatrix q = a.hessianBlockProduct(select(dir, columns));
      iterations++;
      for (int k = 0; k < columns.length; k++) {
        int c = columns[k];
        double curvature = dot(dir, c, q, k);
        if (!(curvature > 0.0) || Double.isInfinite(curvature)) {
          return new Result(x, iterations, max(residual), true);
        }
        double alpha = rz[c] / curvature;
        axpy(alpha, dir, c, x, c);
        axpy(-alpha, q, k, r, c);
        residual[c] = Math.sqrt(dot(r, c, r, c)) / bNorm[c];
        if (residual[c] <= tolerance) {
          active[c] = false;
          activeCount--;
        }
      }
      if (activeCount == 0) {
        break;
      }
      z = preconditioner.apply(r);
      for (int c = 0; c < s; c++) {
        if (!active[c]) {
          continue;
        }
        double next = dot(r, c, z, c);
        double beta = next / rz[c];
        rz[c] = next;
        double[] d = dir.data();
        double[] zz = z.data();
        for (int j = 0, at = c * p; j < p; j++, at++) {
          d[at] = zz[at] + beta * d[at];
        }
      }
    }
    return new Result(x, iterations, max(residual), false);
  }

  private static ColumnMatrix select(ColumnMatrix m, int[] columns) {
    int p = m.rows();
    double[] out = new double[p * columns.length];
    for (int k = 0; k < columns.length; k++) {
      System.arraycopy(m.data(), columns[k] * p, out, k * p, p);
    }
    return new ColumnMatrix(p, columns.length, out);
  }

  private static double dot(ColumnMatrix a, int ca, ColumnMatrix b, int cb) {
    int p = a.rows();
    double s = 0.0;
    for (int j = 0, i = ca * p, k = cb * p; j < p; j++, i++, k++) {
      s += a.data()[i] * b.data()[k];
    }
    return s;
  }

  /** Column {@code cy} of {@code y} += {@code alpha} column {@code cx} of {@code x}. */
  private static void axpy(double alpha, ColumnMatrix x, int cx, ColumnMatrix y, int cy) {
    int p = x.rows();
    for (int j = 0, i = cx * p, k = cy * p; j < p; j++, i++, k++) {
      y.data()[k] += alpha * x.data()[i];
    }
  }

  private static double max(double[] a) {
    double m = 0.0;
    for (double v : a) {
      m = Math.max(m, v);
    }
    return m;
  }
}
