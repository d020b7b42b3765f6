package dev.sparknewton.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;

/**
 * The UCI Bank Marketing data ({@code bank-full.csv}: 45211 rows, 16 attributes, label {@code y}
 * "no"/"yes"; Moro, Cortez and Rita 2014), unpacked onto the classpath by the build, so it is in
 * the project jar.
 *
 * <p>The executors read it from the jar, not the driver: {@code spark.range} makes
 * {@link #SLICES} partitions, and partition {@code k} reads the resource and keeps slice {@code k}
 * of its lines (the slices of {@code parallelize(lines, SLICES)}: lines
 * {@code [k n / SLICES, (k + 1) n / SLICES)}). This is the Dataset API alone, so it works on a
 * Spark Connect session too, where the server's executors are not on the client's machine: they
 * load the resource from the project jar the client uploads as a session artifact
 * ({@code ConnectSessions.connect}), as they load its classes. No task carries the text, and the
 * rows, their partitions and so the random test split are the same on classic Spark and over
 * Connect.
 */
final class EmbeddedBankData {
  private EmbeddedBankData() {}

  static final String RESOURCE = "/dev/sparknewton/data/bank-full.csv";
  static final String NAME = "bank-full.csv (embedded)";
  static final String DELIMITER = ";";
  static final String LABEL = "y";

  /** Partitions of the lines: about 0.6 MB of the ~4.6 MB text each, whatever the cluster. */
  static final int SLICES = 8;

  /** The text lines, header first (in slice 0), as a dataset of {@link #SLICES} partitions. */
  static Dataset<String> lines(SparkSession spark) {
    return spark.range(0, SLICES, 1, SLICES).mapPartitions(
        (MapPartitionsFunction<Long, String>) slices -> {
          if (!slices.hasNext()) {
            return java.util.Collections.emptyIterator();
          }
          int k = (int) (long) slices.next();
          List<String> all = read();
          long n = all.size();
          return all.subList((int) (k * n / SLICES), (int) ((k + 1) * n / SLICES)).iterator();
        }, Encoders.STRING());
  }

  /** Every line of the resource, from this JVM's class path. */
  static List<String> read() {
    try (InputStream in = EmbeddedBankData.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is not on the classpath (run mvn compile)");
      }
      return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
