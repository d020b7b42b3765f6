package dev.sparknewton.ml.inference;

import dev.sparknewton.linalg.Cholesky;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.MatrixProducts;
import dev.sparknewton.objective.CurvatureOperator;
import dev.sparknewton.randomized.LowRankEigen;
import dev.sparknewton.randomized.RandomizedEigenConfig;
import dev.sparknewton.randomized.RandomizedEigensolver;
import java.util.Arrays;
import java.util.Optional;

/**
 * An estimate of {@code diag(H^-1)} for a symmetric positive definite {@code P x P} matrix
 * {@code H} seen only through block products (one pass each) and its exact diagonal
 * {@code h = diag(H)}, in {@code O(P k^2)} flops and {@code O(P k)} memory beyond the products:
 *
 * <ol>
 *   <li><b>Jacobi scaling.</b> {@code A = S H S} with {@code S = diag(h)^{-1/2}} has unit
 *       diagonal, and {@code (H^-1)_jj = (A^-1)_jj / h_jj}; {@code (A^-1)_jj} is the variance
 *       inflation factor {@code 1 / (1 - R_j^2)} of parameter {@code j}. The sketch is spent on
 *       the correlations that make {@code (A^-1)_jj} differ from 1, not on the scales of the
 *       features (an unscaled sketch of features whose scales decay captures the largest-scale
 *       ones and nothing of their correlations).
 *   <li><b>Nystrom sketch</b> {@code A ~ U L U^T} ({@link RandomizedEigensolver}, {@code k}
 *       eigenpairs, one pass plus one per power iteration); eigenvalues at or below
 *       {@code EIGENVALUE_FLOOR * l_1} are dropped (their directions fall to {@code D}).
 *   <li><b>Diagonal correction.</b> The residual {@code E = A - U L U^T} (positive semidefinite
 *       for a Nystrom approximation) is replaced by its diagonal
 *       {@code D = max(1 - diag(U L U^T), RESIDUAL_FLOOR)} (entrywise).
 *   <li><b>Inversion</b>, by one of two forms:
 *       <ul>
 *         <li>{@link Form#WOODBURY}: {@code diag((D + U L U^T)^-1)} by the Sherman-Morrison-
 *             Woodbury identity with {@code B = U L^{1/2}}, {@code G = D^-1 B},
 *             {@code C = I + B^T G}: {@code diag = 1 / D - rowsum(G C^-1 .* G)};
 *         <li>{@link Form#DEFLATED}: {@code diag(U L^-1 U^T + (I - U U^T) D^-1 (I - U U^T))}, the
 *             exact inverse on the sketched subspace when it is invariant and {@code D^-1} on its
 *             complement: with {@code u_j} row {@code j} of {@code U} and
 *             {@code T = U^T D^-1 U},
 *             {@code diag_j = u_j^T L^-1 u_j + (1 - 2 |u_j|^2) / D_j + u_j^T T u_j}.
 *       </ul>
 * </ol>
 *
 * With a full-rank sketch ({@code k = P} eigenpairs kept) both are {@code U L^-1 U^T}, exact up
 * to rounding (the deflated form has {@code I - U U^T = 0}; Woodbury takes its limit
 * {@code D -> 0}, since {@code E = 0}). The accuracy of both at partial rank is measured in
 * docs/inference.md: on the generated problems they are within about 10% of each other's error
 * (on a9a each wins on one of median and maximum), and both work only while the residual is close
 * to diagonal, i.e. for {@code k} well below {@code P}.
 *
 * <p>References: Halko, Martinsson, Tropp 2011 and Frangella, Tropp, Udell 2021 (the sketch);
 * Golub and Van Loan, "Matrix Computations", 4th ed., 2.1.4 (the Woodbury identity).
 */
final class LowRankInverseDiagonal {
  /** How the low-rank-plus-diagonal approximation is inverted. */
  enum Form {
    WOODBURY,
    DEFLATED
  }

  /**
   * Lower bound of {@code D_j} (the scaled diagonal is 1): {@code sqrt(eps)}, half the digits,
   * balancing the cancellation in {@code 1 / D_j - ...} (relative error {@code eps / floor})
   * against the bias a larger floor adds.
   */
  static final double RESIDUAL_FLOOR = Math.sqrt(Math.ulp(1.0));
  /** Eigenvalues of the sketch kept: above this fraction of the largest (rounding level). */
  static final double EIGENVALUE_FLOOR = 1e-14;

  /**
   * @param inverseDiagonal the estimate of {@code diag(H^-1)}
   * @param rank eigenpairs of the sketch used
   * @param passes block products of {@code H}
   * @param sketchError the eigensolver's probabilistic bound of {@code ||A - U L U^T||} for the
   *     Jacobi-scaled {@code A} (unit diagonal, so on the scale of 1)
   */
  record Estimate(double[] inverseDiagonal, int rank, int passes, double sketchError,
      ProbeReport probes) {}

  /**
   * The Hutchinson correction's settings: {@code count} Rademacher probes (0: none), solved by
   * block PCG to a relative residual {@code tolerance} in at most {@code maxIterations} passes.
   */
  record Probes(int count, long seed, double tolerance, int maxIterations) {
    static final Probes NONE = new Probes(0, 0L, 1e-6, 0);

    Probes {
      if (count < 0 || maxIterations < 0 || !(tolerance > 0.0)) {
        throw new IllegalArgumentException("probes must be >= 0, the CG tolerance > 0 and its "
            + "iterations >= 0, got " + count + ", " + tolerance + " and " + maxIterations);
      }
    }
  }

  /**
   * What the probes did: their number, the block-CG passes, the largest relative residual of
   * the probe solves at the end, and {@code correction}, the root mean square of the relative
   * correction {@code (d_j - diag(M)_j) / d_j} (how far the sketch alone was from the result).
   */
  record ProbeReport(int count, int passes, double maxResidual, double correction) {
    static final ProbeReport NONE = new ProbeReport(0, 0, 0.0, 0.0);
  }

  private LowRankInverseDiagonal() {}

  /**
   * @param h {@code H}, positive definite. Not modified.
   * @param diagonal {@code diag(H)}, length {@code P}. Not modified.
   * @param sketch the Nystrom eigensolver's settings ({@code rank <= P})
   * @return the estimate, or empty when some {@code h_jj <= 0} or is not finite ({@code H} is
   *     not positive definite) or the sketch fails numerically
   */
  static Optional<Estimate> estimate(CurvatureOperator h, double[] diagonal,
      RandomizedEigenConfig sketch, Form form) {
    return estimate(h, diagonal, sketch, form, Probes.NONE);
  }

  /**
   * As {@link #estimate(CurvatureOperator, double[], RandomizedEigenConfig, Form)}, then, with
   * {@code probes.count() > 0}, corrected by the sketch used as a control variate: with
   * {@code M = (D + U L U^T)^-1} (Woodbury, whatever {@code form} says) and Rademacher probes
   * {@code Z} ({@code P x s}),
   * <pre>
   *   diag(A^-1) = diag(M) + diag(A^-1 - M)
   *             ~ diag(M) + (1/s) rowsum(Z .* (A^-1 Z - M Z)),
   * </pre>
   * unbiased (Hutchinson's estimator applied to {@code A^-1 - M}, Bekas, Kokiopoulou and Saad
   * 2007), with entry {@code j}'s variance {@code (1/s) sum_{i != j} (A^-1 - M)_ij^2}: the
   * better the sketch, the smaller the noise. {@code A^-1 Z} by PCG preconditioned with
   * {@code M} on all probes at once, one block product (one pass) per iteration. Each entry is
   * kept at or above 1, the lower bound of {@code (A^-1)_jj} for a unit-diagonal positive
   * definite {@code A} (Cauchy-Schwarz: {@code 1 = (e^T e)^2 <= (e^T A e)(e^T A^-1 e)}).
   */
  static Optional<Estimate> estimate(CurvatureOperator h, double[] diagonal,
      RandomizedEigenConfig sketch, Form form, Probes probes) {
    int p = diagonal.length;
    if (h.dimension() != p) {
      throw new IllegalArgumentException("operator of dimension " + h.dimension()
          + " for a diagonal of length " + p);
    }
    if (sketch.method() != RandomizedEigenConfig.Method.NYSTROM) {
      throw new IllegalArgumentException("the inverse diagonal needs a Nystrom sketch, got "
          + sketch.method());
    }
    double[] scale = new double[p];
    for (int j = 0; j < p; j++) {
      if (!(diagonal[j] > 0.0) || Double.isInfinite(diagonal[j])) {
        return Optional.empty();
      }
      scale[j] = 1.0 / Math.sqrt(diagonal[j]);
    }
    Optional<LowRankEigen> eig =
        new RandomizedEigensolver(sketch).decompose(new JacobiScaled(h, scale));
    if (eig.isEmpty()) {
      return Optional.empty();
    }
    double[] all = eig.get().values();
    int m = 0;
    while (m < all.length && all[m] > EIGENVALUE_FLOOR * all[0]) {
      m++;
    }
    ColumnMatrix u = new ColumnMatrix(p, m, Arrays.copyOf(eig.get().vectors().data(), p * m));
    double[] l = Arrays.copyOf(all, m);
    double[] d = residualDiagonal(u, l);
    double[] scaled = form == Form.WOODBURY ? woodbury(u, l, d) : deflated(u, l, d);
    ProbeReport report = ProbeReport.NONE;
    if (probes.count() > 0) {
      Optional<ProbeReport> r = correct(new JacobiScaled(h, scale),
          new WoodburyInverse(u, l, d), scaled, probes);
      if (r.isEmpty()) {
        return Optional.empty();
      }
      report = r.get();
    }
    for (int j = 0; j < p; j++) {
      scaled[j] *= scale[j] * scale[j];
    }
    return Optional.of(new Estimate(scaled, m, eig.get().passes() + report.passes(),
        eig.get().estimatedError(), report));
  }

  /**
   * Adds the probes' estimate of {@code diag(A^-1 - M)} to {@code estimate} (which holds
   * {@code diag(M)}), in place, floored at 1.
   *
   * @return the report, or empty when a product is not finite or PCG breaks down ({@code A} not
   *     positive definite)
   */
  private static Optional<ProbeReport> correct(CurvatureOperator a, WoodburyInverse m,
      double[] estimate, Probes probes) {
    int p = estimate.length;
    int s = probes.count();
    java.util.SplittableRandom random = new java.util.SplittableRandom(probes.seed());
    ColumnMatrix z = ColumnMatrix.zeros(p, s);
    double[] zd = z.data();
    for (int i = 0; i < zd.length; i++) {
      zd[i] = random.nextBoolean() ? 1.0 : -1.0;
    }
    BlockPcg.Result solved = BlockPcg.solve(a, m::apply, z, probes.tolerance(),
        probes.maxIterations());
    if (solved.failed()) {
      return Optional.empty();
    }
    double[] x = solved.solution().data();
    double[] mz = m.apply(z).data();
    double squares = 0.0;
    for (int j = 0; j < p; j++) {
      double sum = 0.0;
      for (int c = 0, at = j; c < s; c++, at += p) {
        sum += zd[at] * (x[at] - mz[at]);
      }
      double corrected = Math.max(estimate[j] + sum / s, 1.0);
      double relative = (corrected - estimate[j]) / corrected;
      squares += relative * relative;
      estimate[j] = corrected;
    }
    return Optional.of(new ProbeReport(s, solved.iterations(), solved.maxResidual(),
        Math.sqrt(squares / p)));
  }

  /**
   * {@code M = (D + B B^T)^-1} with {@code B = U L^{1/2}}, applied by the Woodbury identity:
   * {@code M X = D^-1 X - G C^-1 G^T X}, {@code G = D^-1 B}, {@code C = I + B^T G};
   * {@code O(P k)} per column.
   */
  private static final class WoodburyInverse {
    private final double[] d;
    private final ColumnMatrix g;
    private final ColumnMatrix cInverse;

    WoodburyInverse(ColumnMatrix u, double[] l, double[] d) {
      int p = d.length;
      int m = l.length;
      this.d = d;
      ColumnMatrix b = u.copy();
      g = u.copy();
      for (int i = 0; i < m; i++) {
        double s = Math.sqrt(l[i]);
        for (int j = 0, at = i * p; j < p; j++, at++) {
          b.data()[at] *= s;
          g.data()[at] = b.data()[at] / d[j];
        }
      }
      ColumnMatrix c = MatrixProducts.symmetricPart(MatrixProducts.transposeTimes(b, g));
      c.addToDiagonal(1.0);
      cInverse = inverse(c);
    }

    /** {@code diag(M) = 1 / D - rowsum(G C^-1 .* G)}. */
    double[] diagonal() {
      int p = d.length;
      ColumnMatrix f = MatrixProducts.times(g, cInverse);
      double[] out = new double[p];
      for (int j = 0; j < p; j++) {
        out[j] = 1.0 / d[j];
      }
      for (int i = 0; i < g.cols(); i++) {
        for (int j = 0, at = i * p; j < p; j++, at++) {
          out[j] -= f.data()[at] * g.data()[at];
        }
      }
      return out;
    }

    ColumnMatrix apply(ColumnMatrix x) {
      int p = d.length;
      ColumnMatrix out = x.copy();
      double[] o = out.data();
      for (int c = 0; c < x.cols(); c++) {
        for (int j = 0, at = c * p; j < p; j++, at++) {
          o[at] /= d[j];
        }
      }
      if (g.cols() == 0) {
        return out;
      }
      ColumnMatrix low = MatrixProducts.times(g,
          MatrixProducts.times(cInverse, MatrixProducts.transposeTimes(g, x)));
      double[] w = low.data();
      for (int i = 0; i < o.length; i++) {
        o[i] -= w[i];
      }
      return out;
    }
  }

  /** {@code A = S H S} for a diagonal {@code S}, through the products of {@code H}. */
  private static final class JacobiScaled implements CurvatureOperator {
    private final CurvatureOperator h;
    private final double[] s;

    JacobiScaled(CurvatureOperator h, double[] s) {
      this.h = h;
      this.s = s;
    }

    @Override
    public int dimension() {
      return s.length;
    }

    @Override
    public boolean productsArePasses() {
      return h.productsArePasses();
    }

    @Override
    public double[] hessianVectorProduct(double[] v) {
      return hessianBlockProduct(ColumnMatrix.ofColumns(v)).data();
    }

    @Override
    public ColumnMatrix hessianBlockProduct(ColumnMatrix v) {
      ColumnMatrix out = h.hessianBlockProduct(scaleRows(v.copy()));
      return scaleRows(out);
    }

    @Override
    public ColumnMatrix denseHessian() {
      return scaleRows(MatrixProducts.transpose(scaleRows(h.denseHessian())));
    }

    /** Multiplies row {@code j} of {@code a} by {@code s_j}; returns {@code a}, modified. */
    private ColumnMatrix scaleRows(ColumnMatrix a) {
      int p = s.length;
      double[] x = a.data();
      for (int c = 0; c < a.cols(); c++) {
        for (int j = 0, at = c * p; j < p; j++, at++) {
          x[at] *= s[j];
        }
      }
      return a;
    }
  }

  /** {@code max(1 - diag(U L U^T), RESIDUAL_FLOOR)}. */
  private static double[] residualDiagonal(ColumnMatrix u, double[] l) {
    int p = u.rows();
    double[] d = new double[p];
    Arrays.fill(d, 1.0);
    double[] a = u.data();
    for (int i = 0; i < l.length; i++) {
      for (int j = 0, at = i * p; j < p; j++, at++) {
        d[j] -= l[i] * a[at] * a[at];
      }
    }
    for (int j = 0; j < p; j++) {
      d[j] = Math.max(d[j], RESIDUAL_FLOOR);
    }
    return d;
  }


  private static double[] woodbury(ColumnMatrix u, double[] l, double[] d) {
    if (l.length == d.length) {
      // A full-rank sketch leaves E = 0 (D is only the floor): the limit D -> 0 of the Woodbury
      // form is U L^-1 U^T, which is what the deflated form computes.
      return deflated(u, l, d);
    }
    return new WoodburyInverse(u, l, d).diagonal();
  }

  private static double[] deflated(ColumnMatrix u, double[] l, double[] d) {
    int p = d.length;
    int m = l.length;
    ColumnMatrix scaled = u.copy();
    for (int i = 0; i < m; i++) {
      for (int j = 0, at = i * p; j < p; j++, at++) {
        scaled.data()[at] /= d[j];
      }
    }
    ColumnMatrix s = MatrixProducts.symmetricPart(MatrixProducts.transposeTimes(u, scaled));
    ColumnMatrix t = MatrixProducts.times(u, s);
    double[] norms = new double[p];
    double[] out = new double[p];
    double[] a = u.data();
    for (int i = 0; i < m; i++) {
      for (int j = 0, at = i * p; j < p; j++, at++) {
        norms[j] += a[at] * a[at];
        out[j] += a[at] * a[at] / l[i] + a[at] * t.data()[at];
      }
    }
    for (int j = 0; j < p; j++) {
      out[j] += (1.0 - 2.0 * norms[j]) / d[j];
    }
    return out;
  }

  /** {@code C^-1} of a symmetric positive definite {@code C = I + B^T D^-1 B} (eigenvalues >= 1). */
  private static ColumnMatrix inverse(ColumnMatrix c) {
    int m = c.rows();
    Cholesky chol = Cholesky.factor(c).orElseThrow(() -> new IllegalStateException(
        "I + B^T D^-1 B is positive definite by construction, yet its Cholesky failed"));
    ColumnMatrix inv = ColumnMatrix.zeros(m, m);
    for (int i = 0; i < m; i++) {
      double[] e = new double[m];
      e[i] = 1.0;
      inv.setColumn(i, chol.solve(e));
    }
    return inv;
  }
}
