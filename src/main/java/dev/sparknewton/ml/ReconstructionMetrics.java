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
    double[] sums = scored.map(r -> {
      double s = 0.0;
      for (double z : r.outputs()) {
        s += z * z;
      }
      return new double[] {1.0, r.weight(), r.weight() * s};
    }).fold(new double[3], (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2]});
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
