package dev.sparknewton.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * The UCI Bank Marketing data ({@code bank-full.csv}: 45211 rows, 16 attributes, label {@code y}
 * "no"/"yes"; Moro, Cortez and Rita 2014), unpacked onto the classpath by the build. The lines are
 * read on the driver and shipped to the executors as a dataset, so no executor needs the jar's
 * resources or a local file.
 */
final class EmbeddedBankData {
  private EmbeddedBankData() {}

  static final String RESOURCE = "/dev/sparknewton/data/bank-full.csv";
  static final String NAME = "bank-full.csv (embedded)";
  static final String DELIMITER = ";";
  static final String LABEL = "y";

  /** Slices of the shipped lines: keeps each task's share of the ~4.6 MB text well below 1 MB. */
  private static final int MIN_SLICES = 8;

  /** The text lines, header first, as a dataset. */
  static Dataset<String> lines(SparkSession spark) {
    List<String> lines;
    try (InputStream in = EmbeddedBankData.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath (run mvn compile)");
      }
      lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = Math.max(MIN_SLICES, jsc.defaultParallelism());
    return spark.createDataset(jsc.parallelize(lines, slices).rdd(), Encoders.STRING());
  }
}
