package dev.sparknewton.ml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparknewton.distributed.DistributedFolds;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.randomized.LowRankEigen;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A compressed Hessian {@code H ~ U diag(lambda) U^T} (a {@link LowRankEigen}) with where it came
 * from, and its on-disk form: a directory holding
 * <ul>
 *   <li>{@code eigenpairs/}: Parquet, one row per eigenpair, columns {@code index} (int, 0-based,
 *       by decreasing {@code |lambda|}), {@code eigenvalue} (double), {@code vector}
 *       (array&lt;double&gt; of length {@code dimension}, the column {@code U[:, index]});
 *   <li>{@code metadata.json}: {@code format}, {@code version}, {@code dimension}, {@code rank},
 *       {@code point}, {@code regParam}, {@code fitIntercept}, {@code sampleFraction},
 *       {@code estimatedError}, {@code passes}.
 * </ul>
 * Doubles are stored as IEEE binary64, so {@link #read} returns exactly what {@link #write} wrote.
 *
 * @param eigen the eigenpairs and their estimated spectral-norm error
 * @param point where the Hessian was taken: {@code initial}, {@code optimum} or a model path
 * @param regParam lambda of the objective ({@code lambda I} is part of {@code H})
 * @param fitIntercept whether the model fits (unregularized) intercepts, in its parameter layout
 * @param sampleFraction fraction of rows the Hessian was sub-sampled on
 */
public record CompressedHessian(
    LowRankEigen eigen, String point, double regParam, boolean fitIntercept,
    double sampleFraction) {

  static final String FORMAT = "spark-newton-compressed-hessian";
  static final int VERSION = 1;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final StructType SCHEMA = new StructType()
      .add("index", DataTypes.IntegerType, false)
      .add("eigenvalue", DataTypes.DoubleType, false)
      .add("vector", DataTypes.createArrayType(DataTypes.DoubleType, false), false);

  /** Writes the directory {@code dir}, which must not exist. */
  public void write(SparkSession spark, String dir) {
    ColumnMatrix u = eigen.vectors();
    double[] values = eigen.values();
    List<Row> rows = new ArrayList<>(values.length);
    for (int j = 0; j < values.length; j++) {
      double[] v = u.column(j);
      Double[] boxed = new Double[v.length];
      for (int i = 0; i < v.length; i++) {
        boxed[i] = v[i];
      }
      rows.add(RowFactory.create(j, values[j], boxed));
    }
    spark.createDataFrame(rows, SCHEMA).coalesce(1).write().parquet(dir + "/eigenpairs");
    ObjectNode meta = JSON.createObjectNode();
    meta.put("format", FORMAT);
    meta.put("version", VERSION);
    meta.put("dimension", eigen.dimension());
    meta.put("rank", eigen.rank());
    meta.put("point", point);
    meta.put("regParam", regParam);
    meta.put("fitIntercept", fitIntercept);
    meta.put("sampleFraction", sampleFraction);
    meta.put("estimatedError", eigen.estimatedError());
    meta.put("passes", eigen.passes());
    Path path = new Path(dir, "metadata.json");
    try (OutputStream out = fileSystem(spark, path).create(path, false)) {
      out.write(JSON.writeValueAsString(meta).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + path, e);
    }
  }

  /**
   * Reads a directory written by {@link #write}.
   *
   * @throws IllegalArgumentException when {@code dir} is not such a directory or is inconsistent
   *     (rank, dimension or indices that do not match the metadata)
   */
  public static CompressedHessian read(SparkSession spark, String dir) {
    Path path = new Path(dir, "metadata.json");
    JsonNode meta;
    try (InputStream in = fileSystem(spark, path).open(path)) {
      meta = JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read " + path + ": " + e.getMessage());
    }
    if (!FORMAT.equals(meta.path("format").asText()) || meta.path("version").asInt() != VERSION) {
      throw new IllegalArgumentException(path + " is not a " + FORMAT + " version " + VERSION
          + " file (format '" + meta.path("format").asText() + "', version "
          + meta.path("version").asInt() + ")");
    }
    int n = meta.path("dimension").asInt();
    int k = meta.path("rank").asInt();
    List<Row> rows = spark.read().schema(SCHEMA).parquet(dir + "/eigenpairs")
        .orderBy("index").collectAsList();
    if (rows.size() != k) {
      throw new IllegalArgumentException(
          dir + ": metadata says rank " + k + " but there are " + rows.size() + " eigenpairs");
    }
    ColumnMatrix u = ColumnMatrix.zeros(n, k);
    double[] values = new double[k];
    for (int j = 0; j < k; j++) {
      Row r = rows.get(j);
      List<Double> v = r.getList(2);
      if (r.getInt(0) != j || v.size() != n) {
        throw new IllegalArgumentException(dir + ": eigenpair " + j + " has index " + r.getInt(0)
            + " and a vector of length " + v.size() + ", expected index " + j + " and length " + n);
      }
      values[j] = r.getDouble(1);
      for (int i = 0; i < n; i++) {
        u.set(i, j, v.get(i));
      }
    }
    LowRankEigen eigen = new LowRankEigen(
        u, values, meta.path("estimatedError").asDouble(), meta.path("passes").asInt());
    return new CompressedHessian(eigen, meta.path("point").asText(),
        meta.path("regParam").asDouble(), meta.path("fitIntercept").asBoolean(),
        meta.path("sampleFraction").asDouble());
  }

  /**
   * The file system of {@code path} in the session's Hadoop configuration, or on Spark Connect
   * (no SparkContext on the client) in the client's defaults.
   */
  private static FileSystem fileSystem(SparkSession spark, Path path) throws IOException {
    Optional<SparkContext> sc = DistributedFolds.sparkContext(spark);
    return path.getFileSystem(sc.isPresent() ? sc.get().hadoopConfiguration()
        : new org.apache.hadoop.conf.Configuration());
  }
}
