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

  /**
   * Where training starts when no start point is given: zeros for a convex model; a seeded random
   * point where zeros are a saddle (a network's hidden units would stay identical). A new array.
   */
  default double[] initialPoint(long seed) {
    return new double[dimension()];
  }

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
   * {@link #outputs} at {@code theta} into {@code outputs} and {@link #jacobianTimes} of the one
   * direction {@code p} into {@code slopes}: what the loss along the line {@code theta + a p}
   * needs when {@link #linearInParameters()}.
   *
   * @param outputs length at least {@code n K}. Modified.
   * @param slopes length at least {@code n K}. Modified.
   */
  default void outputsAndSlopes(
      RowBlock block, double[] theta, double[] p, double[] outputs, double[] slopes) {
    outputs(block, theta, outputs);
    jacobianTimes(block, theta, new ColumnMatrix(p.length, 1, p), slopes);
  }

  /**
   * {@link #outputsAndSlopes} at one point and direction, block after block, for one task: a
   * model may lay {@code theta} and {@code p} out for its kernels once a task.
   */
  interface LinePass {
    /** As {@link Model#outputsAndSlopes} at this pass's point and direction. */
    void outputsAndSlopes(RowBlock block, double[] outputs, double[] slopes);
  }

  /**
   * The {@link LinePass} of a task at {@code theta} along {@code p}. This default calls
   * {@link #outputsAndSlopes} block by block.
   *
   * @param theta kept, not copied; not to be modified while the pass is used
   * @param p kept, not copied; not to be modified while the pass is used
   */
  default LinePass linePass(double[] theta, double[] p) {
    return (block, outputs, slopes) -> outputsAndSlopes(block, theta, p, outputs, slopes);
  }

  /**
   * {@code out += J^T S} for an {@code n x (K r)} array {@code s}.
   *
   * @param s Not modified.
   * @param out {@code P x r}. Modified.
   */
  void addJacobianTransposeTimes(RowBlock block, double[] theta, double[] s, ColumnMatrix out);

  /**
   * {@code out += diag(sum_i J_i^T H_i J_i)} with {@code H_i = c_i H_l} of each row from its
   * curvature state: the Gauss-Newton diagonal.
   *
   * @param state {@code n} rows of {@link OutputLoss#stateWidth()} doubles. Not modified.
   * @param out length {@code P}. Modified.
   */
  void addGaussNewtonDiagonal(RowBlock block, double[] theta, double[] state, double[] out);

  /**
   * {@code out += sum_i (J_i^T u_i)^2}, squared entrywise, for an {@code n x K} array {@code u}:
   * with {@code u_i = sqrt(c_i) dl/dz_i} the empirical Fisher diagonal
   * {@code sum_i c_i g_i^2} of the per-row gradients {@code g_i}.
   *
   * @param u Not modified.
   * @param out length {@code P}. Modified.
   */
  void addSquaredRowGradients(RowBlock block, double[] theta, double[] u, double[] out);

  /**
   * The outputs of one block at a point, from which the gradient pass's products follow: a
   * network runs its forward pass once for all of them (not once per product).
   */
  interface BlockPass {
    /** {@code z = f_theta(X)}, {@code n x K}. Not to be modified. */
    double[] outputs();

    /** As {@link Model#addJacobianTransposeTimes}, at this pass's block and point. */
    void addJacobianTransposeTimes(double[] s, ColumnMatrix out);

    /** As {@link Model#addGaussNewtonDiagonal}, at this pass's block and point. */
    void addGaussNewtonDiagonal(double[] state, double[] out);

    /** As {@link Model#addSquaredRowGradients}, at this pass's block and point. */
    void addSquaredRowGradients(double[] u, double[] out);

    /**
     * The gradient pass's own work on the block: returns {@code sum_i c_i l(z_i; y_i)}, writes
     * {@code c_i dl/dz_i} into {@code derivatives} and each row's curvature state into
     * {@code state} ({@link OutputLoss#evaluateBlock} on {@link #outputs()}), and adds the
     * transposed product of the derivatives to {@code gradient} ({@link
     * #addJacobianTransposeTimes}). A model may do all of it in one sweep over the block.
     *
     * @param derivatives {@code n x K}. Modified.
     * @param state {@code n} rows of {@link OutputLoss#stateWidth()} doubles. Modified.
     * @param gradient {@code P x 1}. Modified.
     */
    double addLossGradient(double[] derivatives, double[] state, ColumnMatrix gradient);
  }

  /**
   * The forward pass of {@code block} at {@code theta}. This default computes the outputs and
   * calls the model's own methods for the products, for models whose products need no forward
   * state (the linear ones).
   *
   * @param theta kept, not copied; not to be modified while the pass is used
   */
  default BlockPass forward(RowBlock block, double[] theta) {
    Model model = this;
    double[] z = new double[block.numRows() * numOutputs()];
    outputs(block, theta, z);
    return new BlockPass() {
      @Override
      public double[] outputs() {
        return z;
      }

      @Override
      public void addJacobianTransposeTimes(double[] s, ColumnMatrix out) {
        model.addJacobianTransposeTimes(block, theta, s, out);
      }

      @Override
      public void addGaussNewtonDiagonal(double[] state, double[] out) {
        model.addGaussNewtonDiagonal(block, theta, state, out);
      }

      @Override
      public void addSquaredRowGradients(double[] u, double[] out) {
        model.addSquaredRowGradients(block, theta, u, out);
      }

      @Override
      public double addLossGradient(double[] derivatives, double[] state, ColumnMatrix gradient) {
        double sum = loss().evaluateBlock(block, z, derivatives, state);
        addJacobianTransposeTimes(derivatives, gradient);
        return sum;
      }
    };
  }

  /**
   * Whether the outputs are linear in {@code theta} ({@code z(theta + a p) = z + a J p}): then
   * the {@link Curvature#HESSIAN} equals the {@link Curvature#GAUSS_NEWTON} matrix, and losses
   * along a line cost two products however many steps are tried.
   */
  default boolean linearInParameters() {
    return false;
  }

  /**
   * {@code out += C V} for the {@code P x r} block {@code v}, with {@code C} the
   * {@code kind} curvature of the rows of {@code block} (weighted by {@code c_i}): the Gauss-Newton
   * product {@code J^T H J V} from the rows' curvature state, and for {@link Curvature#HESSIAN}
   * also the second-derivative term of the outputs. This default is the Gauss-Newton product
   * through {@link #jacobianTimes} and {@link #addJacobianTransposeTimes}, the exact Hessian
   * only when {@link #linearInParameters()}; a model whose outputs are not linear overrides it.
   *
   * @param state {@code n} rows of {@link OutputLoss#stateWidth()} doubles. Not modified.
   * @param out {@code P x r}. Modified.
   */
  default void addCurvatureTimes(Curvature kind, RowBlock block, double[] theta, double[] state,
      ColumnMatrix v, ColumnMatrix out) {
    if (kind == Curvature.HESSIAN && !linearInParameters()) {
      throw new UnsupportedOperationException(this + " has no exact Hessian product");
    }
    OutputLoss loss = loss();
    int n = block.numRows();
    int k = numOutputs();
    int width = loss.stateWidth();
    double[] products = new double[n * k * v.cols()];
    jacobianTimes(block, theta, v, products);
    for (int c = 0; c < v.cols(); c++) {
      int offset = c * k * n;
      for (int i = 0; i < n; i++) {
        loss.applyCurvature(state, i * width, block.weight(i), products, offset + i, n, products);
      }
    }
    addJacobianTransposeTimes(block, theta, products, out);
  }

  /**
   * The curvature products {@code C V} of one task at one point, for one block {@code V}, folded
   * block after block: a model may lay {@code V} and the partial sum out for its kernels once a
   * task instead of once a block, and hold part of the sum until {@link #flushTo}.
   */
  interface CurvatureProducts {
    /**
     * {@code out += C V} over the rows of {@code block} (as {@link Model#addCurvatureTimes}), or
     * part of it held until {@link #flushTo}.
     *
     * @param state {@code n} rows of {@link OutputLoss#stateWidth()} doubles. Not modified.
     * @param out {@code P x r}. Modified.
     */
    void add(RowBlock block, double[] state, ColumnMatrix out);

    /** Adds what is held to {@code out} ({@code P x r}); nothing is held after. */
    void flushTo(ColumnMatrix out);
  }

  /**
   * The {@link CurvatureProducts} of a task at {@code theta} for {@code v}. This default holds
   * nothing: each block is {@link #addCurvatureTimes}.
   *
   * @param theta kept, not copied; not to be modified while the products are used
   * @param v kept, not copied; not to be modified while the products are used
   */
  default CurvatureProducts curvatureProducts(Curvature kind, double[] theta, ColumnMatrix v) {
    Model model = this;
    return new CurvatureProducts() {
      @Override
      public void add(RowBlock block, double[] state, ColumnMatrix out) {
        model.addCurvatureTimes(kind, block, theta, state, v, out);
      }

      @Override
      public void flushTo(ColumnMatrix out) {}
    };
  }

  /**
   * {@code out += J^T H J} on the lower triangle, with {@code H_i = c_i H_l} of each row from its
   * curvature state ({@link OutputLoss#evaluate}).
   *
   * @param state {@code n} rows of {@link OutputLoss#stateWidth()} doubles. Not modified.
   * @param out {@code P x P}; the strict upper triangle is not touched. Modified.
   */
  void addGaussNewtonLower(RowBlock block, double[] theta, double[] state, ColumnMatrix out);
}
