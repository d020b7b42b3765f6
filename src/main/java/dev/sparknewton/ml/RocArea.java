package dev.sparknewton.ml;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Tuple4;

/**
 * The exact, weighted area under the ROC curve through the Dataset API alone (no RDD, so it runs
 * on a Spark Connect session): the same curve as Spark MLlib's
 * {@code BinaryClassificationMetrics(scoreLabelWeight, numBins = 0).areaUnderROC()}.
 *
 * <p>The curve: the distinct scores {@code s_1 > s_2 > ... > s_m}, each with the weights of its
 * positive ({@code label > 0.5}) and negative rows, {@code pos_i} and {@code neg_i}; cumulative
 * {@code TP_i = sum_{j <= i} pos_j}, {@code FP_i} likewise; the points
 * {@code (FP_i / N, TP_i / P)} from {@code (0, 0)} to {@code (1, 1)}, {@code P = TP_m},
 * {@code N = FP_m}, joined by straight lines (tied scores are one point, so a tie is a diagonal
 * step). Its area by trapezoids is
 * {@code AUC = sum_i neg_i (2 TP_{i-1} + pos_i) / (2 N P)}. When a class has no weight MLlib
 * takes its rate as 0, so the area is 1 with no negative weight, 0 with no positive weight and
 * 0.5 with neither (the segment to (1, 1)); so is this one.
 *
 * <p>Computation, with driver traffic bounded by the number of partitions: the rows are
 * aggregated by distinct score and sorted by decreasing score (a range partitioning, so partition
 * {@code k}'s scores are all above partition {@code k+1}'s); each partition returns its
 * {@code (sum pos, sum neg, sum_i neg_i (2 TP^local_{i-1} + pos_i))} with its index; the driver
 * adds {@code 2 TP_before(k) sum neg} for the positives of the earlier partitions. Scores are
 * grouped by their bits, as MLlib's Java {@code Double} keys are: {@code 0.0} and {@code -0.0} are
 * two points, {@code 0.0} first.
 */
public final class RocArea {
  private RocArea() {}

  private static final StructType KEYED = new StructType()
      .add("score", DataTypes.DoubleType, false)
      .add("bits", DataTypes.LongType, false)
      .add("label", DataTypes.DoubleType, false)
      .add("weight", DataTypes.DoubleType, false);

  /**
   * @param scored columns {@code score}, {@code label}, {@code weight} (doubles; a label above
   *     0.5 is positive); not modified
   * @return the area
   */
  public static double of(Dataset<Row> scored) {
    Dataset<Row> keyed = scored.select(col("score").cast(DataTypes.DoubleType),
            col("label").cast(DataTypes.DoubleType), col("weight").cast(DataTypes.DoubleType))
        .map((MapFunction<Row, Row>) r -> RowFactory.create(r.getDouble(0),
            Double.doubleToLongBits(r.getDouble(0)), r.getDouble(1), r.getDouble(2)),
            Encoders.row(KEYED));
    List<Tuple4<Integer, Double, Double, Double>> partials = keyed.groupBy("bits")
        .agg(max("score").as("score"),
            sum(when(col("label").gt(0.5), col("weight")).otherwise(lit(0.0))).as("pos"),
            sum(when(col("label").gt(0.5), lit(0.0)).otherwise(col("weight"))).as("neg"))
        .orderBy(col("score").desc(), col("bits").desc())
        .select(spark_partition_id(), col("pos"), col("neg"))
        .mapPartitions((MapPartitionsFunction<Row, Tuple4<Integer, Double, Double, Double>>) it -> {
          if (!it.hasNext()) {
            return java.util.Collections.emptyIterator();
          }
          int partition = -1;
          double pos = 0.0;
          double neg = 0.0;
          double area = 0.0;
          while (it.hasNext()) {
            Row r = it.next();
            partition = r.getInt(0);
            double p = r.getDouble(1);
            double n = r.getDouble(2);
            area += n * (2.0 * pos + p);
            pos += p;
            neg += n;
          }
          return List.of(new Tuple4<>(partition, pos, neg, area)).iterator();
        }, Encoders.tuple(Encoders.INT(), Encoders.DOUBLE(), Encoders.DOUBLE(), Encoders.DOUBLE()))
        .collectAsList();
    List<Tuple4<Integer, Double, Double, Double>> ordered = new ArrayList<>(partials);
    ordered.sort(Comparator.comparingInt(Tuple4::_1));
    double positives = 0.0;
    double negatives = 0.0;
    double area = 0.0;
    for (Tuple4<Integer, Double, Double, Double> p : ordered) {
      area += p._4() + 2.0 * positives * p._3();
      positives += p._2();
      negatives += p._3();
    }
    if (positives == 0.0 || negatives == 0.0) {
      // MLlib's rates are 0 when their class has no weight: the curve runs along an axis and
      // ends with its appended (1, 1).
      return positives > 0.0 ? 1.0 : negatives > 0.0 ? 0.0 : 0.5;
    }
    return area / (2.0 * positives * negatives);
  }
}
