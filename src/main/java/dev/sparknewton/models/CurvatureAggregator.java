package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;

/**
 * The curvature of a {@link Model} at a point {@code theta}, on a row sample: the Gauss-Newton
 * matrix {@code G = sum_i c_i J_i^T H_l(z_i) J_i} or the exact Hessian ({@link Curvature}):
 * either the block product {@code C V} for a {@code P x r} block {@code V} (a Hessian-vector
 * product is {@code r = 1}), in one pass for all {@code r} columns, or the dense matrix
 * {@code G} (lower triangle). For the linear models of this package {@code G} is the exact
 * Hessian of the loss term. Sums are unnormalized; divide by
 * {@link #weightSum()}, the weight of the sampled rows.
 *
 * <p>Each row's curvature {@code H_l(z_i)} comes from its state at {@code theta}: handed over by
 * the gradient pass when fused into it ({@link #addAtPoint}), kept from that pass
 * ({@link PointStates}), or recomputed.
 */
public final class CurvatureAggregator implements BlockAggregator<CurvatureAggregator> {
  private static final long serialVersionUID = 1L;

  private final Shared<double[]> parameters;
  private final Shared<ColumnMatrix> directions; // null for the dense matrix
  private final Model model;
  private final RowSample sample;
  private final PointStates states;
  private final Curvature kind;

  private long count;
  private double weightSum;
  private ColumnMatrix result;
  private transient double[] outputs;
  private transient double[] gradient;

  private CurvatureAggregator(Shared<double[]> parameters, Shared<ColumnMatrix> directions,
      Model model, RowSample sample, PointStates states, Curvature kind) {
    this.kind = kind;
    this.parameters = parameters;
    this.directions = directions;
    this.model = model;
    this.sample = sample;
    this.states = states;
  }

  /** Accumulates {@code C V} for the {@code kind} curvature {@code C}. */
  public static CurvatureAggregator blockProduct(Shared<double[]> parameters,
      Shared<ColumnMatrix> directions, Model model, RowSample sample, PointStates states,
      Curvature kind) {
    return new CurvatureAggregator(parameters, directions, model, sample, states, kind);
  }

  /**
   * Accumulates the lower triangle of {@code G}, the Gauss-Newton matrix (which is the Hessian
   * when {@link Model#linearInParameters()}).
   */
  public static CurvatureAggregator denseMatrix(
      Shared<double[]> parameters, Model model, RowSample sample, PointStates states) {
    return new CurvatureAggregator(
        parameters, null, model, sample, states, Curvature.GAUSS_NEWTON);
  }

  public RowSample sample() {
    return sample;
  }

  @Override
  public CurvatureAggregator add(RowBlock block) {
    int n = block.numRows();
    if (n == 0) {
      return this;
    }
    int nk = n * model.numOutputs();
    if (outputs == null || outputs.length < nk) {
      outputs = new double[nk];
      gradient = new double[nk];
    }
    return addAtPoint(block, states.of(model, block, parameters.get(), outputs, gradient));
  }

  /**
   * Folds in the sampled rows of {@code block}, whose every row's curvature state at the point is
   * {@code state}.
   *
   * @param state {@code n x stateWidth}, row-major. Not modified.
   */
  public CurvatureAggregator addAtPoint(RowBlock block, double[] state) {
    RowBlock rows = block;
    double[] rowState = state;
    if (!sample.isAll()) {
      int[] selected = sample.selectedRows(block);
      if (selected.length == 0) {
        return this;
      }
      rows = block.select(selected);
      int width = model.loss().stateWidth();
      rowState = new double[selected.length * width];
      for (int s = 0; s < selected.length; s++) {
        System.arraycopy(state, selected[s] * width, rowState, s * width, width);
      }
    }
    int n = rows.numRows();
    if (n == 0) {
      return this;
    }
    double[] theta = parameters.get();
    int dim = theta.length;
    ColumnMatrix v = directions == null ? null : directions.get();
    if (result == null) {
      result = v == null ? ColumnMatrix.zeros(dim, dim) : ColumnMatrix.zeros(dim, v.cols());
    }
    if (v == null) {
      model.addGaussNewtonLower(rows, theta, rowState, result);
    } else {
      model.addCurvatureTimes(kind, rows, theta, rowState, v, result);
    }
    weightSum += rows.weightSum();
    count += n;
    return this;
  }

  @Override
  public CurvatureAggregator emptyCopy() {
    return new CurvatureAggregator(parameters, directions, model, sample, states, kind);
  }

  @Override
  public CurvatureAggregator merge(CurvatureAggregator other) {
    if (other.result != null) {
      if (result == null) {
        result = other.result.copy();
      } else {
        double[] a = result.data();
        double[] b = other.result.data();
        for (int k = 0; k < a.length; k++) {
          a[k] += b[k];
        }
      }
    }
    count += other.count;
    weightSum += other.weightSum;
    return this;
  }

  /** Number of sampled rows seen. */
  public long count() {
    return count;
  }

  /** Weight of the sampled rows. */
  public double weightSum() {
    return weightSum;
  }

  /**
   * The accumulated {@code G V} ({@code dimension x r}), or the full symmetric {@code G}
   * ({@code dimension x dimension}, upper triangle filled in from the lower). Zeros when no
   * sampled row was seen.
   */
  public ColumnMatrix sum(int dimension, int r) {
    if (directions == null) {
      ColumnMatrix h = result == null ? ColumnMatrix.zeros(dimension, dimension) : result;
      for (int j = 0; j < dimension; j++) {
        for (int i = j + 1; i < dimension; i++) {
          h.set(j, i, h.get(i, j));
        }
      }
      return h;
    }
    return result == null ? ColumnMatrix.zeros(dimension, r) : result;
  }
}
