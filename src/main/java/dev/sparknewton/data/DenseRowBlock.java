package dev.sparknewton.data;

import dev.ludovic.netlib.blas.BLAS;
import dev.sparknewton.linalg.ColumnMatrix;

/** A {@link RowBlock} whose features are stored densely, row-major ({@code x_ij = values[i d + j]}). */
public final class DenseRowBlock extends RowBlock {
  private static final long serialVersionUID = 1L;

  private final double[] values;

  /**
   * @param values {@code n x d} row-major; kept, not copied.
   */
  public DenseRowBlock(long id, int numFeatures, double[] labels, double[] weights, double[] values) {
    super(id, numFeatures, labels, weights);
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
  public void multiply(double[] coef, boolean intercept, double[] out) {
    checkCoefficients(coef.length, intercept);
    int n = numRows();
    int d = numFeatures();
    double b = intercept ? coef[d] : 0.0;
    for (int i = 0; i < n; i++) {
      int offset = i * d;
      double s = b;
      for (int j = 0; j < d; j++) {
        s += values[offset + j] * coef[j];
      }
      out[i] = s;
    }
  }

  @Override
  public void addTransposeTimes(double[] s, boolean intercept, double[] out) {
    checkCoefficients(out.length, intercept);
    int n = numRows();
    int d = numFeatures();
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      double si = s[i];
      if (si == 0.0) {
        continue;
      }
      total += si;
      int offset = i * d;
      for (int j = 0; j < d; j++) {
        out[j] += si * values[offset + j];
      }
    }
    if (intercept) {
      out[d] += total;
    }
  }

  @Override
  public void addWeightedSquares(double[] s, boolean intercept, double[] out) {
    checkCoefficients(out.length, intercept);
    int n = numRows();
    int d = numFeatures();
    double total = 0.0;
    for (int i = 0; i < n; i++) {
      double si = s[i];
      total += si;
      int offset = i * d;
      for (int j = 0; j < d; j++) {
        double x = values[offset + j];
        out[j] += si * x * x;
      }
    }
    if (intercept) {
      out[d] += total;
    }
  }

  @Override
  public void multiplyBlock(ColumnMatrix v, boolean intercept, double[] out) {
    checkCoefficients(v.rows(), intercept);
    int n = numRows();
    int d = numFeatures();
    int r = v.cols();
    int ld = v.rows();
    double[] vd = v.data();
    for (int c = 0; c < r; c++) {
      int col = c * ld;
      double b = intercept ? vd[col + d] : 0.0;
      for (int i = 0; i < n; i++) {
        int offset = i * d;
        double s = b;
        for (int j = 0; j < d; j++) {
          s += values[offset + j] * vd[col + j];
        }
        out[c * n + i] = s;
      }
    }
  }

  @Override
  public void addTransposeTimesBlock(double[] s, boolean intercept, ColumnMatrix out) {
    checkCoefficients(out.rows(), intercept);
    int n = numRows();
    int d = numFeatures();
    int r = out.cols();
    int ld = out.rows();
    double[] od = out.data();
    for (int c = 0; c < r; c++) {
      int col = c * ld;
      double total = 0.0;
      for (int i = 0; i < n; i++) {
        double si = s[c * n + i];
        if (si == 0.0) {
          continue;
        }
        total += si;
        int offset = i * d;
        for (int j = 0; j < d; j++) {
          od[col + j] += si * values[offset + j];
        }
      }
      if (intercept) {
        od[col + d] += total;
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
  public RowBlock select(int[] rows) {
    int d = numFeatures();
    double[] selected = new double[rows.length * d];
    for (int k = 0; k < rows.length; k++) {
      System.arraycopy(values, rows[k] * d, selected, k * d, d);
    }
    return new DenseRowBlock(id(), d, selectLabels(rows), selectWeights(rows), selected);
  }
}
