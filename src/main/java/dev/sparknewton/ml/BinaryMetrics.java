package dev.sparknewton.ml;

import dev.sparknewton.distributed.DatasetRowAggregation;
import dev.sparknewton.distributed.DistributedFolds;
import dev.sparknewton.models.LogisticLoss;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.mllib.evaluation.BinaryClassificationMetrics;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple3;

/**
 * Weighted test metrics of a binary model: accuracy at probability 0.5, area under the ROC curve
 * (exact: Spark MLlib's {@code BinaryClassificationMetrics} with no binning on classic Spark,
 * {@link RocArea} over Spark Connect), and mean
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
   * The metrics of {@code model} on {@code data}: on classic Spark over an RDD, with MLlib's
   * {@code BinaryClassificationMetrics} for the AUC; on a session without a SparkContext (Spark
   * Connect) through the Dataset API alone, with {@link RocArea} for the same AUC. Both fold the
   * same per-row sums ({@link #add}).
   *
   * @param model a binary logistic model
   * @param data columns "label" (0/1), "features" (Vector), "weight"
   */
  public static BinaryMetrics evaluate(ModelFit model, Dataset<Row> data) {
    Dataset<Row> rows = data.select("label", "features", "weight");
    if (DistributedFolds.sparkContext(data.sparkSession()).isEmpty()) {
      return evaluateByDatasets(model, rows);
    }
    JavaRDD<Tuple3<Object, Object, Object>> scored = rows
        .toJavaRDD()
        .map(r -> {
          double m = model.outputs((Vector) r.get(1))[0];
          return new Tuple3<Object, Object, Object>(m, r.getDouble(0), r.getDouble(2));
        });
    double[] sums = scored.map(t -> add(new double[SUMS], (Double) t._1(), (Double) t._2(),
        (Double) t._3())).fold(new double[SUMS], BinaryMetrics::merge);
    double auc = new BinaryClassificationMetrics(scored.rdd(), 0).areaUnderROC();
    return of(sums, auc);
  }

  /**
   * {@link #evaluate} through the Dataset API alone, whatever the session: one action for the
   * sums, one (plus the sort's sampling) for {@link RocArea}.
   *
   * @param data columns "label", "features", "weight"
   */
  static BinaryMetrics evaluateByDatasets(ModelFit model, Dataset<Row> data) {
    double[] sums = DatasetRowAggregation.aggregate(data, new double[SUMS],
        (s, r) -> add(s, model.outputs((Vector) r.get(1))[0], r.getDouble(0), r.getDouble(2)),
        BinaryMetrics::merge);
    Dataset<Row> scored = data.map((MapFunction<Row, Row>) r -> RowFactory.create(
        model.outputs((Vector) r.get(1))[0], r.getDouble(0), r.getDouble(2)),
        Encoders.row(SCORED));
    return of(sums, RocArea.of(scored));
  }

  /** Rows, weight, weight classified right, weighted log-loss. */
  private static final int SUMS = 4;

  private static final StructType SCORED = new StructType()
      .add("score", DataTypes.DoubleType, false)
      .add("label", DataTypes.DoubleType, false)
      .add("weight", DataTypes.DoubleType, false);

  /**
   * Adds a row of margin {@code m}, label {@code y} and weight {@code c} to {@code sums}.
   *
   * @param sums {@link #SUMS} sums; modified and returned
   */
  private static double[] add(double[] sums, double m, double y, double c) {
    sums[0] += 1.0;
    sums[1] += c;
    sums[2] += (m >= 0.0) == (y == 1.0) ? c : 0.0;
    sums[3] += c * LogisticLoss.INSTANCE.loss(m, y);
    return sums;
  }

  /** Adds {@code b} to {@code a}; {@code a} modified and returned. */
  private static double[] merge(double[] a, double[] b) {
    for (int i = 0; i < SUMS; i++) {
      a[i] += b[i];
    }
    return a;
  }

  private static BinaryMetrics of(double[] sums, double auc) {
    return new BinaryMetrics((long) sums[0], sums[2] / sums[1], auc, sums[3] / sums[1]);
  }
}
