package dev.sparknewton.ml;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;

/**
 * An autoencoder's test metrics from its outputs {@code z = f(x) - x}: the weighted mean squared
 * reconstruction error per row {@code |z|^2} and its root mean over every feature,
 * {@code sqrt(mean |z|^2 / d)}.
 */
public final class ReconstructionMetrics implements TestMetrics {
  private final long rows;
  private final double meanSquaredError;
  private final double rmse;

  private ReconstructionMetrics(long rows, double meanSquaredError, double rmse) {
    this.rows = rows;
    this.meanSquaredError = meanSquaredError;
    this.rmse = rmse;
  }

  /** @param scored each row's outputs {@code f(x) - x} and weight */
  public static ReconstructionMetrics evaluate(JavaRDD<ScoredRow> scored, int numFeatures) {
    return of(scored.map(r -> add(new double[SUMS], r)).fold(new double[SUMS],
        ReconstructionMetrics::merge), numFeatures);
  }

  /** Rows, weight, weighted squared reconstruction error. */
  static final int SUMS = 3;

  /** Adds {@code r} to {@code sums} ({@link #SUMS} sums; modified and returned). */
  static double[] add(double[] sums, ScoredRow r) {
    double s = 0.0;
    for (double z : r.outputs()) {
      s += z * z;
    }
    sums[0] += 1.0;
    sums[1] += r.weight();
    sums[2] += r.weight() * s;
    return sums;
  }

  /** Adds {@code b} to {@code a}; {@code a} modified and returned. */
  static double[] merge(double[] a, double[] b) {
    for (int i = 0; i < SUMS; i++) {
      a[i] += b[i];
    }
    return a;
  }

  /** The metrics read from the {@link #SUMS} complete sums. */
  static ReconstructionMetrics of(double[] sums, int numFeatures) {
    double mse = sums[2] / sums[1];
    return new ReconstructionMetrics((long) sums[0], mse, Math.sqrt(mse / numFeatures));
  }

  @Override
  public long rows() {
    return rows;
  }

  public double meanSquaredError() {
    return meanSquaredError;
  }

  public double rmse() {
    return rmse;
  }

  @Override
  public Map<String, Object> values() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", rows);
    m.put("meanSquaredReconstructionError", meanSquaredError);
    m.put("rmsePerFeature", rmse);
    return m;
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT,
        "%d rows, mean squared reconstruction error %.6f, RMSE per feature %.6f", rows,
        meanSquaredError, rmse);
  }
}
