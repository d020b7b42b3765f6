import org.apache.spark.sql.SparkSession;

/**
 * Writes a LIBSVM file as Parquet (label double, features ml vector) with Spark's own libsvm data
 * source, for runs over Spark Connect, whose client cannot use the job's RDD-based libsvm loader:
 *   source jobs/common.sh; java "${JAVA_OPTS[@]}" -cp "$(cat target/spark-classpath.txt)" \
 *     docs/bench/LibSvmToParquet.java ../shared/data/a9a.bz2 target/a9a.parquet 123
 */
public class LibSvmToParquet {
  public static void main(String[] args) {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("libsvm-to-parquet")
        .getOrCreate();
    spark.read().format("libsvm").option("numFeatures", args[2]).load(args[0])
        .write().mode("overwrite").parquet(args[1]);
    spark.stop();
  }
}
