package dev.sparknewton.data;

import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.RowKernels;
import java.util.Arrays;

/**
 * A {@link RowBlock} in compressed sparse row form: the features of row {@code i} are
 * {@code values[k]} at columns {@code columns[k]} for {@code rowStarts[i] <= k < rowStarts[i + 1]},
 * columns strictly increasing within a row.
 */
public final class SparseRowBlock extends RowBlock {
  private static final long serialVersionUID = 1L;

  /** Rows of a strip in {@link #rowsOf}. */
  private static final int TRANSPOSE_STRIP = 64;
  /**
   * The largest dense side ({@code V} or {@code out}) the row-major block products take, in
   * bytes: about the 0.5-1 MB of L2 a core has on current x86 servers (measured here on an AMD
   * EPYC with 512 KB L2 per core and a 32 MB L3; see {@link #rowMajorMultiplyPays}).
   */
  static final long ROW_MAJOR_MAX_DENSE_BYTES = 1L << 20;

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

  /**
   * {@link #multiplyTwo} on the two coefficient vectors interleaved in one array,
   * {@code ab[2 j] = a_j} and {@code ab[2 j + 1] = b_j} (the intercepts at {@code 2 d} and
   * {@code 2 d + 1}): each stored value's two coefficients share a cache line, where two arrays
   * take two random reads. The same terms in the same partial sums as {@link #multiplyTwo}, so
   * bit for bit its results. Both products in one loop over the row, not {@link #rowDot}'s loop
   * twice with a stride: written that way the pair took 5.9-6.2 ms over the JMH benchmark's CSR
   * blocks against 5.0-5.4 for this loop and 5.7-6.8 for {@link #multiplyTwo}'s two arrays.
   *
   * @param ab length {@code 2 (d (+1))}. Not modified.
   * @param outA length at least {@code n}. Modified.
   * @param outB length at least {@code n}. Modified.
   */
  public void multiplyTwoInterleaved(double[] ab, boolean intercept, double[] outA, double[] outB) {
    if (ab.length % 2 != 0) {
      throw new IllegalArgumentException("an interleaved pair of vectors has even length, got "
          + ab.length);
    }
    checkCoefficients(ab.length / 2, intercept);
    int d = numFeatures();
    double a0 = intercept ? ab[2 * d] : 0.0;
    double b0 = intercept ? ab[2 * d + 1] : 0.0;
    for (int i = 0; i < numRows(); i++) {
      // Four partial sums for each product, terms k mod 4, as rowDot.
      double s0 = 0.0;
      double s1 = 0.0;
      double s2 = 0.0;
      double s3 = 0.0;
      double t0 = 0.0;
      double t1 = 0.0;
      double t2 = 0.0;
      double t3 = 0.0;
      int k = rowStarts[i];
      int end = rowStarts[i + 1];
      for (; k + 3 < end; k += 4) {
        int j0 = 2 * columns[k];
        int j1 = 2 * columns[k + 1];
        int j2 = 2 * columns[k + 2];
        int j3 = 2 * columns[k + 3];
        double x0 = values[k];
        double x1 = values[k + 1];
        double x2 = values[k + 2];
        double x3 = values[k + 3];
        s0 += x0 * ab[j0];
        s1 += x1 * ab[j1];
        s2 += x2 * ab[j2];
        s3 += x3 * ab[j3];
        t0 += x0 * ab[j0 + 1];
        t1 += x1 * ab[j1 + 1];
        t2 += x2 * ab[j2 + 1];
        t3 += x3 * ab[j3 + 1];
      }
      for (; k < end; k++) {
        int j = 2 * columns[k];
        s0 += values[k] * ab[j];
        t0 += values[k] * ab[j + 1];
      }
      outA[i] = a0 + ((s0 + s1) + (s2 + s3));
      outB[i] = b0 + ((t0 + t1) + (t2 + t3));
    }
  }

  /**
   * {@code acc[q] += sum_k x_ik vt[j width + q]} over the stored values {@code (j, x_ij)} of row
   * {@code i}, for {@code q < width}: the row times a feature-major matrix (feature {@code j}'s
   * {@code width} entries at {@code [j width, (j + 1) width)}), one contiguous read per stored
   * value where a column-major {@code V} takes {@code width} reads {@code d} apart. No intercept
   * term. Each entry adds its terms in stored order ({@link RowKernels#gatherRow}), so starting
   * from the intercept it is bit for bit column {@code q} of {@link #multiplyBlock}.
   *
   * @param vt Not modified.
   * @param acc Modified.
   */
  public void addRowTimesFeatureMajor(int i, double[] vt, int width, double[] acc) {
    RowKernels.gatherRow(values, columns, rowStarts[i], rowStarts[i + 1], vt, width, acc);
  }

  /**
   * {@code gt[j width + q] += x_ij s[q]} over the stored values of row {@code i}, for
   * {@code q < width}: the transposed product of one row into a feature-major matrix, the terms
   * of each entry in the order of {@link #addTransposeTimesBlock}'s column-outer form. No
   * intercept term.
   *
   * @param s Not modified.
   * @param gt Modified.
   */
  public void addRowUpdateFeatureMajor(int i, double[] s, int width, double[] gt) {
    RowKernels.scatterRow(values, columns, rowStarts[i], rowStarts[i + 1], s, width, gt);
  }

  /** Over row {@code i}'s stored values, in four partial sums as Vectors.dot4. */
  @Override
  protected double rowDot(int i, double[] v) {
    // Independent add chains: terms k mod 4, added as (s0 + s1) + (s2 + s3).
    double s0 = 0.0;
    double s1 = 0.0;
    double s2 = 0.0;
    double s3 = 0.0;
    int k = rowStarts[i];
    int end = rowStarts[i + 1];
    for (; k + 3 < end; k += 4) {
      s0 += values[k] * v[columns[k]];
      s1 += values[k + 1] * v[columns[k + 1]];
      s2 += values[k + 2] * v[columns[k + 2]];
      s3 += values[k + 3] * v[columns[k + 3]];
    }
    for (; k < end; k++) {
      s0 += values[k] * v[columns[k]];
    }
    return (s0 + s1) + (s2 + s3);
  }

  @Override
  protected void addScaledRow(int i, double si, double[] out) {
    for (int k = rowStarts[i], end = rowStarts[i + 1]; k < end; k++) {
      out[columns[k]] += si * values[k];
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
    if (rowMajorMultiplyPays(v.rows(), v.cols())) {
      multiplyBlockRowMajor(v, intercept, out);
    } else {
      multiplyBlockColumnOuter(v, intercept, out);
    }
  }

  @Override
  public void addTransposeTimesBlock(double[] s, boolean intercept, ColumnMatrix out) {
    checkCoefficients(out.rows(), intercept);
    if (rowMajorTransposePays(out.rows(), out.cols())) {
      addTransposeTimesBlockRowMajor(s, intercept, out);
    } else {
      addTransposeTimesBlockColumnOuter(s, intercept, out);
    }
  }

  /**
   * Whether {@link #multiplyBlock} with an {@code m x r} dense side ({@code m = d} or
   * {@code d + 1}) runs row-major ({@link #multiplyBlockRowMajor}: the rows of {@code V} copied
   * out, one contiguous axpy of length {@code r} per stored value, vectorized) rather than
   * column-outer ({@link #multiplyBlockColumnOuter}: one gather per stored value and column, about
   * 2 GFLOP/s here). The copy costs {@code m r} per call whatever the block holds, and the copied
   * rows are read in random order, so row-major pays only when {@code V} is small enough to stay
   * in cache ({@code 8 m r <= }{@link #ROW_MAJOR_MAX_DENSE_BYTES}), wide enough for the vector
   * loop ({@code r >= 16}) and the block's {@code nnz r} work dwarfs the copy
   * ({@code nnz >= 4 m} and {@code nnz r >= 256 m}).
   *
   * <p>Measured by {@code SparseBlockProductTiming} (test scope; both layouts alternating in one
   * JVM, medians; docs/bench/kernels/csr-block-products-*.txt), 40 stored values a row: at
   * {@code d = 784} row-major is 1.4-1.5x faster at {@code nnz/m = 8, r = 32} and
   * {@code nnz/m = 16, r = 16}, 1.2x at {@code nnz/m = 4, r = 128}, but slower at
   * {@code nnz/m = 2, r = 128} (0.8x), at {@code nnz/m = 4, r = 32} (0.9x) and at {@code r = 8}
   * for any {@code nnz/m} up to 32 (0.7-0.95x); at {@code d = 20,000} ({@code V} 1.3-20 MB) it is
   * 0.2-1.2x for every {@code nnz/m} up to 32 and {@code r} from 8 to 128, and at news20's sketch
   * ({@code d = 62,061}, {@code nnz/m = 1.3}) and {@code d = 10^6} far slower. The first layer of
   * the MNIST network ({@code m = 785, r = 128}, 0.8 MB, {@code nnz/m = 30} for 160 rows) takes
   * the row-major path: 1.6-2.1x for 160-row blocks, 3.0-3.1x for 560. A second sweep under
   * heavier load agrees: every shape the rule sends row-major ran 1.4-2.3x faster. With the JIT's
   * auto-vectorization off ({@code -XX:-UseSuperWord}) the MNIST gain drops to 1.3x (160 rows).
   * Every timing includes the per-call copy into new arrays ({@code m} arrays of {@code r}
   * doubles, small enough for the thread's allocation buffer, never one humongous G1 object); it
   * is not kept between calls.
   */
  boolean rowMajorMultiplyPays(int m, int r) {
    return rowMajorPays(m, r, 16, 4, 256);
  }

  /**
   * Whether {@link #addTransposeTimesBlock} with an {@code m x r} {@code out} runs row-major
   * ({@link #addTransposeTimesBlockRowMajor}) rather than column-outer. As
   * {@link #rowMajorMultiplyPays}, with a higher bar: each stored value loads and stores a row of
   * {@code out} (where the product keeps its row in one accumulator) and {@code out} is copied both
   * ways, so {@code r >= 32}, {@code nnz >= 8 m} and {@code nnz r >= 1024 m}. Measured as there:
   * at {@code d = 784}, 1.3x at {@code nnz/m = 8, r = 128} and at {@code nnz/m = 32, r = 32},
   * 1.0x at {@code nnz/m = 16, r = 32}, but 0.7x at {@code nnz/m = 4, r = 128}, 0.9x at
   * {@code nnz/m = 32, r = 16} and 0.3-0.4x at {@code r = 8}; at {@code d = 20,000} 0.25-1.0x.
   * MNIST's first layer: 1.15-1.4x for 160-row blocks, 1.6-1.85x for 560; in the second sweep
   * every shape the rule sends row-major ran 1.2-1.9x faster.
   */
  boolean rowMajorTransposePays(int m, int r) {
    return rowMajorPays(m, r, 32, 8, 1024);
  }

  private boolean rowMajorPays(int m, int r, int minWidth, long minPerFeature, long minWork) {
    long stored = values.length;
    return r >= minWidth && 8L * m * r <= ROW_MAJOR_MAX_DENSE_BYTES
        && stored >= minPerFeature * m && stored * r >= minWork * m;
  }

  /** {@link #multiplyBlock} column by column, gathering from {@code v}; no scratch. */
  void multiplyBlockColumnOuter(ColumnMatrix v, boolean intercept, double[] out) {
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

  /**
   * {@link #multiplyBlock} row by row on the rows of {@code V}: {@code acc = b + sum_k x_k V[j_k, :]}
   * for the stored values {@code (j_k, x_k)} of row {@code i}, each a contiguous axpy of length
   * {@code r}, four stored values per sweep over {@code acc}. Each entry adds the same terms in
   * the same order as {@link #multiplyBlockColumnOuter} (the sweep adds its four left to right),
   * so the two agree bit for bit. Scratch: the {@code m} rows of {@code V}, one array each.
   */
  void multiplyBlockRowMajor(ColumnMatrix v, boolean intercept, double[] out) {
    int n = numRows();
    int r = v.cols();
    int d = numFeatures();
    double[][] vr = rowsOf(v.data(), v.rows(), r);
    double[] acc = new double[r];
    for (int i = 0; i < n; i++) {
      if (intercept) {
        System.arraycopy(vr[d], 0, acc, 0, r);
      } else {
        Arrays.fill(acc, 0.0);
      }
      int k = rowStarts[i];
      int end = rowStarts[i + 1];
      // One array per row of V and the same index c on every array: the form C2's superword
      // pass vectorizes on Java 17 (V^T in one array at offset j r + c is not vectorized).
      for (; k + 3 < end; k += 4) {
        double x0 = values[k];
        double x1 = values[k + 1];
        double x2 = values[k + 2];
        double x3 = values[k + 3];
        double[] v0 = vr[columns[k]];
        double[] v1 = vr[columns[k + 1]];
        double[] v2 = vr[columns[k + 2]];
        double[] v3 = vr[columns[k + 3]];
        for (int c = 0; c < r; c++) {
          acc[c] = acc[c] + x0 * v0[c] + x1 * v1[c] + x2 * v2[c] + x3 * v3[c];
        }
      }
      for (; k < end; k++) {
        double x = values[k];
        double[] vj = vr[columns[k]];
        for (int c = 0; c < r; c++) {
          acc[c] += x * vj[c];
        }
      }
      for (int c = 0; c < r; c++) {
        out[c * n + i] = acc[c];
      }
    }
  }

  /** {@link #addTransposeTimesBlock} column by column, scattering into {@code out}; no scratch. */
  void addTransposeTimesBlockColumnOuter(double[] s, boolean intercept, ColumnMatrix out) {
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

  /**
   * {@link #addTransposeTimesBlock} row by row on the rows of {@code out}: they are copied out,
   * {@code out[j_k, :] += x_k S[i, :]} for every stored value {@code (j_k, x_k)} of row {@code i}
   * (one contiguous axpy of length {@code r}), and copied back. Each entry of {@code out} adds its
   * terms in row order starting from its old value, as in
   * {@link #addTransposeTimesBlockColumnOuter}; that method skips the terms with {@code s_ic = 0}
   * where this one adds {@code 0 x}, which changes nothing for finite features (adding a signed
   * zero leaves {@code +0} and every non-zero value as it is; only an entry holding {@code -0}
   * may become {@code +0}). Rows of {@code S} that are zero throughout are skipped. Scratch: the
   * {@code m} rows of {@code out}, one array each, and one row of {@code S}.
   */
  void addTransposeTimesBlockRowMajor(double[] s, boolean intercept, ColumnMatrix out) {
    int n = numRows();
    int r = out.cols();
    int m = out.rows();
    int d = numFeatures();
    double[][] gr = rowsOf(out.data(), m, r);
    double[] si = new double[r];
    for (int i = 0; i < n; i++) {
      boolean zero = true;
      for (int c = 0; c < r; c++) {
        si[c] = s[c * n + i];
        zero &= si[c] == 0.0;
      }
      if (zero) {
        continue;
      }
      for (int k = rowStarts[i], end = rowStarts[i + 1]; k < end; k++) {
        double x = values[k];
        double[] g = gr[columns[k]];
        for (int c = 0; c < r; c++) {
          g[c] += x * si[c];
        }
      }
      if (intercept) {
        double[] g = gr[d];
        for (int c = 0; c < r; c++) {
          g[c] += si[c];
        }
      }
    }
    double[] od = out.data();
    for (int j0 = 0; j0 < m; j0 += TRANSPOSE_STRIP) {
      int j1 = Math.min(m, j0 + TRANSPOSE_STRIP);
      for (int c = 0; c < r; c++) {
        int col = c * m;
        for (int j = j0; j < j1; j++) {
          od[col + j] = gr[j][c];
        }
      }
    }
  }

  /**
   * The rows of a {@code rows x cols} column-major matrix, one new array of {@code cols} each, in
   * strips of {@link #TRANSPOSE_STRIP} rows so that the strided side of the copy stays in cache.
   *
   * @param a length at least {@code rows cols}. Not modified.
   */
  static double[][] rowsOf(double[] a, int rows, int cols) {
    double[][] out = new double[rows][cols];
    for (int j0 = 0; j0 < rows; j0 += TRANSPOSE_STRIP) {
      int j1 = Math.min(rows, j0 + TRANSPOSE_STRIP);
      for (int c = 0; c < cols; c++) {
        int col = c * rows;
        for (int j = j0; j < j1; j++) {
          out[j][c] = a[col + j];
        }
      }
    }
    return out;
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

  /**
   * The rows of {@code blocks}, in order, as one block with id {@code id}: their CSR arrays,
   * labels, weights and row keys concatenated.
   *
   * @param blocks at least one, all with the same number of features. Not modified.
   */
  public static SparseRowBlock concatenate(long id, java.util.List<SparseRowBlock> blocks) {
    int d = blocks.get(0).numFeatures();
    long rows = 0;
    long stored = 0;
    for (SparseRowBlock b : blocks) {
      if (b.numFeatures() != d) {
        throw new IllegalArgumentException("blocks of " + d + " and " + b.numFeatures()
            + " features cannot be concatenated");
      }
      rows += b.numRows();
      stored += b.values.length;
    }
    int n = Math.toIntExact(rows);
    int nnz = Math.toIntExact(stored);
    double[] labels = new double[n];
    double[] weights = new double[n];
    long[] keys = new long[n];
    int[] starts = new int[n + 1];
    int[] cols = new int[nnz];
    double[] vals = new double[nnz];
    int i0 = 0;
    int k0 = 0;
    for (SparseRowBlock b : blocks) {
      int m = b.numRows();
      for (int i = 0; i < m; i++) {
        labels[i0 + i] = b.label(i);
        weights[i0 + i] = b.weight(i);
        keys[i0 + i] = b.rowKey(i);
        starts[i0 + i + 1] = k0 + b.rowStarts[i + 1];
      }
      System.arraycopy(b.columns, 0, cols, k0, b.values.length);
      System.arraycopy(b.values, 0, vals, k0, b.values.length);
      i0 += m;
      k0 += b.values.length;
    }
    return new SparseRowBlock(id, keys, d, labels, weights, starts, cols, vals);
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
