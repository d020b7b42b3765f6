package dev.sparknewton.data;

import dev.ludovic.netlib.blas.BLAS;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.RowKernels;

/** A {@link RowBlock} whose features are stored densely, row-major ({@code x_ij = values[i d + j]}). */
public final class DenseRowBlock extends RowBlock {
  private static final long serialVersionUID = 1L;

  private final double[] values;

  /**
   * @param values {@code n x d} row-major; kept, not copied.
   */
  public DenseRowBlock(long id, int numFeatures, double[] labels, double[] weights, double[] values) {
    this(id, null, numFeatures, labels, weights, values);
  }

  /**
   * @param rowKeys one key per row ({@link RowBlock#rowKey}), or null to derive them from
   *     {@code id}. Arrays are kept, not copied.
   */
  public DenseRowBlock(long id, long[] rowKeys, int numFeatures, double[] labels,
      double[] weights, double[] values) {
    super(id, rowKeys, numFeatures, labels, weights);
    if ((long) labels.length * numFeatures != values.length) {
      throw new IllegalArgumentException(
          "dense block of " + labels.length + " x " + numFeatures + " needs "
              + ((long) labels.length * numFeatures) + " values, got " + values.length);
    }
    this.values = values;
  }

  @Override
  public long numStored() {
    return values.length;
  }

  @Override
  public int numStoredInRow(int i) {
    return numFeatures();
  }

  @Override
  protected double rowDot(int i, double[] v) {
    return RowKernels.dot(values, i * numFeatures(), v, numFeatures());
  }

  @Override
  protected void addScaledRow(int i, double s, double[] out) {
    RowKernels.axpy(s, values, i * numFeatures(), out, numFeatures());
  }

  @Override
  public void addWeightedSquares(
      double[] s, int sOffset, boolean intercept, double[] out, int outOffset) {
    int n = numRows();
    int d = numFeatures();
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      double si = s[sOffset + i];
      total += si;
      int offset = i * d;
      for (int j = 0; j < d; j++) {
        double x = values[offset + j];
        out[outOffset + j] += si * x * x;
      }
    }
    if (intercept) {
      out[outOffset + d] += total;
    }
  }

  /**
   * One BLAS {@code dgemm}: the row-major {@code n x d} values are the column-major {@code d x n}
   * matrix {@code X^T}, so {@code X V = (X^T)^T V} needs no copy; the intercept row of {@code V}
   * is added after.
   */
  @Override
  public void multiplyBlock(ColumnMatrix v, boolean intercept, double[] out) {
    checkCoefficients(v.rows(), intercept);
    int n = numRows();
    int d = numFeatures();
    int r = v.cols();
    int ld = v.rows();
    double[] vd = v.data();
    if (n == 0 || r == 0) {
      return;
    }
    BLAS.getInstance().dgemm("T", "N", n, r, d, 1.0, values, d, vd, ld, 0.0, out, n);
    if (intercept) {
      for (int c = 0; c < r; c++) {
        double b = vd[c * ld + d];
        int offset = c * n;
        for (int i = 0; i < n; i++) {
          out[offset + i] += b;
        }
      }
    }
  }

  /** One BLAS {@code dgemm}, {@code out[0..d) += X^T S} with {@code X^T} the stored values as they are. */
  @Override
  public void addTransposeTimesBlock(double[] s, boolean intercept, ColumnMatrix out) {
    checkCoefficients(out.rows(), intercept);
    int n = numRows();
    int d = numFeatures();
    int r = out.cols();
    int ld = out.rows();
    double[] od = out.data();
    if (n == 0 || r == 0) {
      return;
    }
    BLAS.getInstance().dgemm("N", "N", d, r, n, 1.0, values, d, s, n, 1.0, od, ld);
    if (intercept) {
      for (int c = 0; c < r; c++) {
        double total = 0.0;
        int offset = c * n;
        for (int i = 0; i < n; i++) {
          total += s[offset + i];
        }
        od[c * ld + d] += total;
      }
    }
  }

  /**
   * One symmetric rank-{@code n} update {@code out += Z_s^T Z_s} by BLAS {@code dsyrk}, with
   * {@code Z_s} the rows scaled by {@code sqrt(s_i)}: the row-major {@code n x d} values are the
   * column-major {@code d x n} matrix {@code Z^T}, so the scaled copy is built in that layout. A
   * negative weight (a non-convex loss) has no square root; those blocks take the rank-1 loop.
   */
  @Override
  public void addWeightedGramLower(double[] s, boolean intercept, ColumnMatrix out) {
    checkCoefficients(out.rows(), intercept);
    int n = numRows();
    int d = numFeatures();
    int dim = out.rows();
    for (int i = 0; i < n; i++) {
      if (s[i] < 0.0) {
        addWeightedGramLowerByRows(s, intercept, out);
        return;
      }
    }
    double[] scaled = new double[n * dim];
    for (int i = 0; i < n; i++) {
      double r = Math.sqrt(s[i]);
      int from = i * d;
      int to = i * dim;
      for (int j = 0; j < d; j++) {
        scaled[to + j] = r * values[from + j];
      }
      if (intercept) {
        scaled[to + d] = r;
      }
    }
    BLAS.getInstance().dsyrk("L", "N", dim, n, 1.0, scaled, dim, 1.0, out.data(), dim);
  }

  private void addWeightedGramLowerByRows(double[] s, boolean intercept, ColumnMatrix out) {
    int n = numRows();
    int d = numFeatures();
    int ld = out.rows();
    double[] od = out.data();
    for (int i = 0; i < n; i++) {
      double si = s[i];
      if (si == 0.0) {
        continue;
      }
      int offset = i * d;
      for (int b = 0; b < d; b++) {
        double xb = si * values[offset + b];
        if (xb == 0.0) {
          continue;
        }
        int col = b * ld;
        for (int a = b; a < d; a++) {
          od[col + a] += xb * values[offset + a];
        }
        if (intercept) {
          od[col + d] += xb;
        }
      }
      if (intercept) {
        od[d * ld + d] += si;
      }
    }
  }

  @Override
  public void addScaledTo(double scale, double[] out) {
    int n = numRows();
    int d = numFeatures();
    for (int i = 0; i < n; i++) {
      int offset = i * d;
      for (int j = 0; j < d; j++) {
        out[j * n + i] += scale * values[offset + j];
      }
    }
  }

  @Override
  public RowBlock squaredEntries() {
    double[] squares = new double[values.length];
    for (int k = 0; k < squares.length; k++) {
      squares[k] = values[k] * values[k];
    }
    return new DenseRowBlock(
        id(), rowKeyArray(), numFeatures(), labelArray(), weightArray(), squares);
  }

  @Override
  public RowBlock select(int[] rows) {
    int d = numFeatures();
    double[] selected = new double[rows.length * d];
    for (int k = 0; k < rows.length; k++) {
      System.arraycopy(values, rows[k] * d, selected, k * d, d);
    }
    return new DenseRowBlock(
        id(), selectRowKeys(rows), d, selectLabels(rows), selectWeights(rows), selected);
  }
}
