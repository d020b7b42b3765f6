package dev.sparknewton.data;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Loads and validates training data as {@link DataSpec} describes it: libsvm text (our own
 * parser, {@link LibSvmSource}), parquet files or a catalog table with a Vector column
 * ({@link VectorColumnSource}), csv with one-hot encoding ({@link CsvSource}), the embedded
 * UCI Bank Marketing data, or IDX images and labels such as MNIST ({@link IdxSource}). Every
 * problem with the data is a one-line {@link DataValidationException} naming file, line or row,
 * column and value.
 */
public final class DataLoader {
  private static final Logger LOG = LogManager.getLogger(DataLoader.class);

  private DataLoader() {}

  /**
   * Reads, validates and labels the data; runs a few small jobs (scans, checks, distinct
   * labels), persists nothing.
   *
   * @throws DataValidationException for bad data or a bad spec
   */
  public static TrainingData load(SparkSession spark, DataSpec spec) {
    TrainingData data = switch (spec.format().toLowerCase(Locale.ROOT)) {
      case "libsvm" -> LibSvmSource.load(spark, spec);
      case "parquet" -> VectorColumnSource.load(spark, spec, false);
      case "table" -> VectorColumnSource.load(spark, spec, true);
      case "csv" -> CsvSource.load(spark, spec, false);
      case "embedded" -> CsvSource.load(spark, spec, true);
      case "idx" -> IdxSource.load(spark, spec);
      default -> throw new DataValidationException("unknown data format '" + spec.format()
          + "'; expected one of " + String.join(", ", DataSpec.FORMATS));
    };
    LOG.info("labels {}: {}", data.labels().describe(), data.description());
    return data;
  }

  /** The seeded random split of {@code data} into train and test by {@code spec.testFraction()}. */
  static Dataset<Row>[] split(Dataset<Row> data, DataSpec spec) {
    double f = spec.testFraction();
    return data.randomSplit(new double[] {1.0 - f, f}, spec.seed());
  }

  /**
   * The data of a loader that builds its rows with the labels already mapped (libsvm, idx): with
   * {@code test}, or, when there is none and {@code spec.testFraction()} is positive, with the
   * {@link #split} of {@code train}, which the description then notes.
   */
  static TrainingData ofMappedRows(Dataset<Row> train, Optional<Dataset<Row>> test,
      int numFeatures, LabelMapping labels, String description, DataSpec spec) {
    if (test.isEmpty() && spec.testFraction() > 0) {
      Dataset<Row>[] parts = split(train, spec);
      return new TrainingData(parts[0], Optional.of(parts[1]), numFeatures, labels, List.of(),
          description + "; test: a " + spec.testFraction() + " random split (seed " + spec.seed()
              + ")");
    }
    return new TrainingData(train, test, numFeatures, labels, List.of(), description);
  }

  /**
   * {@code read.get()}, with Spark's analysis errors (no such path, no such table) as a
   * {@link DataValidationException} naming {@code path}.
   */
  static <T> T reading(String path, Supplier<T> read) {
    try {
      return read.get();
    } catch (Exception e) {
      // AnalysisException is a checked exception in Java's eyes, thrown by Scala code.
      if (e instanceof AnalysisException a) {
        throw new DataValidationException("cannot read " + path + ": " + a.getSimpleMessage());
      }
      throw e;
    }
  }
}
