package dev.sparknewton.linalg;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A dense {@code rows x cols} matrix stored column-major in one {@code double[]}, the layout
 * LAPACK expects: entry {@code (i, j)} is {@code data[i + j * rows]}.
 *
 * <p>Used for blocks of vectors ({@code d x r}: the test matrix of a randomized range finder, the
 * result of a Hessian-block product) and for small square matrices (a dense Hessian, a projected
 * {@code r x r} matrix). The array is exposed on purpose: the aggregators and LAPACK calls work on
 * it in place, and each method says whether it modifies it.
 */
public final class ColumnMatrix implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int rows;
  private final int cols;
  private final double[] data;

  /** Wraps {@code data} (not copied) as a {@code rows x cols} column-major matrix. */
  public ColumnMatrix(int rows, int cols, double[] data) {
    if (rows < 0 || cols < 0 || (long) rows * cols != data.length) {
      throw new IllegalArgumentException(
          "a " + rows + " x " + cols + " matrix needs " + ((long) rows * cols)
              + " entries, got " + data.length);
    }
    this.rows = rows;
    this.cols = cols;
    this.data = data;
  }

  /** A new zero matrix. */
  public static ColumnMatrix zeros(int rows, int cols) {
    return new ColumnMatrix(rows, cols, new double[Math.multiplyExact(rows, cols)]);
  }

  /** A new matrix whose columns are copies of {@code columns}, all of the same length. */
  public static ColumnMatrix ofColumns(double[]... columns) {
    int rows = columns.length == 0 ? 0 : columns[0].length;
    ColumnMatrix m = zeros(rows, columns.length);
    for (int j = 0; j < columns.length; j++) {
      m.setColumn(j, columns[j]);
    }
    return m;
  }

  /** The {@code n x n} identity. */
  public static ColumnMatrix identity(int n) {
    ColumnMatrix m = zeros(n, n);
    for (int i = 0; i < n; i++) {
      m.data[i + i * n] = 1.0;
    }
    return m;
  }

  /** True when {@code other} has the same shape and bit-for-bit the same entries. */
  public boolean sameEntries(ColumnMatrix other) {
    return other == this || (other.rows == rows && other.cols == cols
        && Arrays.equals(other.data, data));
  }

  public int rows() {
    return rows;
  }

  public int cols() {
    return cols;
  }

  /** The backing column-major array (not a copy). */
  public double[] data() {
    return data;
  }

  public double get(int i, int j) {
    return data[i + j * rows];
  }

  /** Sets entry {@code (i, j)}. This matrix modified. */
  public void set(int i, int j, double value) {
    data[i + j * rows] = value;
  }

  /** A copy of column {@code j}. */
  public double[] column(int j) {
    return Arrays.copyOfRange(data, j * rows, (j + 1) * rows);
  }

  /** Copies {@code values} into column {@code j}. This matrix modified. */
  public void setColumn(int j, double[] values) {
    if (values.length != rows) {
      throw new IllegalArgumentException(
          "column has " + values.length + " entries, matrix has " + rows + " rows");
    }
    System.arraycopy(values, 0, data, j * rows, rows);
  }

  /** A deep copy. */
  public ColumnMatrix copy() {
    return new ColumnMatrix(rows, cols, data.clone());
  }

  /** Returns a new matrix {@code this * x} for a vector {@code x} of length {@code cols}. */
  public double[] multiply(double[] x) {
    if (x.length != cols) {
      throw new IllegalArgumentException(
          "matrix has " + cols + " columns, vector has " + x.length + " entries");
    }
    double[] y = new double[rows];
    for (int j = 0; j < cols; j++) {
      double xj = x[j];
      if (xj == 0.0) {
        continue;
      }
      int offset = j * rows;
      for (int i = 0; i < rows; i++) {
        y[i] += data[offset + i] * xj;
      }
    }
    return y;
  }

  /** Returns a new vector {@code this^T * y} for a vector {@code y} of length {@code rows}. */
  public double[] transposeMultiply(double[] y) {
    if (y.length != rows) {
      throw new IllegalArgumentException(
          "matrix has " + rows + " rows, vector has " + y.length + " entries");
    }
    double[] x = new double[cols];
    for (int j = 0; j < cols; j++) {
      int offset = j * rows;
      double s = 0.0;
      for (int i = 0; i < rows; i++) {
        s += data[offset + i] * y[i];
      }
      x[j] = s;
    }
    return x;
  }

  /** Adds {@code a} to every diagonal entry of this square matrix. This matrix modified. */
  public void addToDiagonal(double a) {
    int n = Math.min(rows, cols);
    for (int i = 0; i < n; i++) {
      data[i + i * rows] += a;
    }
  }

  @Override
  public String toString() {
    return "ColumnMatrix(" + rows + " x " + cols + ")";
  }
}
