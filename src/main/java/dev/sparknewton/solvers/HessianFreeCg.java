package dev.sparknewton.solvers;

import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.CurvatureOperator;
import java.util.ArrayList;
import java.util.List;

/**
 * The inner solver of {@link HessianFree} (J. Martens, "Deep learning via Hessian-free
 * optimization", ICML 2010, Sec. 4.4-4.6): preconditioned CG on the damped system
 * {@code A x = -g} from a warm start {@code x_0}, stopped by Martens' relative-progress rule, with
 * the iterates kept at the iterations {@code ceil(1.3^j)} for CG backtracking. Spark-free and
 * silent.
 *
 * <p>With {@code r_0 = -g - A x_0} (one product, none when {@code x_0 = 0}),
 * {@code z_0 = M^-1 r_0}, {@code p_0 = z_0} (Nocedal and Wright, "Numerical Optimization", 2nd
 * ed., Algorithm 5.3):
 *
 * <pre>
 *   a_i = r_i.z_i / p_i.A p_i,  x_{i+1} = x_i + a_i p_i,  r_{i+1} = r_i - a_i A p_i,
 *   z_{i+1} = M^-1 r_{i+1},  p_{i+1} = z_{i+1} + (r_{i+1}.z_{i+1} / r_i.z_i) p_i
 * </pre>
 *
 * The damped quadratic model {@code phi(x) = x.A x / 2 + g.x} is tracked without products as
 * {@code phi(x_i) = (g.x_i - r_i.x_i) / 2}, since {@code A x_i = -g - r_i}.
 *
 * <p>CG stops after iteration {@code i} (one product each) at the first of: Martens'
 * relative-progress rule ({@link #relativeProgressStop}); a residual that is exactly zero; the
 * iteration limit; or non-positive curvature {@code p_i.A p_i <= 0} met in iteration {@code i},
 * which keeps the last iterate {@code x_{i-1}} (in the first iteration, where that is only the
 * start, it takes {@code x_0 + p_0}: from {@code x_0 = 0} the preconditioned steepest-descent
 * direction {@code -M^-1 g}, as {@link ConjugateGradient} does). A non-finite product ends it with
 * {@link CgResult.Exit#NON_FINITE}.
 */
final class HessianFreeCg {
  private HessianFreeCg() {}

  /**
   * Solves {@code A x = -g} approximately.
   *
   * @param a the damped curvature {@code A}, symmetric; every product is one pass
   * @param gradient {@code g}. Not modified.
   * @param preconditioner {@code M}, symmetric positive definite
   * @param start {@code x_0}. Not modified.
   * @param maxIterations at least 1
   */
  static HessianFreeCgResult solve(CurvatureOperator a, double[] gradient,
      CgPreconditioner preconditioner, double[] start, int maxIterations) {
    int n = gradient.length;
    if (a.dimension() != n || preconditioner.dimension() != n || start.length != n) {
      throw new IllegalArgumentException("gradient has " + n + " entries, operator dimension "
          + a.dimension() + ", preconditioner dimension " + preconditioner.dimension()
          + ", start " + start.length);
    }
    if (maxIterations < 1) {
      throw new IllegalArgumentException("CG needs at least 1 iteration, got " + maxIterations);
    }
    Stored stored = new Stored(n);
    double[] x = start.clone();
    double[] r = Vectors.times(-1.0, gradient);
    int products = 0;
    if (!isZero(x)) {
      Vectors.axpy(-1.0, a.hessianVectorProduct(x), r);
      products++;
    }
    double[] phi = new double[maxIterations + 1];
    phi[0] = 0.5 * (Vectors.dot(gradient, x) - Vectors.dot(r, x));
    double[] z = new double[n];
    preconditioner.solve(r, z);
    double rz = Vectors.dot(r, z);
    if (!Double.isFinite(rz) || !Double.isFinite(phi[0])) {
      return stored.result(0, products, CgResult.Exit.NON_FINITE);
    }
    if (rz == 0.0) {
      stored.add(x, phi[0], 0);
      return stored.result(0, products, CgResult.Exit.SOLVED);
    }
    double[] p = z.clone();
    int nextStored = 1;
    for (int i = 1; i <= maxIterations; i++) {
      double[] ap = a.hessianVectorProduct(p);
      products++;
      double pAp = Vectors.dot(p, ap);
      if (!Double.isFinite(pAp)) {
        if (i > 1) {
          stored.addLast(x, phi[i - 1], i - 1);
        }
        return stored.result(i, products, CgResult.Exit.NON_FINITE);
      }
      if (pAp <= 0.0) {
        if (i == 1) {
          // phi(x_0 + p) = phi(x_0) + p.(g + A x_0) + p.A p / 2 = phi(x_0) - p.r_0 + p.A p / 2.
          double value = phi[0] - Vectors.dot(p, r) + 0.5 * pAp;
          stored.add(Vectors.plus(x, 1.0, p), value, 1);
        } else {
          stored.addLast(x, phi[i - 1], i - 1);
        }
        return stored.result(i, products, CgResult.Exit.NEGATIVE_CURVATURE);
      }
      double alpha = rz / pAp;
      Vectors.axpy(alpha, p, x);
      Vectors.axpy(-alpha, ap, r);
      phi[i] = 0.5 * (Vectors.dot(gradient, x) - Vectors.dot(r, x));
      if (i == nextStored) {
        stored.add(x, phi[i], i);
        nextStored = nextStoredIteration(i);
      }
      if (relativeProgressStop(phi, i)) {
        stored.addLast(x, phi[i], i);
        return stored.result(i, products, CgResult.Exit.RELATIVE_PROGRESS);
      }
      if (i == maxIterations) {
        break;
      }
      preconditioner.solve(r, z);
      double rzNew = Vectors.dot(r, z);
      if (rzNew == 0.0) {
        // r = 0 (M is positive definite): x solves the system exactly.
        stored.addLast(x, phi[i], i);
        return stored.result(i, products, CgResult.Exit.SOLVED);
      }
      double beta = rzNew / rz;
      for (int j = 0; j < n; j++) {
        p[j] = z[j] + beta * p[j];
      }
      rz = rzNew;
    }
    stored.addLast(x, phi[maxIterations], maxIterations);
    return stored.result(maxIterations, products, CgResult.Exit.MAX_ITERATIONS);
  }

  /**
   * Martens' relative-progress stop (Martens 2010, Sec. 4.4): stop after iteration {@code i} when
   *
   * <pre>  i > k,  phi_i < 0  and  (phi_i - phi_{i-k}) / phi_i < k eps,   k = max(10, ceil(0.1 i)),  eps = 5e-4</pre>
   *
   * that is, when the last {@code k} iterations decreased the model by less than
   * {@code k eps} of its value: a relative decrease per iteration below {@code eps}, averaged
   * over a window that grows with {@code i}.
   *
   * @param phi {@code phi_0 .. phi_i}, the damped model at the iterates ({@code phi_0} at the
   *     start); entries beyond {@code i} are ignored. Not modified.
   */
  static boolean relativeProgressStop(double[] phi, int i) {
    int k = Math.max(HessianFreeConfig.PROGRESS_MIN_WINDOW,
        (int) Math.ceil(HessianFreeConfig.PROGRESS_WINDOW_FRACTION * i));
    if (i <= k || !(phi[i] < 0.0)) {
      return false;
    }
    return (phi[i] - phi[i - k]) / phi[i] < k * HessianFreeConfig.PROGRESS_EPSILON;
  }

  /**
   * The smallest {@code ceil(1.3^j)} ({@code j = 0, 1, ...}) above {@code i}: after iteration 0
   * that is 1, then 2, 3, 4, 5, 7, 9, 11, 14, 18, ... (Martens 2010, Sec. 4.6).
   */
  static int nextStoredIteration(int i) {
    for (int j = 0; ; j++) {
      double c = Math.ceil(Math.pow(HessianFreeConfig.BACKTRACKING_GROWTH, j));
      if (c > i) {
        return (int) c;
      }
    }
  }

  private static boolean isZero(double[] x) {
    for (double v : x) {
      if (v != 0.0) {
        return false;
      }
    }
    return true;
  }

  /** The stored iterates, their iteration numbers and damped model values, in order. */
  private static final class Stored {
    private final int n;
    private final List<double[]> iterates = new ArrayList<>();
    private final List<Integer> at = new ArrayList<>();
    private final List<Double> model = new ArrayList<>();

    Stored(int n) {
      this.n = n;
    }

    void add(double[] x, double phi, int i) {
      iterates.add(x.clone());
      at.add(i);
      model.add(phi);
    }

    /** Adds the final iterate unless it is already the last one stored. */
    void addLast(double[] x, double phi, int i) {
      if (at.isEmpty() || at.get(at.size() - 1) != i) {
        add(x, phi, i);
      }
    }

    HessianFreeCgResult result(int iterations, int products, CgResult.Exit exit) {
      int m = iterates.size();
      ColumnMatrix columns = ColumnMatrix.zeros(n, m);
      for (int c = 0; c < m; c++) {
        columns.setColumn(c, iterates.get(c));
      }
      int[] storedAt = at.stream().mapToInt(Integer::intValue).toArray();
      double[] values = model.stream().mapToDouble(Double::doubleValue).toArray();
      return new HessianFreeCgResult(columns, storedAt, values, iterations, products, exit);
    }
  }
}
