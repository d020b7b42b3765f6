package dev.sparknewton.models;

import java.io.Serializable;

/**
 * The loss {@code l(z; y)} of one row as a function of the model's {@code K} outputs {@code z}:
 * its value, its gradient {@code dl/dz} and its {@code K x K} curvature {@code H_l = d^2 l / dz^2},
 * applied through its structure and never formed (logistic {@code p (1 - p)}; softmax
 * {@code diag(p) - p p^T}; squared error {@code I}).
 *
 * <p>The outputs of a block of {@code n} rows are stored column-major, {@code n x K}: output
 * {@code k} of row {@code i} is {@code z[k * n + i]}. Every method reads one row's outputs as
 * {@code z[offset + k * stride]} so that it works in place on such a block, with
 * {@code offset = i}, {@code stride = n}.
 *
 * <p>{@link #evaluate} computes everything a pass needs from one evaluation of the row's
 * transcendental functions (one {@code exp} per output), and leaves the curvature at {@code z} in
 * a small per-row <em>state</em> of {@link #stateWidth()} doubles (logistic: {@code p (1 - p)};
 * softmax: {@code p}; squared error: nothing), from which every later curvature product of the
 * same point is computed without another {@code exp}.
 */
public interface OutputLoss extends Serializable {
  /** {@code K}. */
  int numOutputs();

  /** Doubles of per-row curvature state written by {@link #evaluate}. */
  int stateWidth();

  /**
   * A lower bound of {@code l(z; y)} over all {@code z} and labels ({@code -infinity} when none
   * is known). Newton-CG stops CG where its model promises to go below it, so it must be a true
   * bound.
   */
  double lowerBound();

  /** {@code l(z; y)}. {@code z} not modified. */
  double loss(double[] z, int offset, int stride, double label);

  /**
   * {@code l(z; y)}, with {@code dl/dz_k} written to {@code gradient[offset + k * stride]} and the
   * row's curvature state to {@code state[stateOffset ..< stateOffset + stateWidth()]}.
   *
   * @param gradient Modified.
   * @param state Modified; may be null when {@link #stateWidth()} is 0.
   */
  double evaluate(double[] z, int offset, int stride, double label, double[] gradient,
      double[] state, int stateOffset);

  /**
   * {@code out_k = c (H_l u)_k} for the row whose state is at {@code stateOffset}, with {@code u}
   * and {@code out} read and written as {@code [offset + k * stride]}; {@code u} and {@code out}
   * may be the same array.
   *
   * @param weight the row's instance weight {@code c}
   */
  void applyCurvature(double[] state, int stateOffset, double weight, double[] u, int offset,
      int stride, double[] out);

  /** {@code (H_l)_{kl}} of the row whose state is at {@code stateOffset}. */
  double curvature(double[] state, int stateOffset, int k, int l);

  /**
   * Column {@code m} of {@code sqrt(c) L}, for a factor {@code L} ({@code K x K}) with
   * {@code H_l = L L^T}, written as {@code out[offset + k * stride]}: the Gauss-Newton diagonal of
   * a model whose outputs share parameters is {@code sum_m (J^T sqrt(c) L e_m)^2}.
   *
   * @param m in {@code 0 ..< K}
   * @param weight the row's instance weight {@code c >= 0}
   */
  void curvatureFactor(double[] state, int stateOffset, double weight, int m, double[] out,
      int offset, int stride);
}
