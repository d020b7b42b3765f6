package dev.sparknewton.linalg;

import java.util.Locale;

/**
 * The inner loops of the dense row kernels ({@code data.DenseRowBlock}: row products, the
 * transposed product, the one-sweep Hessian-vector product) and of a CSR row against a
 * feature-major matrix ({@link #gatherRow}, {@link #scatterRow}), in a Vector API form
 * ({@link RowKernelsVector}) where this JVM has one, else in scalar loops. C2 vectorizes neither
 * loop on Java 17 (a sum, and an axpy whose arrays have different offsets), so the scalar forms
 * run a dense row's values one at a time: the transposed product over the JMH benchmark's dense
 * blocks took about as long as reading them from memory even when they were in cache.
 *
 * <p>The vector forms need the incubator module {@code jdk.incubator.vector} resolved
 * ({@code --add-modules=jdk.incubator.vector}, as {@code jobs/} and the tests run) and an x86-64
 * processor with 256-bit vectors or wider; elsewhere (the module absent; ARM, where JDK 17's
 * vectors are 128-bit NEON at best) the scalar loops run. The property
 * {@code -Dsparknewton.scalarKernels=true} forces them. The two forms agree to rounding (they add
 * a sum's terms in different partial sums, and the vector axpy rounds once where the scalar one
 * rounds twice); each gives the same bits run after run, interpreted or compiled.
 */
public final class RowKernels {
  /** Whether the vector forms run on this JVM (also {@code models.LogisticKernels}'). */
  public static final boolean VECTOR = vectorUsable();

  private RowKernels() {}

  /**
   * {@code sum_j x[xOffset + j] y[j]} over {@code j < length}. Not modified.
   */
  public static double dot(double[] x, int xOffset, double[] y, int length) {
    return VECTOR
        ? RowKernelsVector.dot(x, xOffset, y, length)
        : Vectors.dot4(x, xOffset, y, length);
  }

  /**
   * {@code y[j] += a x[xOffset + j]} for {@code j < length}.
   *
   * @param x Not modified.
   * @param y Modified.
   */
  public static void axpy(double a, double[] x, int xOffset, double[] y, int length) {
    if (VECTOR) {
      RowKernelsVector.axpy(a, x, xOffset, y, length);
      return;
    }
    for (int j = 0; j < length; j++) {
      y[j] += a * x[xOffset + j];
    }
  }

  /**
   * The row length of a feature-major matrix of {@code width} columns that {@link #gatherRow} and
   * {@link #scatterRow} take in whole vectors: {@code width} rounded up to a multiple of the
   * vector length where the vector forms run, else {@code width}. Over the JMH benchmark's CSR
   * blocks ({@code d = 20,000}) a row of 10 took 16.5 ms a gather pass against 11-16 for 16
   * (two entries in the scalar loop for each stored value).
   */
  public static int paddedWidth(int width) {
    if (!VECTOR) {
      return width;
    }
    int lanes = RowKernelsVector.lanes();
    return (width + lanes - 1) / lanes * lanes;
  }

  /**
   * The product of a sparse row with a feature-major matrix: {@code acc[q] = acc[q] + x_k
   * vt[j_k width + q]} for {@code q < width} and the stored values {@code x_k = values[k]},
   * {@code j_k = columns[k]}, {@code from <= k < to}, in that order. Each entry of {@code acc}
   * adds its terms in {@code k} order, each a product rounded and then added (no fused
   * multiply-add), so both forms give the bits of the scalar loop, which are those of one
   * column-major gather per column ({@code data.SparseRowBlock}'s column-outer block product).
   *
   * @param vt row {@code j} at {@code [j width, (j + 1) width)}. Not modified.
   * @param acc length at least {@code width}. Modified.
   */
  public static void gatherRow(double[] values, int[] columns, int from, int to, double[] vt,
      int width, double[] acc) {
    if (VECTOR && width >= RowKernelsVector.lanes()) {
      RowKernelsVector.gatherRow(values, columns, from, to, vt, width, acc);
      return;
    }
    gatherRowScalar(values, columns, from, to, vt, width, acc, 0);
  }

  /** {@link #gatherRow} for the entries {@code first <= q < width}. */
  static void gatherRowScalar(double[] values, int[] columns, int from, int to, double[] vt,
      int width, double[] acc, int first) {
    for (int k = from; k < to; k++) {
      double x = values[k];
      int row = columns[k] * width;
      for (int q = first; q < width; q++) {
        acc[q] += x * vt[row + q];
      }
    }
  }

  /**
   * The transposed product of a sparse row into a feature-major matrix: {@code gt[j_k width + q]
   * += x_k s[q]} for {@code q < width} and the stored values of {@link #gatherRow}, in order;
   * each entry a product rounded and then added, in both forms.
   *
   * @param s Not modified.
   * @param gt Modified.
   */
  public static void scatterRow(double[] values, int[] columns, int from, int to, double[] s,
      int width, double[] gt) {
    if (VECTOR && width >= RowKernelsVector.lanes()) {
      RowKernelsVector.scatterRow(values, columns, from, to, s, width, gt);
      return;
    }
    scatterRowScalar(values, columns, from, to, s, width, gt, 0);
  }

  /** {@link #scatterRow} for the entries {@code first <= q < width}. */
  static void scatterRowScalar(double[] values, int[] columns, int from, int to, double[] s,
      int width, double[] gt, int first) {
    for (int k = from; k < to; k++) {
      double x = values[k];
      int row = columns[k] * width;
      for (int q = first; q < width; q++) {
        gt[row + q] += x * s[q];
      }
    }
  }

  private static boolean vectorUsable() {
    if (Boolean.getBoolean("sparknewton.scalarKernels")) {
      return false;
    }
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    if (!arch.equals("amd64") && !arch.equals("x86_64")) {
      return false;
    }
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return false;
    }
    try {
      return RowKernelsVector.lanes() >= 4;
    } catch (LinkageError e) {
      return false;
    }
  }
}
