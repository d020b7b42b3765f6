package dev.sparknewton.data;

import dev.sparknewton.linalg.ColumnMatrix;
import java.io.Serializable;

/**
 * A block of training rows stacked into one matrix {@code X} ({@code n x d}), with labels (a class
 * index {@code 0..K-1}, or a real target) and non-negative instance weights: the unit of work of every pass over the data.
 *
 * <p>Every product treats a row as the augmented vector {@code z_i = [x_i; 1]} when
 * {@code intercept} is true, so coefficient vectors have length {@code d + 1} with the intercept
 * last; otherwise {@code z_i = x_i} and they have length {@code d}. The two storage forms are
 * {@link DenseRowBlock} (row-major) and {@link SparseRowBlock} (CSR); both are immutable.
 *
 * <p>{@link #id()} is unique per block within a dataset. {@link #rowKey(int)} identifies a row
 * whatever block it lands in (the Blockifier gives each row a key from its position in the
 * input, before any repartitioning) and seeds the row's membership in a curvature sample
 * ({@link RowSample}), so a sample depends only on the seed and the rows, never on the
 * partitioning, timing or scheduling.
 */
public abstract class RowBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long id;
  private final int numFeatures;
  private final double[] labels;
  private final double[] weights;
  /** One key per row, or null for the keys {@link #rowKey} derives from the block id. */
  private final long[] rowKeys;

  /** A block whose row keys derive from {@code id} and the row index. */
  protected RowBlock(long id, int numFeatures, double[] labels, double[] weights) {
    this(id, null, numFeatures, labels, weights);
  }

  /**
   * @param rowKeys one key per row, unique within the data set, or null to derive them from
   *     {@code id}. Kept, not copied.
   */
  protected RowBlock(long id, long[] rowKeys, int numFeatures, double[] labels, double[] weights) {
    if (labels.length != weights.length) {
      throw new IllegalArgumentException(
          labels.length + " labels but " + weights.length + " weights in block " + id);
    }
    if (rowKeys != null && rowKeys.length != labels.length) {
      throw new IllegalArgumentException(
          labels.length + " labels but " + rowKeys.length + " row keys in block " + id);
    }
    this.rowKeys = rowKeys;
    this.id = id;
    this.numFeatures = numFeatures;
    this.labels = labels;
    this.weights = weights;
  }

  public final long id() {
    return id;
  }

  /**
   * The key of row {@code i}: given at construction (the row's position in the input), or else
   * {@code id * 0x9E3779B97F4A7C15 + i}, distinct for the rows of one block.
   */
  public final long rowKey(int i) {
    return rowKeys != null ? rowKeys[i] : id * 0x9E3779B97F4A7C15L + i;
  }

  public final int numRows() {
    return labels.length;
  }

  public final int numFeatures() {
    return numFeatures;
  }

  /** Label of row {@code i}: a class index, or a real target. */
  public final double label(int i) {
    return labels[i];
  }

  /** Instance weight of row {@code i}, finite and {@code >= 0}. */
  public final double weight(int i) {
    return weights[i];
  }

  /** Sum of the instance weights of this block. */
  public final double weightSum() {
    double s = 0.0;
    for (double w : weights) {
      s += w;
    }
    return s;
  }

  /** Number of stored feature values (for a dense block, {@code n * d}). */
  public abstract long numStored();

  /** Number of stored feature values of row {@code i} (for a dense block, {@code d}). */
  public abstract int numStoredInRow(int i);

  /** The part of {@link #sizeInBytes()} that does not depend on the rows. */
  public static final long BLOCK_OVERHEAD_BYTES = 64;

  /** Approximate in-memory size, for memory budgets. */
  public long sizeInBytes() {
    return (rowKeys == null ? 16L : 24L) * numRows() + 12L * numStored() + BLOCK_OVERHEAD_BYTES;
  }

  /**
   * The bytes row {@code i} adds to the {@link #sizeInBytes()} of a block {@link #select}ed from
   * this one (a selection keeps explicit row keys): key, label and weight, 12 per stored value.
   */
  public final long selectedRowBytes(int i) {
    return 24L + 12L * numStoredInRow(i);
  }

  /**
   * {@code out[i] = z_i . coef} for every row.
   *
   * @param coef length {@code d (+1)}. Not modified.
   * @param out length at least {@code n}. Modified.
   */
  public final void multiply(double[] coef, boolean intercept, double[] out) {
    multiply(coef, intercept, out, 0, numRows());
  }

  /**
   * {@code out[i] = z_i . coef} for the rows {@code from <= i < to}: each row's result is the
   * same bits whatever range it is computed in (a pass may go over a block in tiles of rows).
   *
   * @param coef length {@code d (+1)}. Not modified.
   * @param out length at least {@code to}; only {@code [from, to)} is written. Modified.
   */
  public final void multiply(double[] coef, boolean intercept, double[] out, int from, int to) {
    checkCoefficients(coef.length, intercept);
    checkRows(from, to);
    double b = intercept ? coef[numFeatures] : 0.0;
    for (int i = from; i < to; i++) {
      out[i] = b + rowDot(i, coef);
    }
  }

  /**
   * {@code outA[i] = z_i . a} and {@code outB[i] = z_i . b} for every row, in one sweep over the
   * rows: each result is bit for bit what {@link #multiply} gives (the same partial sums in the
   * same order), the stored values are read once instead of twice.
   *
   * @param a length {@code d (+1)}. Not modified.
   * @param b length {@code d (+1)}. Not modified.
   * @param outA length at least {@code n}. Modified.
   * @param outB length at least {@code n}. Modified.
   */
  public final void multiplyTwo(
      double[] a, double[] b, boolean intercept, double[] outA, double[] outB) {
    checkCoefficients(a.length, intercept);
    checkCoefficients(b.length, intercept);
    double a0 = intercept ? a[numFeatures] : 0.0;
    double b0 = intercept ? b[numFeatures] : 0.0;
    for (int i = 0; i < numRows(); i++) {
      // The second product reads the row from cache.
      outA[i] = a0 + rowDot(i, a);
      outB[i] = b0 + rowDot(i, b);
    }
  }

  /**
   * {@code out += Z^T diag(scale) Z v} in one sweep over the rows: each row's product
   * {@code u_i = z_i . v} as {@link #multiply} computes it, then {@code s_i = u_i scale_i} added
   * to {@code out} as {@link #addTransposeTimes} adds it, while the row's stored values are still
   * in cache; so {@code out} is bit for bit what those two sweeps give, and the values are read
   * from memory once instead of twice (a Hessian-vector product of a single-output model).
   *
   * @param v length {@code d (+1)}. Not modified.
   * @param scale length at least {@code n}. Not modified.
   * @param out length {@code d (+1)}. Modified.
   */
  public final void addScaledRowProducts(
      double[] v, double[] scale, boolean intercept, double[] out) {
    checkCoefficients(v.length, intercept);
    checkCoefficients(out.length, intercept);
    double b = intercept ? v[numFeatures] : 0.0;
    double total = 0.0;
    for (int i = 0; i < numRows(); i++) {
      // multiply's product, then addTransposeTimes's update: the same terms in the same order.
      total += addRowTerm(i, (b + rowDot(i, v)) * scale[i], out);
    }
    if (intercept) {
      out[numFeatures] += total;
    }
  }

  /**
   * {@code out += sum_i s_i z_i} ({@code out += Z^T s}).
   *
   * @param s length at least {@code n}. Not modified.
   * @param out length {@code d (+1)}. Modified.
   */
  public final void addTransposeTimes(double[] s, boolean intercept, double[] out) {
    addTransposeTimes(s, intercept, out, 0, numRows());
  }

  /**
   * {@code out += sum_i s_i z_i} over the rows {@code from <= i < to}. Each feature's entry adds
   * its terms in row order, so consecutive ranges give it the bits one call over their union
   * gives; the intercept's entry adds the range's sum of {@code s_i} (one addition per call).
   *
   * @param s length at least {@code to}; {@code [from, to)} is read. Not modified.
   * @param out length {@code d (+1)}. Modified.
   */
  public final void addTransposeTimes(
      double[] s, boolean intercept, double[] out, int from, int to) {
    checkCoefficients(out.length, intercept);
    checkRows(from, to);
    double total = 0.0;
    for (int i = from; i < to; i++) {
      total += addRowTerm(i, s[i], out);
    }
    if (intercept) {
      out[numFeatures] += total;
    }
  }

  /**
   * {@code out += s_i z_i} over the features unless {@code s_i} is zero (a zero row term is
   * skipped); returns {@code s_i}, the row's term of the intercept's entry. (The intercept's sum
   * starts at {@code +0} and never becomes {@code -0}, so adding a zero term leaves it as skipping
   * it did.)
   */
  private double addRowTerm(int i, double si, double[] out) {
    if (si != 0.0) {
      addScaledRow(i, si, out);
    }
    return si;
  }

  /**
   * {@code z_i . v} over the {@code d} features of row {@code i} (no intercept term): the row
   * product every single-vector kernel above is built from, so that each gives a row the same
   * bits.
   *
   * @param v length at least {@code d}. Not modified.
   */
  protected abstract double rowDot(int i, double[] v);

  /**
   * {@code out[j] += s z_ij} over the {@code d} features of row {@code i} (no intercept term).
   *
   * @param out length at least {@code d}. Modified.
   */
  protected abstract void addScaledRow(int i, double s, double[] out);

  /**
   * {@code out_j += sum_i s_i z_ij^2}: the diagonal of {@code Z^T diag(s) Z}.
   *
   * @param s length at least {@code n}. Not modified.
   * @param out length {@code d (+1)}. Modified.
   */
  public final void addWeightedSquares(double[] s, boolean intercept, double[] out) {
    checkCoefficients(out.length, intercept);
    addWeightedSquares(s, 0, intercept, out, 0);
  }

  /**
   * {@code out[outOffset + j] += sum_i s[sOffset + i] z_ij^2}, the same diagonal read from and
   * written to slices (one output of a multi-output model).
   *
   * @param s length at least {@code sOffset + n}. Not modified.
   * @param out length at least {@code outOffset + d (+1)}. Modified.
   */
  public abstract void addWeightedSquares(
      double[] s, int sOffset, boolean intercept, double[] out, int outOffset);

  /**
   * {@code out = Z V}, an {@code n x r} column-major product.
   *
   * @param v {@code d (+1) x r}. Not modified.
   * @param out length at least {@code n * r}; column {@code j} starts at {@code j * n}. Modified.
   */
  public abstract void multiplyBlock(ColumnMatrix v, boolean intercept, double[] out);

  /**
   * {@code out += Z^T S} for an {@code n x r} column-major {@code S}.
   *
   * @param s column {@code j} starts at {@code j * n}. Not modified.
   * @param out {@code d (+1) x r}. Modified.
   */
  public abstract void addTransposeTimesBlock(double[] s, boolean intercept, ColumnMatrix out);

  /**
   * {@code out += Z^T diag(s) Z} on the lower triangle (row index {@code >=} column index) only.
   *
   * @param s length at least {@code n}. Not modified.
   * @param out {@code d (+1) x d (+1)}; its strict upper triangle is not touched. Modified.
   */
  public abstract void addWeightedGramLower(double[] s, boolean intercept, ColumnMatrix out);

  /**
   * {@code out[j n + i] += scale x_ij} for every stored feature: the block added, scaled, into a
   * column-major {@code n x d} array (an autoencoder's outputs are its reconstruction minus the
   * row).
   *
   * @param out length at least {@code n d}. Modified.
   */
  public abstract void addScaledTo(double scale, double[] out);

  /**
   * A new block of the same rows (same id, labels and weights, shared) whose every stored feature
   * is squared, {@code x_ij^2}: with it, sums of squared per-row gradients
   * {@code sum_i s_i x_ij^2} of several outputs at once are one {@link #addTransposeTimesBlock}.
   */
  public abstract RowBlock squaredEntries();

  /**
   * A new block of the given rows, in the given order, with the same id.
   *
   * @param rows strictly increasing row indices. Not modified.
   */
  public abstract RowBlock select(int[] rows);

  /** The labels of the rows in {@code rows}. */
  protected final double[] selectLabels(int[] rows) {
    double[] out = new double[rows.length];
    for (int k = 0; k < rows.length; k++) {
      out[k] = labels[rows[k]];
    }
    return out;
  }

  /** The weights of the rows in {@code rows}. */
  protected final double[] selectWeights(int[] rows) {
    double[] out = new double[rows.length];
    for (int k = 0; k < rows.length; k++) {
      out[k] = weights[rows[k]];
    }
    return out;
  }

  /** The row keys of the rows in {@code rows} (null when they derive from the id). */
  protected final long[] selectRowKeys(int[] rows) {
    if (rowKeys == null) {
      // Derived keys depend on the row index, which selection changes: keep them explicitly.
      long[] out = new long[rows.length];
      for (int k = 0; k < rows.length; k++) {
        out[k] = rowKey(rows[k]);
      }
      return out;
    }
    long[] out = new long[rows.length];
    for (int k = 0; k < rows.length; k++) {
      out[k] = rowKeys[rows[k]];
    }
    return out;
  }

  /** The row keys themselves (or null), for a derived block of the same rows. Not to be modified. */
  protected final long[] rowKeyArray() {
    return rowKeys;
  }

  /** The labels themselves, for a derived block of the same rows. Not to be modified. */
  protected final double[] labelArray() {
    return labels;
  }

  /** The weights themselves, for a derived block of the same rows. Not to be modified. */
  protected final double[] weightArray() {
    return weights;
  }

  /** Length of a coefficient vector for this block. */
  public final int coefficientLength(boolean intercept) {
    return intercept ? numFeatures + 1 : numFeatures;
  }

  /** Rejects a row range outside {@code [0, n]}. */
  protected final void checkRows(int from, int to) {
    if (from < 0 || to < from || to > numRows()) {
      throw new IndexOutOfBoundsException(
          "rows [" + from + ", " + to + ") of block " + id + " with " + numRows() + " rows");
    }
  }

  protected final void checkCoefficients(int length, boolean intercept) {
    if (length != coefficientLength(intercept)) {
      throw new IllegalArgumentException(
          "expected " + coefficientLength(intercept) + " coefficients (" + numFeatures
              + " features" + (intercept ? " + intercept" : "") + ") but got " + length);
    }
  }
}
