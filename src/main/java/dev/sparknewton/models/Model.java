package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.linalg.ColumnMatrix;
import java.io.Serializable;

/**
 * A model {@code z = f_theta(x)} from a row {@code x} to {@code K} outputs, with the loss
 * {@code l(z; y)} it is trained with: the whole model-specific math, per block of rows, that the
 * aggregators of this package fold over the data. With the Jacobian {@code J = dz/dtheta} of the
 * block's rows, everything a solver needs is one of
 *
 * <ul>
 *   <li>the gradient {@code J^T dl/dz};
 *   <li>the Gauss-Newton product {@code J^T H_l J V} for a block of {@code r} vectors;
 *   <li>its diagonal, and the dense Gauss-Newton matrix for small parameter counts;
 *   <li>the outputs along a line, {@code z(theta + a p)}.
 * </ul>
 *
 * <p>The parameter vector {@code theta} has {@link #dimension()} entries in the layout the model
 * documents and owns; {@link #penalized()} says which of them the L2 penalty applies to.
 *
 * <p>Block outputs and Jacobian products are column-major {@code n x (K r)} arrays: output
 * {@code k} of row {@code i} for direction {@code c} is at {@code [(c K + k) n + i]}.
 */
public interface Model extends Serializable {
  /** The number of parameters {@code P}. */
  int dimension();

  /** {@code K}. */
  int numOutputs();

  OutputLoss loss();

  /** {@code true} at each coordinate of {@code theta} that the L2 penalty applies to. A new array. */
  boolean[] penalized();

  /**
   * {@code out = f_theta(X)} for the {@code n} rows of {@code block}, {@code n x K}.
   *
   * @param theta Not modified.
   * @param out length at least {@code n K}. Modified.
   */
  void outputs(RowBlock block, double[] theta, double[] out);

  /**
   * {@code out = J V}, {@code n x (K r)}, for the {@code P x r} block {@code v}.
   *
   * @param v Not modified.
   * @param out length at least {@code n K r}. Modified.
   */
  void jacobianTimes(RowBlock block, double[] theta, ColumnMatrix v, double[] out);

  /**
   * {@code out += J^T S} for an {@code n x (K r)} array {@code s}.
   *
   * @param s Not modified.
   * @param out {@code P x r}. Modified.
   */
  void addJacobianTransposeTimes(RowBlock block, double[] theta, double[] s, ColumnMatrix out);

  /**
   * {@code out += diag(J^T D J)} for per-row diagonal output weights {@code D_i = diag(s_i)},
   * {@code s} an {@code n x K} array: the Gauss-Newton diagonal when
   * {@code s_ik = c_i (H_l)_kk}.
   *
   * @param s Not modified.
   * @param out length {@code P}. Modified.
   */
  void addGaussNewtonDiagonal(RowBlock block, double[] theta, double[] s, double[] out);

  /**
   * {@code out += J^T H J} on the lower triangle, with {@code H_i = c_i H_l} of each row from its
   * curvature state ({@link OutputLoss#evaluate}).
   *
   * @param state {@code n} rows of {@link OutputLoss#stateWidth()} doubles. Not modified.
   * @param out {@code P x P}; the strict upper triangle is not touched. Modified.
   */
  void addGaussNewtonLower(RowBlock block, double[] theta, double[] state, ColumnMatrix out);
}
