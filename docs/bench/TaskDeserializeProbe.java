import dev.sparknewton.data.*;
import dev.sparknewton.distributed.*;
import org.apache.spark.sql.*;
import org.apache.spark.scheduler.*;
import org.apache.spark.api.java.*;
import java.util.*;
import java.util.concurrent.*;

/**
 * Where the pass floor's time goes: per-task deserialization and run time of the empty and
 * streaming passes (distributed/PassFloor) over the same a9a blocks, (1) cached from the libsvm
 * DataFrame (the job's own lineage, through the SQL plan) and (2) collected and re-parallelized
 * (a lineage of one RDD), alternated three times in one JVM, with a trivial 4-task count for
 * scale. Run from the repository root after `mvn -q package -DskipTests`:
 *   bzip2 -dc ../shared/data/a9a.bz2 > /tmp/a9a.txt
 *   source jobs/common.sh; java "${JAVA_OPTS[@]}" -cp "target/classes:$(cat target/spark-classpath.txt)" \
 *     docs/bench/TaskDeserializeProbe.java /tmp/a9a.txt
 * Output: docs/bench/task-deserialize.txt.
 */
public class TaskDeserializeProbe {
  static final List<long[]> tasks = new CopyOnWriteArrayList<>();
  public static void main(String[] a) throws Exception {
    SparkSession spark = SparkSession.builder().master("local[2]").appName("probe")
        .config("spark.ui.enabled", "false").getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    spark.sparkContext().addSparkListener(new SparkListener() {
      @Override public void onTaskEnd(SparkListenerTaskEnd e) {
        var m = e.taskMetrics();
        tasks.add(new long[]{m.executorDeserializeTime(), m.executorDeserializeCpuTime()/1000000, m.executorRunTime(), e.stageId()});
      }
    });
    Dataset<Row> df = spark.read().format("libsvm").option("numFeatures", "123").load(a[0])
        .withColumn("weight", functions.lit(1.0));
    JavaRDD<RowBlock> blocks = Blockifier.blockify(df, 123, 1.0, 4);
    RddBlockFold fold = RddBlockFold.cache(blocks, 2);
    report("dataframe lineage", fold);
    List<RowBlock> list = blocks.collect();
    JavaRDD<RowBlock> par = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(list, 4);
    RddBlockFold fold2 = RddBlockFold.cache(par, 2);
    report("parallelized", fold2);
    for (int k = 0; k < 3; k++) { report("dataframe lineage", fold); report("parallelized", fold2); trivial(spark); }
    spark.stop();
  }
  static void trivial(SparkSession spark) {
    JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<Integer> r = sc.parallelize(java.util.Arrays.asList(1,2,3,4), 4);
    double[] t = new double[21];
    for (int i = 0; i < 21; i++) { long s = System.nanoTime(); r.count(); t[i] = (System.nanoTime() - s) / 1e6; }
    java.util.Arrays.sort(t);
    System.out.printf("trivial count median %.1f ms%n", t[10]);
  }
  static void report(String name, RddBlockFold fold) throws Exception {
    PassFloor.measure(fold, 123, 3);
    Thread.sleep(500);
    tasks.clear();
    PassFloor f = PassFloor.measure(fold, 123, 11);
    Thread.sleep(1000);
    long[] des = tasks.stream().mapToLong(t -> t[0]).sorted().toArray();
    long[] cpu = tasks.stream().mapToLong(t -> t[1]).sorted().toArray();
    long[] run = tasks.stream().mapToLong(t -> t[2]).sorted().toArray();
    System.out.printf("%s: empty %.1f ms, streaming %.1f ms; tasks %d; deserialize median %d ms (cpu %d ms), run median %d ms%n",
        name, f.emptySeconds()*1e3, f.streamingSeconds()*1e3, des.length, des[des.length/2], cpu[cpu.length/2], run[run.length/2]);
  }
}
