package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector forms of {@link LogisticKernels}, the only class that names the incubator module
 * {@code jdk.incubator.vector}: loaded only where {@link LogisticKernels#VECTOR} found it. The rows
 * {@link #SPECIES lanes} at a time, in the overflow-free forms of {@link LogisticLoss}:
 * {@code l(m) = max(m, 0) + log1p(e) - y m} and {@code sigma(m) = 1 / (1 + e)} or
 * {@code e (1 / (1 + e))} by the sign of {@code m}, from one {@code e = exp(-|m|)}
 * ({@link #softplus}) and one division. The rows past the last whole vector go through the same
 * vector functions in a padded copy: a row's results are then the same bits wherever it falls in its block (and in a
 * block of the driver's sample, or of a resumed run's recomputed curvature state), as the scalar
 * loops' are.
 *
 * <p>Vectors cross no method boundary here (every loop over vectors is inside one method, and
 * the methods pass arrays): a vector argument or result of a call that C2 does not inline is
 * boxed, which made a separate vector {@code exp} method slower than {@link Math#exp}.
 */
final class LogisticKernelsVector {
  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;

  // exp and log1p from IEEE additions, multiplications and divisions alone. The Vector API's own
  // lanewise EXP and LOG1P are not usable here: until C2 compiles a loop they run Math.exp and
  // StrictMath.log1p lane by lane, after it Intel's SVML, which differ in the last bit, so a run's
  // numbers would depend on when the JIT compiler got to them (two identical runs differed).

  /** {@code 2^52 + 2^51}: adding it rounds a double below 2^51 in magnitude to an integer. */
  private static final double ROUND = 0x1.8p52;
  private static final long ROUND_BITS = Double.doubleToRawLongBits(ROUND);
  private static final double INV_LN2 = 1.4426950408889634;
  /** ln 2 in two parts (fdlibm's): {@code k LN2_HI} is exact for {@code |k| < 2^20}. */
  private static final double LN2_HI = 6.93147180369123816490e-01;
  private static final double LN2_LO = 1.90821492927058770002e-10;
  private static final double SQRT2 = 1.4142135623730951;

  private LogisticKernelsVector() {}

  static int lanes() {
    return SPECIES.length();
  }

  /** {@code n} rounded up to whole vectors. */
  static int padded(int n) {
    return SPECIES.loopBound(n + SPECIES.length() - 1);
  }

  /**
   * For the margins {@code m[0 ..< length)} ({@code length} a multiple of the lanes):
   * {@code e[i] = exp(-|m_i|)} and {@code l[i] = max(m_i, 0) + log1p(e_i) = log(1 + exp(m_i))},
   * each to about an ulp.
   *
   * <p>{@code exp(x)}, {@code x = -|m| <= 0}: {@code x = k ln 2 + r}, {@code |r| <= ln 2 / 2},
   * {@code e^r} by its Taylor series to {@code r^13} (the rest below 5e-18 relative), times
   * {@code 2^k} as two exact powers of two (so that a result below the normal range rounds once);
   * 0 below -745.2, where {@code exp} rounds to 0. {@code log(1 + e)}, {@code 0 <= e <= 1}:
   * {@code u = 1 + e} rounded and its error {@code c = e - (u - 1)} (exact); {@code u = 2^j f},
   * {@code f in [sqrt(2)/2, sqrt(2)]}; {@code log f = 2 atanh(s)}, {@code s = (f - 1) / (f + 1)},
   * {@code |s| <= 0.172}, by its series to {@code s^23}; then {@code j ln 2 + log f + c / u}.
   * NaN margins give NaN.
   *
   * <p>Both series are summed by Estrin's scheme in fused multiply-adds (exactly rounded, so the
   * same bits interpreted and compiled): each is a chain of 4 dependent operations where Horner's
   * rule is one of 12 and 11, which made the loop wait on its latency: the line losses of the
   * kernel benchmark's 64,000 rows at 10 steps took 3.3 ms with Horner's rule in separate
   * multiplications and additions.
   */
  static void softplus(double[] m, int length, double[] e, double[] l) {
    int lanes = SPECIES.length();
    for (int i = 0; i < length; i += lanes) {
      DoubleVector mi = DoubleVector.fromArray(SPECIES, m, i);
      DoubleVector x = mi.abs().neg();
      DoubleVector t = x.mul(INV_LN2).add(ROUND);
      DoubleVector k = t.sub(ROUND);
      DoubleVector r = x.sub(k.mul(LN2_HI)).sub(k.mul(LN2_LO));
      // e^r = 1 + r + r^2 T(r), T(r) = sum_{i=0..11} r^i / (i + 2)!, T by Estrin's scheme (pairs,
      // then pairs of pairs in r^2 and r^4: a chain of 4 fused multiply-adds, not Horner's 12).
      DoubleVector r2 = r.mul(r);
      DoubleVector r4 = r2.mul(r2);
      DoubleVector a0 = r.fma(1.0 / 6.0, 0.5);
      DoubleVector a1 = r.fma(1.0 / 120.0, 1.0 / 24.0);
      DoubleVector a2 = r.fma(1.0 / 5040.0, 1.0 / 720.0);
      DoubleVector a3 = r.fma(1.0 / 362880.0, 1.0 / 40320.0);
      DoubleVector a4 = r.fma(1.0 / 39916800.0, 1.0 / 3628800.0);
      DoubleVector a5 = r.fma(1.0 / 6227020800.0, 1.0 / 479001600.0);
      DoubleVector b0 = a1.fma(r2, a0);
      DoubleVector b1 = a3.fma(r2, a2);
      DoubleVector b2 = a5.fma(r2, a4);
      DoubleVector p = r2.fma(b2.fma(r4, b1).fma(r4, b0), r).add(1.0);
      // k as an integer in [-1076, 0] (garbage, but unused, below the cut-off or for NaN).
      LongVector ki = ((LongVector) t.reinterpretAsLongs()).sub(ROUND_BITS);
      LongVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
      LongVector k2 = ki.sub(k1);
      DoubleVector s1 = k1.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
      DoubleVector s2 = k2.add(1023L).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
      DoubleVector ei = p.mul(s1).mul(s2).blend(0.0, x.compare(VectorOperators.LT, -745.2));
      ei.intoArray(e, i);
      DoubleVector u = ei.add(1.0);
      DoubleVector c = ei.sub(u.sub(1.0));
      VectorMask<Double> high = u.compare(VectorOperators.GT, SQRT2);
      DoubleVector f = u.blend(u.mul(0.5), high);
      DoubleVector j = DoubleVector.zero(SPECIES).blend(1.0, high);
      DoubleVector s = f.sub(1.0).div(f.add(1.0));
      DoubleVector z = s.mul(s);
      DoubleVector z2 = z.mul(z);
      DoubleVector z4 = z2.mul(z2);
      // q = sum_{i=0..10} z^i / (2 i + 3), by Estrin's scheme as T above.
      DoubleVector c0 = z.fma(1.0 / 5.0, 1.0 / 3.0);
      DoubleVector c1 = z.fma(1.0 / 9.0, 1.0 / 7.0);
      DoubleVector c2 = z.fma(1.0 / 13.0, 1.0 / 11.0);
      DoubleVector c3 = z.fma(1.0 / 17.0, 1.0 / 15.0);
      DoubleVector c4 = z.fma(1.0 / 21.0, 1.0 / 19.0);
      DoubleVector d0 = c1.fma(z2, c0);
      DoubleVector d1 = c3.fma(z2, c2);
      DoubleVector d2 = z2.fma(DoubleVector.broadcast(SPECIES, 1.0 / 23.0), c4);
      DoubleVector q = d2.fma(z4, d1).fma(z4, d0);
      // log f = 2 s + 2 s z q: the leading term kept apart, the rest small against it.
      DoubleVector twoS = s.add(s);
      DoubleVector logF = twoS.mul(z).fma(q, twoS);
      DoubleVector log1p = j.mul(LN2_HI).add(j.mul(LN2_LO).add(logF).add(c.div(u)));
      log1p.add(mi.max(0.0)).intoArray(l, i);
    }
  }

  /** {@link LogisticLoss#evaluateRows}; the state is one double a row. */
  static double evaluateRows(
      RowBlock block, int from, int to, double[] z, double[] gradient, double[] state) {
    int n = to - from;
    int lanes = SPECIES.length();
    // Every array padded to whole vectors with rows of margin 0 and weight 0.
    int length = padded(n);
    double[] m = new double[length];
    System.arraycopy(z, from, m, 0, n);
    double[] y = labels(block, from, to, length);
    double[] c = weights(block, from, to, length);
    double[] e = new double[length];
    double[] l = new double[length];
    softplus(m, length, e, l);
    double[] g = new double[length];
    double[] h = new double[length];
    DoubleVector sums = DoubleVector.zero(SPECIES);
    DoubleVector one = DoubleVector.broadcast(SPECIES, 1.0);
    for (int i = 0; i < length; i += lanes) {
      DoubleVector mi = DoubleVector.fromArray(SPECIES, m, i);
      DoubleVector ei = DoubleVector.fromArray(SPECIES, e, i);
      DoubleVector yi = DoubleVector.fromArray(SPECIES, y, i);
      DoubleVector weight = DoubleVector.fromArray(SPECIES, c, i);
      // sigma(m) and sigma(-m): 1 / (1 + e) and e / (1 + e), which is which by the sign of m.
      DoubleVector inverse = one.div(ei.add(1.0));
      DoubleVector small = ei.mul(inverse);
      DoubleVector sigma = inverse.blend(small, mi.compare(VectorOperators.LT, 0.0));
      sigma.sub(yi).mul(weight).intoArray(g, i);
      small.mul(inverse).intoArray(h, i);
      DoubleVector loss = DoubleVector.fromArray(SPECIES, l, i).sub(yi.mul(mi));
      sums = weight.mul(loss).add(sums);
    }
    System.arraycopy(g, 0, gradient, from, n);
    System.arraycopy(h, 0, state, from, n);
    return sums.reduceLanes(VectorOperators.ADD);
  }

  static double addLineLosses(
      RowBlock block, double[] z, double[] u, double[] steps, double[] lossSums) {
    int n = block.numRows();
    int lanes = SPECIES.length();
    // Padded to whole vectors with rows of weight 0, margin 0 and slope 0, which add nothing.
    int length = padded(n);
    double[] y = labels(block, 0, n, length);
    double[] c = weights(block, 0, n, length);
    double[] zp = java.util.Arrays.copyOf(z, length);
    double[] up = java.util.Arrays.copyOf(u, length);
    java.util.Arrays.fill(zp, n, length, 0.0);
    java.util.Arrays.fill(up, n, length, 0.0);
    // Adding a weight of 0 leaves the sum as skipping the row does.
    double weights = block.weightSum();
    double[] m = new double[length];
    double[] e = new double[length];
    double[] l = new double[length];
    for (int s = 0; s < steps.length; s++) {
      double a = steps[s];
      for (int i = 0; i < length; i += lanes) {
        DoubleVector.fromArray(SPECIES, up, i).mul(a).add(DoubleVector.fromArray(SPECIES, zp, i))
            .intoArray(m, i);
      }
      softplus(m, length, e, l);
      DoubleVector sums = DoubleVector.zero(SPECIES);
      for (int i = 0; i < length; i += lanes) {
        DoubleVector mi = DoubleVector.fromArray(SPECIES, m, i);
        DoubleVector loss = DoubleVector.fromArray(SPECIES, l, i)
            .sub(DoubleVector.fromArray(SPECIES, y, i).mul(mi));
        DoubleVector weight = DoubleVector.fromArray(SPECIES, c, i);
        // A row of weight 0 adds nothing, even where its loss is not finite.
        VectorMask<Double> skipped = weight.compare(VectorOperators.EQ, 0.0);
        sums = loss.blend(0.0, skipped).mul(weight).add(sums);
      }
      lossSums[s] += sums.reduceLanes(VectorOperators.ADD);
    }
    return weights;
  }

  /** The labels of the rows {@code [from, to)}, padded with zeros to {@code length}. */
  private static double[] labels(RowBlock block, int from, int to, int length) {
    double[] y = new double[length];
    for (int i = from; i < to; i++) {
      y[i - from] = block.label(i);
    }
    return y;
  }

  /** The weights of the rows {@code [from, to)}, padded with zeros to {@code length}. */
  private static double[] weights(RowBlock block, int from, int to, int length) {
    double[] c = new double[length];
    for (int i = from; i < to; i++) {
      c[i - from] = block.weight(i);
    }
    return c;
  }
}
