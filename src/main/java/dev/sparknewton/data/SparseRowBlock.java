package dev.sparknewton.data;

import dev.sparknewton.linalg.ColumnMatrix;

/**
 * A {@link RowBlock} in compressed sparse row form: the features of row {@code i} are
 * {@code values[k]} at columns {@code columns[k]} for {@code rowStarts[i] <= k < rowStarts[i + 1]},
 * columns strictly increasing within a row.
 */
public final class SparseRowBlock extends RowBlock {
  private static final long serialVersionUID = 1L;

  private final int[] rowStarts;
  private final int[] columns;
  private final double[] values;

  /** Arrays are kept, not copied. */
  public SparseRowBlock(
      long id, int numFeatures, double[] labels, double[] weights,
      int[] rowStarts, int[] columns, double[] values) {
    this(id, null, numFeatures, labels, weights, rowStarts, columns, values);
  }

  /**
   * @param rowKeys one key per row ({@link RowBlock#rowKey}), or null to derive them from
   *     {@code id}. Arrays are kept, not copied.
   */
  public SparseRowBlock(
      long id, long[] rowKeys, int numFeatures, double[] labels, double[] weights,
      int[] rowStarts, int[] columns, double[] values) {
    super(id, rowKeys, numFeatures, labels, weights);
    if (rowStarts.length != labels.length + 1 || columns.length != values.length
        || rowStarts[labels.length] != values.length) {
      throw new IllegalArgumentException("inconsistent CSR arrays in block " + id);
    }
    this.rowStarts = rowStarts;
    this.columns = columns;
    this.values = values;
  }

  @Override
  public long numStored() {
    return values.length;
  }

  @Override
  public int numStoredInRow(int i) {
    return rowStarts[i + 1] - rowStarts[i];
  }

  @Override
  public void multiply(double[] coef, boolean intercept, double[] out) {
    checkCoefficients(coef.length, intercept);
    int n = numRows();
    double b = intercept ? coef[numFeatures()] : 0.0;
    for (int i = 0; i < n; i++) {
      double s = b;
      for (int k = rowStarts[i], end = rowStarts[i + 1]; k < end; k++) {
        s += values[k] * coef[columns[k]];
      }
      out[i] = s;
    }
  }

  @Override
  public void addTransposeTimes(double[] s, boolean intercept, double[] out) {
    checkCoefficients(out.length, intercept);
    int n = numRows();
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      double si = s[i];
      if (si == 0.0) {
        continue;
      }
      total += si;
      for (int k = rowStarts[i], end = rowStarts[i + 1]; k < end; k++) {
        out[columns[k]] += si * values[k];
      }
    }
    if (intercept) {
      out[numFeatures()] += total;
    }
  }

  @Override
  public void addWeightedSquares(
      double[] s, int sOffset, boolean intercept, double[] out, int outOffset) {
    int n = numRows();
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      double si = s[sOffset + i];
      total += si;
      for (int k = rowStarts[i], end = rowStarts[i + 1]; k < end; k++) {
        out[outOffset + columns[k]] += si * values[k] * values[k];
      }
    }
    if (intercept) {
      out[outOffset + numFeatures()] += total;
    }
  }

  @Override
  public void multiplyBlock(ColumnMatrix v, boolean intercept, double[] out) {
    checkCoefficients(v.rows(), intercept);
    int n = numRows();
    int r = v.cols();
    int ld = v.rows();
    int d = numFeatures();
    double[] vd = v.data();
    // Column by column: the gathers of one column of v stay in one stretch of d doubles (cache
    // resident for d up to ~10^5), where a row-outer loop touches all r columns per row.
    for (int c = 0; c < r; c++) {
      int col = c * ld;
      double b = intercept ? vd[col + d] : 0.0;
      for (int i = 0; i < n; i++) {
        double s = b;
        for (int k = rowStarts[i], end = rowStarts[i + 1]; k < end; k++) {
          s += values[k] * vd[col + columns[k]];
        }
        out[c * n + i] = s;
      }
    }
  }

  @Override
  public void addTransposeTimesBlock(double[] s, boolean intercept, ColumnMatrix out) {
    checkCoefficients(out.rows(), intercept);
    int n = numRows();
    int r = out.cols();
    int ld = out.rows();
    int d = numFeatures();
    double[] od = out.data();
    // Column by column, as multiplyBlock; each entry of out still adds its terms in row order.
    for (int c = 0; c < r; c++) {
      int col = c * ld;
      for (int i = 0; i < n; i++) {
        double si = s[c * n + i];
        if (si == 0.0) {
          continue;
        }
        for (int k = rowStarts[i], end = rowStarts[i + 1]; k < end; k++) {
          od[col + columns[k]] += si * values[k];
        }
        if (intercept) {
          od[col + d] += si;
        }
      }
    }
  }

  @Override
  public void addWeightedGramLower(double[] s, boolean intercept, ColumnMatrix out) {
    checkCoefficients(out.rows(), intercept);
    int n = numRows();
    int ld = out.rows();
    int d = numFeatures();
    double[] od = out.data();
    for (int i = 0; i < n; i++) {
      double si = s[i];
      if (si == 0.0) {
        continue;
      }
      int start = rowStarts[i];
      int end = rowStarts[i + 1];
      for (int kb = start; kb < end; kb++) {
        double xb = si * values[kb];
        int col = columns[kb] * ld;
        // columns increase within a row, so columns[ka] >= columns[kb]: the lower triangle.
        for (int ka = kb; ka < end; ka++) {
          od[col + columns[ka]] += xb * values[ka];
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
    for (int i = 0; i < n; i++) {
      for (int k = rowStarts[i], end = rowStarts[i + 1]; k < end; k++) {
        out[columns[k] * n + i] += scale * values[k];
      }
    }
  }

  @Override
  public RowBlock squaredEntries() {
    double[] squares = new double[values.length];
    for (int k = 0; k < squares.length; k++) {
      squares[k] = values[k] * values[k];
    }
    return new SparseRowBlock(id(), rowKeyArray(), numFeatures(), labelArray(), weightArray(),
        rowStarts, columns, squares);
  }

  @Override
  public RowBlock select(int[] rows) {
    int[] starts = new int[rows.length + 1];
    for (int k = 0; k < rows.length; k++) {
      starts[k + 1] = starts[k] + rowStarts[rows[k] + 1] - rowStarts[rows[k]];
    }
    int[] cols = new int[starts[rows.length]];
    double[] vals = new double[starts[rows.length]];
    for (int k = 0; k < rows.length; k++) {
      int from = rowStarts[rows[k]];
      int len = starts[k + 1] - starts[k];
      System.arraycopy(columns, from, cols, starts[k], len);
      System.arraycopy(values, from, vals, starts[k], len);
    }
    return new SparseRowBlock(id(), selectRowKeys(rows), numFeatures(), selectLabels(rows),
        selectWeights(rows), starts, cols, vals);
  }
}
