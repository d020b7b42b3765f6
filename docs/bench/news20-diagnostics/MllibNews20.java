package dev.sparknewton.cli;

import dev.sparknewton.data.DataLoader;
import dev.sparknewton.data.TrainingData;
import java.util.List;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/** MLlib multinomial L-BFGS on news20 for many iterations: where does it reach 1e-6 of f*? */
public class MllibNews20 {
  public static void main(String[] a) {
    JobConfig config = JobConfig.fromArguments(List.of(a[0]));
    int maxIter = Integer.parseInt(a[1]);
    double fStar = Double.parseDouble(a[2]);
    double lambda = Double.parseDouble(a[3]);
    SparkSession spark = SparkSession.builder().master("local[2]").config("spark.ui.enabled", "false").getOrCreate();
    TrainingData data = DataLoader.load(spark, TrainCommand.dataSpec(config));
    Dataset<Row> train = data.train().repartition(4).persist(StorageLevel.MEMORY_AND_DISK());
    train.count();
    long t0 = System.nanoTime();
    LogisticRegressionModel m = new LogisticRegression().setFamily("multinomial").setRegParam(lambda)
        .setElasticNetParam(0).setStandardization(false).setFitIntercept(true).setMaxIter(maxIter)
        .setTol(1e-15).setFeaturesCol("features").setLabelCol("label").fit(train);
    double secs = (System.nanoTime() - t0) / 1e9;
    double[] h = m.summary().objectiveHistory();
    int hit5 = -1, hit6 = -1;
    for (int i = 0; i < h.length; i++) {
      double r = (h[i] - fStar) / fStar;
      if (hit5 < 0 && r <= 1e-5) hit5 = i;
      if (hit6 < 0 && r <= 1e-6) hit6 = i;
      if (i % 100 == 0 || i == h.length - 1) System.out.printf("mllib %d f=%.13e rel=%.3e%n", i, h[i], r);
    }
    System.out.printf("iterations %d, %.1f s; first 1e-5 at %d, first 1e-6 at %d%n", h.length - 1, secs, hit5, hit6);
    spark.stop();
  }
}
