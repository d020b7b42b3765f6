package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.SparseRowBlock;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.RowKernels;

/**
 * A linear model with {@code K} outputs, {@code z = W x + b} ({@code W} is {@code K x d}), under a
 * loss of {@code K} outputs: binary logistic regression ({@code K = 1}, {@link LogisticLoss}),
 * multinomial logistic regression ({@link SoftmaxCrossEntropy}) and least squares
 * ({@link SquaredLoss}).
 *
 * <p><b>Parameter layout</b> (the only place it is defined): {@code theta} is the column-major
 * {@code (d + 1) x K} matrix whose column {@code k} is {@code [w_k; b_k]}, i.e.
 * {@code theta[k (d + 1) + j] = W_kj} for {@code j < d} and {@code theta[k (d + 1) + d] = b_k};
 * without an intercept the matrix is {@code d x K}. For {@code K = 1} this is {@code [w; b]}.
 * Every intercept is unpenalized (as in Spark MLlib); every coefficient, of every class, is
 * penalized.
 *
 * <p>With {@code x~ = [x; 1]} the Jacobian of row {@code i} is {@code I_K (x) x~_i^T}, so
 * {@code J V} for a block of directions is one matrix product {@code X~ V'} where {@code V'} is
 * the same memory seen as a {@code (d + 1) x (K r)} matrix; dense blocks run it through BLAS.
 * For these canonical-link models the exact Hessian of the loss equals the Gauss-Newton matrix
 * {@code J^T H_l J}: the second term {@code sum_k (dl/dz_k) d^2 z_k / dtheta^2} vanishes because
 * {@code z} is linear in {@code theta}.
 */
public final class LinearModel implements Model {
  private static final long serialVersionUID = 1L;

  /**
   * The bytes of stored data in a tile of the single-output gradient pass ({@link #forward}):
   * small against a core's L2 (0.5-2 MB on current x86 servers), large against the per-tile
   * overhead. Over the JMH kernel benchmark's CSR blocks (48 stored values a row) 64 KB tiles
   * took 6.8-6.9 ms a pass, 16 KB 7.1, 256 KB 7.1-7.3, untiled 7.5-8.2 (docs/benchmarks.md).
   */
  static final long TILE_BYTES = 64L << 10;

  /**
   * The fewest columns ({@code r}) for which a task's curvature products run feature-major
   * ({@link #curvatureProducts}). Measured over CSR blocks (both forms alternating in one JVM,
   * medians of 7; docs/benchmarks.md): at 2 and 4 columns the column-major sweeps, each over
   * {@code v}'s and {@code out}'s columns in cache, took 0.3-1.0x the time (the feature-major
   * rows' gathers and scatters chain on each other); at 8 or more the feature-major sweep took
   * 1.2-4.8x less (d = 784 to 10^6, 20-150 stored values a row) in one thread, 1.5-3.65x with two.
   */
  static final int FEATURE_MAJOR_MIN_WIDTH = 8;

  /**
   * The feature-major workspace that stays in a core's share of the last-level cache (32 MB
   * for 2 cores here): up to it the products run feature-major from {@link
   * #FEATURE_MAJOR_MIN_WIDTH} columns. Beyond it each stored value's rows come from memory, which
   * pays only for wide rows ({@link #FEATURE_MAJOR_WIDE}): with two threads at once, 20 columns
   * at {@code d = 62,061} (20 MB) ran 0.7-1.0x the column-major time, news20's sketch
   * ({@code r = 113}: 115 MB) 3.6x faster.
   */
  static final long FEATURE_MAJOR_CACHE_BYTES = 8L << 20;

  /** The columns from which a feature-major workspace beyond the cache still pays. */
  static final int FEATURE_MAJOR_WIDE = 32;

  /**
   * The largest feature-major workspace of a task's curvature products ({@code V} and the partial
   * sum: {@code 16 (d + 1) r} bytes with {@code r} rounded up to whole vectors), twice the
   * column-major sum the task holds anyway: 256 MB takes news20's sketch ({@code d = 62,061},
   * {@code r = 113}: 115 MB).
   */
  static final long FEATURE_MAJOR_MAX_BYTES = 256L << 20;

  /** Whether a single-output model's curvature products with {@code r} columns run feature-major. */
  boolean featureMajorPays(long width) {
    if (width < FEATURE_MAJOR_MIN_WIDTH || width > Integer.MAX_VALUE / 2) {
      return false;
    }
    long bytes = 16L * rowsPerOutput * RowKernels.paddedWidth((int) width);
    return bytes <= FEATURE_MAJOR_MAX_BYTES
        && (bytes <= FEATURE_MAJOR_CACHE_BYTES || width >= FEATURE_MAJOR_WIDE);
  }

  private final int numFeatures;
  private final boolean intercept;
  private final OutputLoss loss;
  private final int rowsPerOutput;
  private final int dimension;

  /**
   * @param numFeatures {@code d >= 1}
   * @param intercept whether {@code b} is fitted
   * @throws IllegalArgumentException when {@code (d + 1) K} does not fit an {@code int}
   */
  public LinearModel(int numFeatures, boolean intercept, OutputLoss loss) {
    if (numFeatures < 1) {
      throw new IllegalArgumentException("a linear model needs >= 1 feature, got " + numFeatures);
    }
    this.numFeatures = numFeatures;
    this.intercept = intercept;
    this.loss = loss;
    this.rowsPerOutput = intercept ? numFeatures + 1 : numFeatures;
    long p = (long) rowsPerOutput * loss.numOutputs();
    if (p > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a linear model of " + numFeatures + " features and "
          + loss.numOutputs() + " outputs has " + p + " parameters, more than a Java array holds");
    }
    this.dimension = (int) p;
  }

  public int numFeatures() {
    return numFeatures;
  }

  public boolean intercept() {
    return intercept;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int numOutputs() {
    return loss.numOutputs();
  }

  @Override
  public OutputLoss loss() {
    return loss;
  }

  @Override
  public boolean[] penalized() {
    boolean[] mask = new boolean[dimension];
    for (int k = 0; k < numOutputs(); k++) {
      for (int j = 0; j < numFeatures; j++) {
        mask[k * rowsPerOutput + j] = true;
      }
    }
    return mask;
  }

  /** The index of {@code W_kj} in {@code theta}. */
  public int coefficientIndex(int k, int j) {
    return k * rowsPerOutput + j;
  }

  /** {@code W} as {@code K} rows of {@code d}, copied out of {@code theta}. */
  public double[][] coefficients(double[] theta) {
    checkLength(theta.length);
    double[][] w = new double[numOutputs()][];
    for (int k = 0; k < w.length; k++) {
      w[k] = java.util.Arrays.copyOfRange(theta, k * rowsPerOutput, k * rowsPerOutput + numFeatures);
    }
    return w;
  }

  /** {@code b} ({@code K} zeros without an intercept), copied out of {@code theta}. */
  public double[] intercepts(double[] theta) {
    checkLength(theta.length);
    double[] b = new double[numOutputs()];
    if (intercept) {
      for (int k = 0; k < b.length; k++) {
        b[k] = theta[k * rowsPerOutput + numFeatures];
      }
    }
    return b;
  }

  /**
   * {@code theta} from {@code W} ({@code K x d}) and {@code b} ({@code K}); {@code b} must be all
   * zeros without an intercept. Not modified.
   */
  public double[] parameters(double[][] coefficients, double[] intercepts) {
    int k = numOutputs();
    if (coefficients.length != k || intercepts.length != k) {
      throw new IllegalArgumentException("expected " + k + " coefficient rows and intercepts, got "
          + coefficients.length + " and " + intercepts.length);
    }
    double[] theta = new double[dimension];
    for (int c = 0; c < k; c++) {
      if (coefficients[c].length != numFeatures) {
        throw new IllegalArgumentException("coefficient row " + c + " has "
            + coefficients[c].length + " entries, expected " + numFeatures);
      }
      System.arraycopy(coefficients[c], 0, theta, c * rowsPerOutput, numFeatures);
      if (intercept) {
        theta[c * rowsPerOutput + numFeatures] = intercepts[c];
      } else if (intercepts[c] != 0.0) {
        throw new IllegalArgumentException(
            "intercept " + intercepts[c] + " of output " + c + " given to a model without intercept");
      }
    }
    return theta;
  }

  @Override
  public void outputs(RowBlock block, double[] theta, double[] out) {
    checkLength(theta.length);
    if (numOutputs() == 1) {
      block.multiply(theta, intercept, out);
    } else {
      block.multiplyBlock(new ColumnMatrix(rowsPerOutput, numOutputs(), theta), intercept, out);
    }
  }

  @Override
  public void jacobianTimes(RowBlock block, double[] theta, ColumnMatrix v, double[] out) {
    checkLength(v.rows());
    int columns = numOutputs() * v.cols();
    if (columns == 1) {
      block.multiply(v.data(), intercept, out);
    } else {
      block.multiplyBlock(new ColumnMatrix(rowsPerOutput, columns, v.data()), intercept, out);
    }
  }

  /**
   * One output and one vector (a Hessian-vector product): {@code X~^T diag(h) X~ v} in one sweep
   * over the block ({@link RowBlock#addScaledRowProducts}), {@code h_i} each row's weighted
   * curvature from {@link OutputLoss#applyCurvature} on 1; bit for bit the default's three steps.
   */
  @Override
  public void addCurvatureTimes(Curvature kind, RowBlock block, double[] theta, double[] state,
      ColumnMatrix v, ColumnMatrix out) {
    if (numOutputs() != 1 || v.cols() != 1) {
      Model.super.addCurvatureTimes(kind, block, theta, state, v, out);
      return;
    }
    checkLength(v.rows());
    checkLength(out.rows());
    int n = block.numRows();
    int width = loss.stateWidth();
    double[] scale = new double[n];
    java.util.Arrays.fill(scale, 1.0);
    for (int i = 0; i < n; i++) {
      loss.applyCurvature(state, i * width, block.weight(i), scale, i, n, scale);
    }
    block.addScaledRowProducts(v.data(), scale, intercept, out.data());
  }

  /**
   * One output and {@code r} columns that {@link #featureMajorPays} takes ({@code H V} for a
   * sketch or a Nystrom preconditioner): on CSR blocks, {@code X~^T diag(h) X~ V} in one sweep per
   * block over a feature-major copy of {@code V} made once a task, into a feature-major partial
   * sum turned column-major at {@link CurvatureProducts#flushTo}. Each stored value then reads
   * and updates one contiguous row of {@code r} entries, where the column-major products gather
   * and scatter {@code r} entries {@code d + 1} apart in {@code r} sweeps over the block. Each
   * row's products, curvature and transposed product add the same terms in the same order as
   * {@link #addCurvatureTimes}'s, so the sum over a task's blocks is the same bits (but for the
   * sign of a zero). Dense blocks take {@link #addCurvatureTimes}. Multi-output models keep the
   * column-major products: on a generated 10-class set (20 stored values a row, Zipf features)
   * the feature-major softmax passes made a Newton-CG run 10-25% slower end to end, and on news20
   * ({@code K = 20}) its driver products 1.3x slower with two threads (docs/benchmarks.md), though
   * one thread over the JMH blocks ran them 1.2-1.4x faster.
   */
  @Override
  public CurvatureProducts curvatureProducts(Curvature kind, double[] theta, ColumnMatrix v) {
    checkLength(v.rows());
    if (numOutputs() != 1 || !featureMajorPays(v.cols())) {
      return Model.super.curvatureProducts(kind, theta, v);
    }
    return new FeatureMajorCurvature(kind, theta, v);
  }

  /**
   * {@link #curvatureProducts} (one output) on a feature-major copy of {@code V}, made at the
   * first CSR block: feature {@code j}'s {@code r} entries at {@code [j stride, j stride + r)}, the
   * rest of each row ({@link RowKernels#paddedWidth}) zero.
   */
  private final class FeatureMajorCurvature implements CurvatureProducts {
    private final Curvature kind;
    private final double[] theta;
    private final ColumnMatrix v;
    private final int width;
    private final int stride;
    private double[] vt;
    private double[] gt;
    private double[] acc;

    FeatureMajorCurvature(Curvature kind, double[] theta, ColumnMatrix v) {
      this.kind = kind;
      this.theta = theta;
      this.v = v;
      this.width = v.cols();
      this.stride = RowKernels.paddedWidth(width);
    }

    @Override
    public void add(RowBlock block, double[] state, ColumnMatrix out) {
      if (!(block instanceof SparseRowBlock sparse)) {
        addCurvatureTimes(kind, block, theta, state, v, out);
        return;
      }
      checkLength(out.rows());
      if (vt == null) {
        vt = new double[rowsPerOutput * stride];
        double[] a = v.data();
        for (int q = 0; q < width; q++) {
          for (int j = 0, at = q * rowsPerOutput; j < rowsPerOutput; j++, at++) {
            vt[j * stride + q] = a[at];
          }
        }
        gt = new double[vt.length];
        acc = new double[stride];
      }
      int n = block.numRows();
      int stateWidth = loss.stateWidth();
      int interceptRow = numFeatures * stride;
      for (int i = 0; i < n; i++) {
        if (intercept) {
          System.arraycopy(vt, interceptRow, acc, 0, stride);
        } else {
          java.util.Arrays.fill(acc, 0.0);
        }
        sparse.addRowTimesFeatureMajor(i, vt, stride, acc);
        double c = block.weight(i);
        for (int col = 0; col < width; col++) {
          loss.applyCurvature(state, i * stateWidth, c, acc, col, 1, acc);
        }
        sparse.addRowUpdateFeatureMajor(i, acc, stride, gt);
        if (intercept) {
          for (int q = 0; q < width; q++) {
            gt[interceptRow + q] += acc[q];
          }
        }
      }
    }

    @Override
    public void flushTo(ColumnMatrix out) {
      if (gt != null) {
        double[] o = out.data();
        for (int q = 0; q < width; q++) {
          for (int j = 0, at = q * rowsPerOutput; j < rowsPerOutput; j++, at++) {
            o[at] += gt[j * stride + q];
          }
        }
      }
      vt = null;
      gt = null;
    }
  }

  /**
   * One output: a pass whose {@link BlockPass#addLossGradient} goes over the block in tiles of
   * rows ({@link #TILE_BYTES} of stored data each): a tile's margins, its rows' loss terms (the
   * loss's vector form, {@link OutputLoss#evaluateRows}), then its rows' update of the gradient
   * while the tile is still in cache. The stored values are read from memory once instead of
   * twice; every row's derivative and state and every feature's gradient entry are bit for bit
   * the two sweeps' (the same terms in the same order); the loss sum and the intercept's entry add
   * one partial sum per tile.
   */
  @Override
  public BlockPass forward(RowBlock block, double[] theta) {
    if (numOutputs() != 1) {
      return Model.super.forward(block, theta);
    }
    checkLength(theta.length);
    return new SingleOutputPass(block, theta);
  }

  /** The rows of a tile of {@code block}: a multiple of 8 (whole vectors), at least 8. */
  static int tileRows(RowBlock block) {
    int n = block.numRows();
    long perRow = Math.max(1L, block.sizeInBytes() / Math.max(1, n));
    long rows = Math.max(8L, TILE_BYTES / perRow / 8 * 8);
    return (int) Math.min(rows, Math.max(n, 1));
  }

  /** {@link #forward} for one output; the margins are computed by the first use. */
  private final class SingleOutputPass implements BlockPass {
    private final RowBlock block;
    private final double[] theta;
    private double[] margins;

    SingleOutputPass(RowBlock block, double[] theta) {
      this.block = block;
      this.theta = theta;
    }

    @Override
    public double[] outputs() {
      if (margins == null) {
        margins = new double[block.numRows()];
        block.multiply(theta, intercept, margins);
      }
      return margins;
    }

    @Override
    public double addLossGradient(double[] derivatives, double[] state, ColumnMatrix gradient) {
      checkLength(gradient.rows());
      int n = block.numRows();
      boolean fresh = margins == null;
      double[] z = fresh ? new double[n] : margins;
      int tile = tileRows(block);
      double sum = 0.0;
      for (int from = 0; from < n; from += tile) {
        int to = Math.min(n, from + tile);
        if (fresh) {
          block.multiply(theta, intercept, z, from, to);
        }
        sum += loss.evaluateRows(block, from, to, z, derivatives, state);
        block.addTransposeTimes(derivatives, intercept, gradient.data(), from, to);
      }
      margins = z;
      return sum;
    }

    @Override
    public void addJacobianTransposeTimes(double[] s, ColumnMatrix out) {
      LinearModel.this.addJacobianTransposeTimes(block, theta, s, out);
    }

    @Override
    public void addGaussNewtonDiagonal(double[] state, double[] out) {
      LinearModel.this.addGaussNewtonDiagonal(block, theta, state, out);
    }

    @Override
    public void addSquaredRowGradients(double[] u, double[] out) {
      LinearModel.this.addSquaredRowGradients(block, theta, u, out);
    }
  }

  /** One output: both row products in one sweep over the block ({@link RowBlock#multiplyTwo}). */
  @Override
  public void outputsAndSlopes(
      RowBlock block, double[] theta, double[] p, double[] outputs, double[] slopes) {
    if (numOutputs() != 1) {
      Model.super.outputsAndSlopes(block, theta, p, outputs, slopes);
      return;
    }
    checkLength(theta.length);
    checkLength(p.length);
    block.multiplyTwo(theta, p, intercept, outputs, slopes);
  }

  /**
   * One output, on CSR blocks: both products from one array holding {@code theta} and {@code p}
   * interleaved ({@link SparseRowBlock#multiplyTwoInterleaved}, bit for bit {@link
   * RowBlock#multiplyTwo}: a stored value's two coefficients in one cache line), made at the
   * task's first CSR block. Dense blocks and multi-output models take {@link #outputsAndSlopes}.
   */
  @Override
  public LinePass linePass(double[] theta, double[] p) {
    checkLength(theta.length);
    checkLength(p.length);
    if (numOutputs() == 1) {
      return new InterleavedLine(theta, p);
    }
    return Model.super.linePass(theta, p);
  }

  /** {@link #linePass} for one output. */
  private final class InterleavedLine implements LinePass {
    private final double[] theta;
    private final double[] p;
    private double[] both;

    InterleavedLine(double[] theta, double[] p) {
      this.theta = theta;
      this.p = p;
    }

    @Override
    public void outputsAndSlopes(RowBlock block, double[] outputs, double[] slopes) {
      if (!(block instanceof SparseRowBlock sparse)) {
        block.multiplyTwo(theta, p, intercept, outputs, slopes);
        return;
      }
      if (both == null) {
        both = new double[2 * dimension];
        for (int j = 0; j < dimension; j++) {
          both[2 * j] = theta[j];
          both[2 * j + 1] = p[j];
        }
      }
      sparse.multiplyTwoInterleaved(both, intercept, outputs, slopes);
    }
  }

  @Override
  public void addJacobianTransposeTimes(RowBlock block, double[] theta, double[] s,
      ColumnMatrix out) {
    checkLength(out.rows());
    int columns = numOutputs() * out.cols();
    if (columns == 1) {
      block.addTransposeTimes(s, intercept, out.data());
    } else {
      block.addTransposeTimesBlock(s, intercept, new ColumnMatrix(rowsPerOutput, columns, out.data()));
    }
  }

  @Override
  public boolean linearInParameters() {
    return true;
  }

  /** Output {@code k} depends on column {@code k} of {@code theta} only: {@code (H_l)_kk} is enough. */
  @Override
  public void addGaussNewtonDiagonal(RowBlock block, double[] theta, double[] state, double[] out) {
    int n = block.numRows();
    int width = loss.stateWidth();
    double[] s = new double[n * numOutputs()];
    for (int i = 0; i < n; i++) {
      double c = block.weight(i);
      for (int o = 0; o < numOutputs(); o++) {
        s[o * n + i] = c * loss.curvature(state, i * width, o, o);
      }
    }
    addWeightedSquares(block, s, out);
  }

  /** {@code (J_i^T u_i)} has entries {@code x~_ij u_ik}: their squares are weighted squares of x~. */
  @Override
  public void addSquaredRowGradients(RowBlock block, double[] theta, double[] u, double[] out) {
    double[] s = new double[block.numRows() * numOutputs()];
    for (int j = 0; j < s.length; j++) {
      s[j] = u[j] * u[j];
    }
    addWeightedSquares(block, s, out);
  }

  /** {@code out[k (d+1) + j] += sum_i s_ik x~_ij^2} for an {@code n x K} array {@code s}. */
  private void addWeightedSquares(RowBlock block, double[] s, double[] out) {
    checkLength(out.length);
    int n = block.numRows();
    for (int k = 0; k < numOutputs(); k++) {
      block.addWeightedSquares(s, k * n, intercept, out, k * rowsPerOutput);
    }
  }

  @Override
  public void addGaussNewtonLower(RowBlock block, double[] theta, double[] state, ColumnMatrix out) {
    checkLength(out.rows());
    int n = block.numRows();
    int k = numOutputs();
    int width = loss.stateWidth();
    double[] s = new double[n];
    if (k == 1) {
      for (int i = 0; i < n; i++) {
        s[i] = block.weight(i) * loss.curvature(state, i * width, 0, 0);
      }
      block.addWeightedGramLower(s, intercept, out);
      return;
    }
    // Block (a, b) of J^T H J is sum_i c_i (H_l)_ab x~_i x~_i^T: one weighted Gram matrix per pair
    // a >= b, each symmetric, so the blocks below the diagonal are filled in whole.
    int m = rowsPerOutput;
    ColumnMatrix gram = ColumnMatrix.zeros(m, m);
    double[] g = gram.data();
    double[] o = out.data();
    int ld = out.rows();
    for (int a = 0; a < k; a++) {
      for (int b = 0; b <= a; b++) {
        for (int i = 0; i < n; i++) {
          s[i] = block.weight(i) * loss.curvature(state, i * width, a, b);
        }
        java.util.Arrays.fill(g, 0.0);
        block.addWeightedGramLower(s, intercept, gram);
        for (int col = 0; col < m; col++) {
          int target = (b * m + col) * ld + a * m;
          for (int row = a == b ? col : 0; row < m; row++) {
            o[target + row] += row >= col ? g[col * m + row] : g[row * m + col];
          }
        }
      }
    }
  }

  private void checkLength(int length) {
    if (length != dimension) {
      throw new IllegalArgumentException("expected " + dimension + " parameters (" + numOutputs()
          + " x (" + numFeatures + " features" + (intercept ? " + intercept" : "") + ")), got "
          + length);
    }
  }

  @Override
  public String toString() {
    return "linear model, " + numFeatures + " features" + (intercept ? " + intercept" : "")
        + ", " + loss;
  }
}
