package dev.sparknewton.data;

import java.util.Arrays;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;

/**
 * Stacks rows into one {@link RowBlock}: collects them in compressed sparse row form (non-zeros
 * only) and builds whichever of {@link DenseRowBlock} and {@link SparseRowBlock} takes fewer
 * bytes. Reusable: {@link #build} empties it.
 */
final class RowBlockBuilder {
  private final int numFeatures;
  private double[] labels = new double[16];
  private double[] weights = new double[16];
  private long[] rowKeys = new long[16];
  private int[] rowStarts = new int[17];
  private int[] columns = new int[64];
  private double[] values = new double[64];
  private int rows;

  RowBlockBuilder(int numFeatures) {
    this.numFeatures = numFeatures;
  }

  /**
   * Bytes of a dense block of {@code rows} rows: values, labels and weights (MLlib's accounting
   * of {@code maxBlockSizeInMB}; the 8 bytes a row of row keys are not counted).
   */
  static long denseBytes(long rows, int numFeatures) {
    return 8L * rows * numFeatures + 16L * rows;
  }

  /** Bytes of a CSR block: values and column indices, row starts, labels and weights. */
  static long sparseBytes(long rows, long nonZeros) {
    return 12L * nonZeros + 4L * (rows + 1) + 16L * rows;
  }

  /** Bytes of the smaller form of a block of {@code rows} rows with {@code nonZeros} values. */
  long bytes(long rows, long nonZeros) {
    long sparse = sparseBytes(rows, nonZeros);
    return fitsDense(rows) ? Math.min(sparse, denseBytes(rows, numFeatures)) : sparse;
  }

  int numRows() {
    return rows;
  }

  int numNonZeros() {
    return rowStarts[rows];
  }

  /**
   * Appends one row.
   *
   * @param features size {@code numFeatures}. Not modified.
   */
  void add(long rowKey, double label, double weight, Vector features) {
    if (features.size() != numFeatures) {
      throw new IllegalArgumentException("row " + rows + " of a block has " + features.size()
          + " features, expected " + numFeatures);
    }
    if (rows == labels.length) {
      labels = Arrays.copyOf(labels, 2 * rows);
      weights = Arrays.copyOf(weights, 2 * rows);
      rowKeys = Arrays.copyOf(rowKeys, 2 * rows);
      rowStarts = Arrays.copyOf(rowStarts, 2 * rows + 1);
    }
    int k = rowStarts[rows];
    ensureValues(k + features.numNonzeros());
    if (features instanceof SparseVector s) {
      int[] idx = s.indices();
      double[] val = s.values();
      for (int j = 0; j < idx.length; j++) {
        if (val[j] != 0.0) {
          columns[k] = idx[j];
          values[k++] = val[j];
        }
      }
    } else {
      double[] val = ((DenseVector) features).values();
      for (int j = 0; j < val.length; j++) {
        if (val[j] != 0.0) {
          columns[k] = j;
          values[k++] = val[j];
        }
      }
    }
    labels[rows] = label;
    weights[rows] = weight;
    rowKeys[rows] = rowKey;
    rows++;
    rowStarts[rows] = k;
  }

  /** The block of the rows added since the last build, in the smaller form; empties the builder. */
  RowBlock build(long id) {
    int nnz = rowStarts[rows];
    double[] l = Arrays.copyOf(labels, rows);
    double[] w = Arrays.copyOf(weights, rows);
    long[] keys = Arrays.copyOf(rowKeys, rows);
    RowBlock block;
    if (fitsDense(rows) && denseBytes(rows, numFeatures) < sparseBytes(rows, nnz)) {
      double[] dense = new double[rows * numFeatures];
      for (int i = 0; i < rows; i++) {
        int offset = i * numFeatures;
        for (int k = rowStarts[i]; k < rowStarts[i + 1]; k++) {
          dense[offset + columns[k]] = values[k];
        }
      }
      block = new DenseRowBlock(id, keys, numFeatures, l, w, dense);
    } else {
      block = new SparseRowBlock(id, keys, numFeatures, l, w, Arrays.copyOf(rowStarts, rows + 1),
          Arrays.copyOf(columns, nnz), Arrays.copyOf(values, nnz));
    }
    rows = 0;
    return block;
  }

  /** A dense block must index its values with an int. */
  private boolean fitsDense(long n) {
    return n * numFeatures <= Integer.MAX_VALUE - 8;
  }

  private void ensureValues(int needed) {
    if (needed > columns.length) {
      int size = Math.max(needed, 2 * columns.length);
      columns = Arrays.copyOf(columns, size);
      values = Arrays.copyOf(values, size);
    }
  }
}
