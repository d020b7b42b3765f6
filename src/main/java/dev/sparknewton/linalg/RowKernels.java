package dev.sparknewton.linalg;

import java.util.Locale;

/**
 * The inner loops of the dense row kernels ({@code data.DenseRowBlock}: row products, the
 * transposed product, the one-sweep Hessian-vector product), in a Vector API form
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
