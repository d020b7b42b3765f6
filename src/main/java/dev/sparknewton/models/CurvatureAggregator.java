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
  /**
   * The compacted form of a block product's {@code result} ({@link #compacted}): the rows with a
   * nonzero entry, in increasing order, and their entries row by row ({@code r} each); null when
   * {@code result} is held densely (or nothing was summed).
   */
  private int[] keptRows;
  private double[] keptEntries;
  private int compactRows;
  private int compactCols;
  private transient double[] outputs;
  private transient double[] gradient;
  /** This task's block products, which may hold part of {@code result} until {@link #flush}. */
  private transient Model.CurvatureProducts products;

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
      if (products == null) {
        products = model.curvatureProducts(kind, theta, v);
      }
      products.add(rows, rowState, result);
    }
    weightSum += rows.weightSum();
    count += n;
    return this;
  }

  @Override
  public CurvatureAggregator emptyCopy() {
    return new CurvatureAggregator(parameters, directions, model, sample, states, kind);
  }

  /**
   * A block product's partial sum without its zero rows when at most
   * {@link #COMPACT_MAX_KEPT_FRACTION} of them are nonzero: a partition's {@code C V} is zero in
   * the rows of the features none of its rows store, half of news20's 62,061 with 4 partitions
   * and 86% with 64, so each partition sent the driver {@code 8 d r} bytes (56 MB at
   * {@code r = 113}) of which half or more were zeros. Only the rows whose entries are all exactly
   * zero are dropped, so merging the kept rows adds the same nonzero terms in the same order as
   * the dense sum did (up to the sign of a zero). The dense matrix ({@link #denseMatrix}) is kept
   * as it is.
   */
  @Override
  public CurvatureAggregator compacted() {
    flush();
    if (result == null || directions == null) {
      return this;
    }
    int rows = result.rows();
    int cols = result.cols();
    double[] a = result.data();
    boolean[] nonzero = new boolean[rows];
    int kept = 0;
    for (int c = 0; c < cols; c++) {
      for (int j = 0, at = c * rows; j < rows; j++, at++) {
        if (a[at] != 0.0 && !nonzero[j]) {
          nonzero[j] = true;
          kept++;
        }
      }
    }
    if (kept > COMPACT_MAX_KEPT_FRACTION * rows) {
      return this;
    }
    int[] index = new int[kept];
    for (int j = 0, k = 0; j < rows; j++) {
      if (nonzero[j]) {
        index[k++] = j;
      }
    }
    double[] entries = new double[kept * cols];
    for (int k = 0; k < kept; k++) {
      for (int c = 0, at = index[k]; c < cols; c++, at += rows) {
        entries[k * cols + c] = a[at];
      }
    }
    keptRows = index;
    keptEntries = entries;
    compactRows = rows;
    compactCols = cols;
    result = null;
    return this;
  }

  /**
   * Adds what this task's block products hold to {@code result}: before the sum is merged, read
   * or serialized.
   */
  private void flush() {
    if (products != null) {
      products.flushTo(result);
      products = null;
    }
  }

  /** Java serialization sends the whole sum (Spark's task results pass {@link #compacted}). */
  private void writeObject(java.io.ObjectOutputStream out) throws java.io.IOException {
    flush();
    out.defaultWriteObject();
  }

  /** Beyond this fraction of nonzero rows a compacted sum saves too little to pay for its index. */
  static final double COMPACT_MAX_KEPT_FRACTION = 0.9;

  /** The sum held densely again, if it was compacted. */
  private void expand() {
    if (keptRows == null) {
      return;
    }
    result = ColumnMatrix.zeros(compactRows, compactCols);
    addKeptTo(result);
    keptRows = null;
    keptEntries = null;
  }

  private void addKeptTo(ColumnMatrix target) {
    double[] a = target.data();
    int rows = target.rows();
    int cols = compactCols;
    for (int k = 0; k < keptRows.length; k++) {
      for (int c = 0, at = keptRows[k]; c < cols; c++, at += rows) {
        a[at] += keptEntries[k * cols + c];
      }
    }
  }

  @Override
  public CurvatureAggregator merge(CurvatureAggregator other) {
    flush();
    other.flush();
    expand();
    if (other.keptRows != null) {
      if (result == null) {
        result = ColumnMatrix.zeros(other.compactRows, other.compactCols);
      }
      other.addKeptTo(result);
    } else if (other.result != null) {
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
    flush();
    expand();
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
