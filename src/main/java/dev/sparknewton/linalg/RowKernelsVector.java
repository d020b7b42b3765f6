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
 * multiply-add), so a result does not depend on where a term falls.
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
}
