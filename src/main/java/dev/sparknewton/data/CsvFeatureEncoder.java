package dev.sparknewton.data;

import static dev.sparknewton.data.FrameChecks.quoted;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.spark.ml.feature.OneHotEncoder;
import org.apache.spark.ml.feature.OneHotEncoderModel;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Turns the columns of a table into one feature vector, fitted on the training rows only:
 * numeric columns as they are, every other column one-hot encoded (Spark ML's
 * {@code StringIndexer}, categories by decreasing training frequency, ties alphabetical, then
 * {@code OneHotEncoder} with {@code dropLast}, so the least frequent category is the all-zero
 * reference), all assembled by {@code VectorAssembler} in the table's column order.
 *
 * <p>Test rows with a category the training rows never had get the all-zero encoding of that
 * column (the indexer runs with {@code handleInvalid = "keep"} on test data, and the extra
 * "unknown" index is folded into the dropped reference slot).
 */
final class CsvFeatureEncoder {
  private static final String PREFIX = "__sparknewton_";
  private static final String ASSEMBLED = PREFIX + "features";

  private final List<String> columns;
  private final List<String> categorical;
  private final StringIndexerModel indexer;
  private final OneHotEncoderModel encoder;
  private final VectorAssembler assembler;
  private final List<String> featureNames;

  private CsvFeatureEncoder(List<String> columns, List<String> categorical,
      StringIndexerModel indexer, OneHotEncoderModel encoder) {
    this.columns = columns;
    this.categorical = categorical;
    this.indexer = indexer;
    this.encoder = encoder;
    List<String> inputs = new ArrayList<>();
    List<String> names = new ArrayList<>();
    for (String c : columns) {
      int k = categorical.indexOf(c);
      if (k < 0) {
        inputs.add(c);
        names.add(c);
      } else {
        inputs.add(vectorColumn(k));
        String[] levels = indexer.labelsArray()[k];
        for (int j = 0; j < levels.length - 1; j++) {
          names.add(c + "=" + levels[j]);
        }
      }
    }
    this.assembler = new VectorAssembler()
        .setInputCols(inputs.toArray(new String[0]))
        .setOutputCol(ASSEMBLED)
        .setHandleInvalid("error");
    this.featureNames = Collections.unmodifiableList(names);
  }

  /**
   * Fits the category indexes on {@code train} (one job when there are categorical columns).
   *
   * @param columns the feature columns of {@code train}, in order
   */
  static CsvFeatureEncoder fit(Dataset<Row> train, List<String> columns) {
    List<String> categorical = new ArrayList<>();
    StructType schema = train.schema();
    for (String c : columns) {
      if (!(schema.apply(c).dataType() instanceof NumericType)) {
        categorical.add(c);
      }
    }
    if (categorical.isEmpty()) {
      return new CsvFeatureEncoder(columns, categorical, null, null);
    }
    String[] in = categorical.toArray(new String[0]);
    String[] indexed = new String[in.length];
    String[] vectors = new String[in.length];
    for (int k = 0; k < in.length; k++) {
      indexed[k] = indexColumn(k);
      vectors[k] = vectorColumn(k);
    }
    Dataset<Row> strings = asStrings(train, categorical);
    StringIndexerModel indexer = new StringIndexer()
        .setInputCols(in).setOutputCols(indexed)
        .setStringOrderType("frequencyDesc")
        .setHandleInvalid("error")
        .fit(strings);
    OneHotEncoderModel encoder = new OneHotEncoder()
        .setInputCols(indexed).setOutputCols(vectors)
        .setDropLast(true)
        .fit(indexer.transform(strings));
    return new CsvFeatureEncoder(columns, categorical, indexer, encoder);
  }

  /** One name per feature: the column name, or "column=category" for a one-hot slot. */
  List<String> featureNames() {
    return featureNames;
  }

  int numNumeric() {
    return columns.size() - categorical.size();
  }

  int numCategorical() {
    return categorical.size();
  }

  /**
   * The training frame of {@code df}: {@code label}, the assembled {@code features} and
   * {@code weight} (lazy, no job).
   *
   * @param test true for data the encoder was not fitted on: unknown categories become all-zero
   * @param label the mapped label ({@link FrameLabels#mapped}), over {@code df}'s columns
   * @param weight the instance weight, over {@code df}'s columns
   */
  Dataset<Row> transform(Dataset<Row> df, boolean test, Column label, Column weight) {
    Dataset<Row> out = df;
    if (!categorical.isEmpty()) {
      out = asStrings(out, categorical);
      if (test) {
        StringIndexerModel keep = indexer.copy(ParamMap.empty()).setHandleInvalid("keep");
        out = keep.transform(out);
        for (int k = 0; k < categorical.size(); k++) {
          // "keep" gives unknown categories the index numLevels; the dropped reference slot is
          // numLevels - 1, so folding it there encodes them as zeros (and drops the metadata
          // that would announce one level more than the encoder was fitted with).
          int levels = indexer.labelsArray()[k].length;
          Column idx = col(indexColumn(k));
          out = out.withColumn(indexColumn(k),
              when(idx.geq(levels), lit((double) levels - 1)).otherwise(idx));
        }
      } else {
        out = indexer.transform(out);
      }
      out = encoder.transform(out);
    }
    return assembler.transform(out).select(
        label.as(TrainingData.LABEL), col(ASSEMBLED).as(TrainingData.FEATURES),
        weight.as(TrainingData.WEIGHT));
  }

  private static Dataset<Row> asStrings(Dataset<Row> df, List<String> names) {
    Dataset<Row> out = df;
    for (StructField f : df.schema().fields()) {
      if (names.contains(f.name()) && f.dataType() != DataTypes.StringType) {
        out = out.withColumn(f.name(), quoted(f.name()).cast(DataTypes.StringType));
      }
    }
    return out;
  }

  private static String indexColumn(int k) {
    return PREFIX + "index_" + k;
  }

  private static String vectorColumn(int k) {
    return PREFIX + "onehot_" + k;
  }
}
