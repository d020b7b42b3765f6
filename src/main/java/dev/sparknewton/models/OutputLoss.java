package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;
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
   * {@link #evaluate} for every row of {@code block}, weighted: returns {@code sum_i c_i l(z_i)},
   * writes {@code c_i dl/dz_i} into {@code gradient} ({@code n x K} column-major, as {@code z})
   * and row {@code i}'s curvature state at {@code state[i * stateWidth()]}.
   *
   * @param gradient length at least {@code n K}. Modified.
   * @param state length at least {@code n stateWidth()}. Modified.
   */
  default double evaluateBlock(RowBlock block, double[] z, double[] gradient, double[] state) {
    return evaluateRows(block, 0, block.numRows(), z, gradient, state);
  }

  /**
   * {@link #evaluateBlock} for the rows {@code from <= i < to} of {@code block} alone: returns
   * their {@code sum_i c_i l(z_i)} and writes their entries of {@code gradient} and
   * {@code state}, indexed as in the whole block ({@code n} its rows). Each row's entries are the
   * same bits whatever range it is evaluated in; only the loss sum depends on the ranges.
   *
   * @param gradient length at least {@code n K}. Modified.
   * @param state length at least {@code n stateWidth()}. Modified.
   */
  default double evaluateRows(
      RowBlock block, int from, int to, double[] z, double[] gradient, double[] state) {
    int n = block.numRows();
    int nk = n * numOutputs();
    int width = stateWidth();
    double loss = 0.0;
    for (int i = from; i < to; i++) {
      double c = block.weight(i);
      loss += c * evaluate(z, i, n, block.label(i), gradient, state, i * width);
      for (int j = i; j < nk; j += n) {
        gradient[j] = c * gradient[j];
      }
    }
    return loss;
  }

  /**
   * The loss along a line for every step: {@code lossSums[s] += sum_i c_i l(z_i + a_s u_i; y_i)}
   * over the rows of {@code block} with weight {@code c_i > 0} (a row of weight 0 adds nothing,
   * even where its loss is not finite), for the {@code n x K} column-major outputs {@code z} and
   * slopes {@code u} of those rows.
   *
   * @param steps the {@code a_s}. Not modified.
   * @param lossSums one sum per step. Modified.
   * @return {@code sum_i c_i} over the block's rows
   */
  default double addLineLosses(
      RowBlock block, double[] z, double[] u, double[] steps, double[] lossSums) {
    int n = block.numRows();
    int k = numOutputs();
    double[] row = new double[k];
    double weights = 0.0;
    for (int i = 0; i < n; i++) {
      double c = block.weight(i);
      if (c == 0.0) {
        continue;
      }
      double y = block.label(i);
      weights += c;
      for (int s = 0; s < steps.length; s++) {
        for (int o = 0; o < k; o++) {
          row[o] = z[o * n + i] + steps[s] * u[o * n + i];
        }
        lossSums[s] += c * loss(row, 0, 1, y);
      }
    }
    return weights;
  }

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
