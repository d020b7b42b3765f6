package dev.sparknewton.linalg;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector forms of {@link RowKernels}, the only class of this package that names the incubator
 * module {@code jdk.incubator.vector}: loaded only where {@link RowKernels#VECTOR} found it. C2
 * does not vectorize these loops on Java 17 (an axpy whose two arrays have different offsets,
 * a sum), so they are written with the Vector API: a dense row of 100 values is then 13 vector
 * operations instead of 100 scalar ones. Every lane does what the scalar tail does (a fused
 * multiply-add in {@code dot} and {@code axpy}; a product and then an add in the feature-major
 * row kernels), so a result does not depend on where a term falls.
 */
final class RowKernelsVector {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  private RowKernelsVector() {}

  static int lanes() {
    return SPECIES.length();
  }

  /** {@link RowKernels#dot}. */
  static double dot(double[] x, int xOffset, double[] y, int length) {
    int lanes = SPECIES.length();
    int bound = SPECIES.loopBound(length);
    // Two vector partial sums (whole vectors alternating between them), added lane by lane,
    // then the lanes in order, then the tail in order.
    DoubleVector s0 = DoubleVector.zero(SPECIES);
    DoubleVector s1 = DoubleVector.zero(SPECIES);
    int j = 0;
    for (; j + lanes < bound; j += 2 * lanes) {
      s0 = DoubleVector.fromArray(SPECIES, x, xOffset + j)
          .fma(DoubleVector.fromArray(SPECIES, y, j), s0);
      s1 = DoubleVector.fromArray(SPECIES, x, xOffset + j + lanes)
          .fma(DoubleVector.fromArray(SPECIES, y, j + lanes), s1);
    }
    if (j < bound) {
      s0 = DoubleVector.fromArray(SPECIES, x, xOffset + j)
          .fma(DoubleVector.fromArray(SPECIES, y, j), s0);
      j += lanes;
    }
    double s = s0.add(s1).reduceLanes(VectorOperators.ADD);
    for (; j < length; j++) {
      s = Math.fma(x[xOffset + j], y[j], s);
    }
    return s;
  }

  /** {@link RowKernels#axpy}. */
  static void axpy(double a, double[] x, int xOffset, double[] y, int length) {
    int lanes = SPECIES.length();
    int bound = SPECIES.loopBound(length);
    DoubleVector va = DoubleVector.broadcast(SPECIES, a);
    int j = 0;
    for (; j < bound; j += lanes) {
      DoubleVector.fromArray(SPECIES, x, xOffset + j)
          .fma(va, DoubleVector.fromArray(SPECIES, y, j))
          .intoArray(y, j);
    }
    for (; j < length; j++) {
      y[j] = Math.fma(a, x[xOffset + j], y[j]);
    }
  }

  /**
   * {@link RowKernels#gatherRow}: whole vectors of {@code acc} four, two or one at a time (each a
   * chain of adds in {@code k} order; the vectors of a group are independent chains), then the
   * entries past the last whole vector in the scalar loop.
   */
  static void gatherRow(double[] values, int[] columns, int from, int to, double[] vt, int width,
      double[] acc) {
    int lanes = SPECIES.length();
    int q = 0;
    for (; q + 4 * lanes <= width; q += 4 * lanes) {
      DoubleVector a0 = DoubleVector.fromArray(SPECIES, acc, q);
      DoubleVector a1 = DoubleVector.fromArray(SPECIES, acc, q + lanes);
      DoubleVector a2 = DoubleVector.fromArray(SPECIES, acc, q + 2 * lanes);
      DoubleVector a3 = DoubleVector.fromArray(SPECIES, acc, q + 3 * lanes);
      for (int k = from; k < to; k++) {
        double x = values[k];
        int row = columns[k] * width + q;
        a0 = a0.add(DoubleVector.fromArray(SPECIES, vt, row).mul(x));
        a1 = a1.add(DoubleVector.fromArray(SPECIES, vt, row + lanes).mul(x));
        a2 = a2.add(DoubleVector.fromArray(SPECIES, vt, row + 2 * lanes).mul(x));
        a3 = a3.add(DoubleVector.fromArray(SPECIES, vt, row + 3 * lanes).mul(x));
      }
      a0.intoArray(acc, q);
      a1.intoArray(acc, q + lanes);
      a2.intoArray(acc, q + 2 * lanes);
      a3.intoArray(acc, q + 3 * lanes);
    }
    if (q + 2 * lanes <= width) {
      DoubleVector a0 = DoubleVector.fromArray(SPECIES, acc, q);
      DoubleVector a1 = DoubleVector.fromArray(SPECIES, acc, q + lanes);
      for (int k = from; k < to; k++) {
        double x = values[k];
        int row = columns[k] * width + q;
        a0 = a0.add(DoubleVector.fromArray(SPECIES, vt, row).mul(x));
        a1 = a1.add(DoubleVector.fromArray(SPECIES, vt, row + lanes).mul(x));
      }
      a0.intoArray(acc, q);
      a1.intoArray(acc, q + lanes);
      q += 2 * lanes;
    }
    if (q + lanes <= width) {
      DoubleVector a0 = DoubleVector.fromArray(SPECIES, acc, q);
      for (int k = from; k < to; k++) {
        a0 = a0.add(DoubleVector.fromArray(SPECIES, vt, columns[k] * width + q).mul(values[k]));
      }
      a0.intoArray(acc, q);
      q += lanes;
    }
    if (q < width) {
      RowKernels.gatherRowScalar(values, columns, from, to, vt, width, acc, q);
    }
  }

  /** {@link RowKernels#scatterRow}: whole vectors of each row of {@code gt}, then the rest. */
  static void scatterRow(double[] values, int[] columns, int from, int to, double[] s, int width,
      double[] gt) {
    int lanes = SPECIES.length();
    int bound = SPECIES.loopBound(width);
    for (int k = from; k < to; k++) {
      double x = values[k];
      int row = columns[k] * width;
      for (int q = 0; q < bound; q += lanes) {
        DoubleVector.fromArray(SPECIES, gt, row + q)
            .add(DoubleVector.fromArray(SPECIES, s, q).mul(x))
            .intoArray(gt, row + q);
      }
    }
    if (bound < width) {
      RowKernels.scatterRowScalar(values, columns, from, to, s, width, gt, bound);
    }
  }
}
