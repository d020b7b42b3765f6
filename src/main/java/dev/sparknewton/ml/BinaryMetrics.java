package dev.sparknewton.ml;

import dev.sparknewton.models.LogisticLoss;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import scala.Tuple3;

/**
 * Weighted test metrics of a binary model: accuracy at probability 0.5, area under the ROC curve
 * (exact, by Spark MLlib's {@code BinaryClassificationMetrics} with no binning), and mean
 * log-loss {@code (1 / sum c_i) sum c_i l(m_i)}.
 */
public record BinaryMetrics(long rows, double accuracy, double auc, double logLoss)
    implements Serializable, TestMetrics {

  @Override
  public Map<String, Object> values() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("rows", rows);
    m.put("accuracy", accuracy);
    m.put("auc", auc);
    m.put("logLoss", logLoss);
    return m;
  }

  @Override
  public String describe() {
    return String.format(Locale.ROOT, "%d rows, accuracy %.4f, AUC %.4f, log-loss %.5f",
        rows, accuracy, auc, logLoss);
  }

  /**
   * @param model a binary logistic model
   * @param data columns "label" (0/1), "features" (Vector), "weight"
   */
  public static BinaryMetrics evaluate(ModelFit model, Dataset<Row> data) {
    JavaRDD<Tuple3<Object, Object, Object>> scored = data.select("label", "features", "weight")
        .toJavaRDD()
        .map(r -> {
          double m = model.outputs((Vector) r.get(1))[0];
          return new Tuple3<Object, Object, Object>(m, r.getDouble(0), r.getDouble(2));
        });
    double[] sums = scored
          .map(t -> {
            double m = (Double) t._1();
            double y = (Double) t._2();
            double c = (Double) t._3();
            double correct = (m >= 0.0) == (y == 1.0) ? c : 0.0;
            return new double[] {1.0, c, correct, c * LogisticLoss.INSTANCE.loss(m, y)};
          })
          .fold(new double[4], (a, b) -> new double[] {a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]});
    double auc = new BinaryClassificationMetrics(scored.rdd(), 0).areaUnderROC();
    return new BinaryMetrics((long) sums[0], sums[2] / sums[1], auc, sums[3] / sums[1]);
  }
}
