package dev.sparknewton.data;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where and how to read training data; {@link DataLoader#load} turns it into {@link TrainingData}.
 *
 * @param path a file, directory or glob; for format "table" a catalog table name; for "idx" the
 *     images file (idx3-ubyte, {@code .gz} works); ignored for "embedded"
 * @param format one of {@link #FORMATS}
 * @param numFeatures libsvm only: 0 infers the dimension from the largest index over train and
 *     test; a positive value forces it (an index above it is an error). For parquet/table/csv a
 *     positive value must equal the data's dimension
 * @param labelCol label column (parquet/csv/table); null or blank means "label"; for the
 *     embedded data null, blank or "label" mean its label column "y"
 * @param featuresCol parquet/table: a Vector column; null or blank means "features"; csv ignores
 *     it (every column but the label and weight is a feature)
 * @param weightCol instance-weight column; empty means weight 1 for every row
 * @param testPath test data in the same format as {@code path}
 * @param testFraction in [0, 1): when positive and there is no {@code testPath}, a seeded random
 *     split of {@code path} into train and test
 * @param seed seed of that split
 * @param csvDelimiter csv field delimiter; null or empty means ","
 * @param positiveLabel binary labels only: the raw label value that maps to 1; empty means the
 *     larger one (numeric labels) or the lexicographically larger one (string labels)
 * @param labelKind what the label column holds; null means {@link LabelKind#AUTO}
 * @param maxClasses the largest number of distinct labels {@link LabelKind#AUTO} and
 *     {@link LabelKind#MULTICLASS} accept, at least 2
 * @param labelsPath idx only: the labels file (idx1-ubyte) of {@code path}; empty derives it from
 *     the images file's name ({@link IdxSource#derivedLabelsPath})
 * @param testLabelsPath idx only: the labels file of {@code testPath}, derived the same way when
 *     empty
 */
public record DataSpec(
    String path,
    String format,
    int numFeatures,
    String labelCol,
    String featuresCol,
    Optional<String> weightCol,
    Optional<String> testPath,
    double testFraction,
    long seed,
    String csvDelimiter,
    Optional<String> positiveLabel,
    LabelKind labelKind,
    int maxClasses,
    Optional<String> labelsPath,
    Optional<String> testLabelsPath) {

  /** The formats {@link DataLoader} reads. */
  public static final String[] FORMATS = {"libsvm", "parquet", "csv", "table", "embedded", "idx"};

  /** The {@code maxClasses} of {@link #libsvm} and {@link #embedded}. */
  public static final int DEFAULT_MAX_CLASSES = 1000;

  public DataSpec {
    if (format == null) {
      throw new DataValidationException(
          "no data format given; expected one of " + String.join(", ", FORMATS));
    }
    if (numFeatures < 0) {
      throw new DataValidationException("numFeatures must be >= 0 (0 = infer), got " + numFeatures);
    }
    if (!(testFraction >= 0.0 && testFraction < 1.0)) {
      throw new DataValidationException("testFraction must be in [0, 1), got " + testFraction);
    }
    weightCol = weightCol == null ? Optional.empty() : weightCol.filter(s -> !s.isBlank());
    testPath = testPath == null ? Optional.empty() : testPath.filter(s -> !s.isBlank());
    positiveLabel = positiveLabel == null ? Optional.empty() : positiveLabel.filter(s -> !s.isBlank());
    csvDelimiter = csvDelimiter == null || csvDelimiter.isEmpty() ? "," : csvDelimiter;
    labelKind = labelKind == null ? LabelKind.AUTO : labelKind;
    if (maxClasses < 2) {
      throw new DataValidationException("maxClasses must be >= 2, got " + maxClasses);
    }
    if (weightCol.isPresent() && List.of("libsvm", "idx").contains(format.toLowerCase(Locale.ROOT))) {
      throw new DataValidationException("weightCol '" + weightCol.get() + "' does not apply to "
          + format.toLowerCase(Locale.ROOT) + " data (every " + (format.equalsIgnoreCase("idx")
              ? "image" : "row") + " has weight 1; weights need parquet, csv or table data)");
    }
    labelsPath = labelsPath == null ? Optional.empty() : labelsPath.filter(s -> !s.isBlank());
    testLabelsPath =
        testLabelsPath == null ? Optional.empty() : testLabelsPath.filter(s -> !s.isBlank());
    if ((labelsPath.isPresent() || testLabelsPath.isPresent()) && !"idx".equalsIgnoreCase(format)) {
      throw new DataValidationException(
          "labelsPath and testLabelsPath apply to format idx only, not to " + format);
    }
    if (testLabelsPath.isPresent() && testPath.isEmpty()) {
      throw new DataValidationException(
          "testLabelsPath " + testLabelsPath.get() + " given without a testPath");
    }
    if (positiveLabel.isPresent()
        && (labelKind == LabelKind.MULTICLASS || labelKind == LabelKind.REAL)) {
      throw new DataValidationException("positiveLabel '" + positiveLabel.get()
          + "' applies to binary labels only, not to "
          + (labelKind == LabelKind.REAL ? "real-valued targets" : "multiclass labels"));
    }
  }

  /** A libsvm file (or directory, or glob) with default settings otherwise (labels auto). */
  public static DataSpec libsvm(String path, int numFeatures) {
    return new DataSpec(path, "libsvm", numFeatures, null, null, Optional.empty(),
        Optional.empty(), 0.0, 0L, ",", Optional.empty(), LabelKind.AUTO, DEFAULT_MAX_CLASSES,
        Optional.empty(), Optional.empty());
  }

  /**
   * An IDX images file whose labels file has the standard name
   * ({@link IdxSource#derivedLabelsPath}), with default settings otherwise (labels auto).
   */
  public static DataSpec idx(String imagesPath) {
    return new DataSpec(imagesPath, "idx", 0, null, null, Optional.empty(), Optional.empty(), 0.0,
        0L, ",", Optional.empty(), LabelKind.AUTO, DEFAULT_MAX_CLASSES, Optional.empty(),
        Optional.empty());
  }

  /** The embedded UCI Bank Marketing data, split into train and test by {@code testFraction}. */
  public static DataSpec embedded(double testFraction, long seed) {
    return new DataSpec("", "embedded", 0, "y", null, Optional.empty(), Optional.empty(),
        testFraction, seed, ";", Optional.empty(), LabelKind.AUTO, DEFAULT_MAX_CLASSES,
        Optional.empty(), Optional.empty());
  }

  /** The same spec with a test path. */
  public DataSpec withTestPath(String test) {
    return new DataSpec(path, format, numFeatures, labelCol, featuresCol, weightCol,
        Optional.ofNullable(test), testFraction, seed, csvDelimiter, positiveLabel, labelKind,
        maxClasses, labelsPath, testLabelsPath);
  }

  /** The same spec with another label kind and class limit. */
  public DataSpec withLabels(LabelKind kind, int maxClasses) {
    return new DataSpec(path, format, numFeatures, labelCol, featuresCol, weightCol, testPath,
        testFraction, seed, csvDelimiter, positiveLabel, kind, maxClasses, labelsPath,
        testLabelsPath);
  }

  /**
   * The label column, with the format's default when none is given. The embedded data has no
   * "label" column, so for it the generic default "label" also means its own label, "y".
   */
  public String effectiveLabelCol() {
    boolean given = labelCol != null && !labelCol.isBlank();
    if ("embedded".equalsIgnoreCase(format)) {
      return given && !labelCol.equals("label") ? labelCol : EmbeddedBankData.LABEL;
    }
    return given ? labelCol : "label";
  }

  /** The features column, "features" when none is given. */
  public String effectiveFeaturesCol() {
    return featuresCol == null || featuresCol.isBlank() ? "features" : featuresCol;
  }
}
