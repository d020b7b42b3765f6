package dev.sparknewton.data;

import static dev.sparknewton.data.FrameChecks.quoted;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/**
 * Turns the columns of a table into one feature vector, fitted on the training rows only:
 * numeric columns as they are (as doubles), every other column one-hot encoded with its
 * categories by decreasing training frequency, ties by string order, and the last (least
 * frequent) category dropped as the all-zero reference (the encoding of Spark ML's
 * {@code StringIndexer} with {@code frequencyDesc} followed by {@code OneHotEncoder} with
 * {@code dropLast}), all in the table's column order.
 *
 * <p>Test rows with a category the training rows never had get the all-zero encoding of that
 * column.
 *
 * <p>The Dataset API alone (one aggregation to fit, a typed map to encode), so it runs on a Spark
 * Connect session as on classic Spark, where Spark ML's feature transformers need classic Spark.
 */
final class CsvFeatureEncoder implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The feature columns, in order. */
  private final List<String> columns;
  /**
   * Per feature column: null for a numeric column, else the slot of each kept category (all
   * but the least frequent), {@code 0 .. levels - 2}.
   */
  private final List<HashMap<String, Integer>> slots;
  /** Per feature column, the first index of its slots in the feature vector. */
  private final int[] offsets;
  private final int numFeatures;
  private final List<String> featureNames;

  private CsvFeatureEncoder(List<String> columns, List<List<String>> levels) {
    this.columns = List.copyOf(columns);
    this.slots = new ArrayList<>();
    this.offsets = new int[columns.size()];
    List<String> names = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      offsets[i] = names.size();
      String c = columns.get(i);
      List<String> l = levels.get(i);
      if (l == null) {
        slots.add(null);
        names.add(c);
      } else {
        HashMap<String, Integer> s = new HashMap<>();
        for (int j = 0; j < l.size() - 1; j++) {
          s.put(l.get(j), j);
          names.add(c + "=" + l.get(j));
        }
        slots.add(s);
      }
    }
    this.numFeatures = names.size();
    this.featureNames = Collections.unmodifiableList(names);
  }

  /**
   * Fits the category indexes on {@code train} (one job when there are categorical columns).
   *
   * @param columns the feature columns of {@code train}, in order
   */
  static CsvFeatureEncoder fit(Dataset<Row> train, List<String> columns) {
    StructType schema = train.schema();
    List<Integer> categorical = new ArrayList<>();
    List<Column> cells = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      String c = columns.get(i);
      if (!(schema.apply(c).dataType() instanceof NumericType)) {
        categorical.add(i);
        cells.add(struct(lit(i).as("column"), quoted(c).cast(DataTypes.StringType).as("value")));
      }
    }
    List<List<String>> levels = new ArrayList<>(Collections.nCopies(columns.size(), null));
    if (!categorical.isEmpty()) {
      Map<Integer, List<Row>> counts = new HashMap<>();
      for (Row r : train.select(explode(array(cells.toArray(new Column[0]))).as("cell"))
          .groupBy(col("cell.column"), col("cell.value")).count().collectAsList()) {
        counts.computeIfAbsent(r.getInt(0), k -> new ArrayList<>()).add(r);
      }
      for (int i : categorical) {
        List<Row> l = counts.getOrDefault(i, List.of());
        List<Row> sorted = new ArrayList<>(l);
        // Decreasing count, ties by string order (StringIndexer's frequencyDesc).
        sorted.sort(Comparator.comparingLong((Row r) -> -r.getLong(2))
            .thenComparing(r -> r.getString(1)));
        List<String> names = new ArrayList<>();
        for (Row r : sorted) {
          names.add(r.getString(1));
        }
        levels.set(i, names);
      }
    }
    return new CsvFeatureEncoder(columns, levels);
  }

  /** One name per feature: the column name, or "column=category" for a one-hot slot. */
  List<String> featureNames() {
    return featureNames;
  }

  int numNumeric() {
    return (int) slots.stream().filter(s -> s == null).count();
  }

  int numCategorical() {
    return columns.size() - numNumeric();
  }

  /**
   * The training frame of {@code df}: {@code label}, the assembled {@code features} and
   * {@code weight} (lazy, no job). A category the encoder was not fitted with (test data) is
   * all-zero.
   *
   * @param label the mapped label ({@link FrameLabels#mapped}), over {@code df}'s columns
   * @param weight the instance weight, over {@code df}'s columns
   */
  Dataset<Row> transform(Dataset<Row> df, Column label, Column weight) {
    List<Column> in = new ArrayList<>();
    in.add(label.cast(DataTypes.DoubleType));
    in.add(weight.cast(DataTypes.DoubleType));
    for (int i = 0; i < columns.size(); i++) {
      Column c = quoted(columns.get(i));
      in.add(slots.get(i) == null ? c.cast(DataTypes.DoubleType) : c.cast(DataTypes.StringType));
    }
    CsvFeatureEncoder encoder = this;
    return df.select(in.toArray(new Column[0])).map((MapFunction<Row, Row>) r ->
        RowFactory.create(r.getDouble(0), encoder.features(r), r.getDouble(1)),
        Encoders.row(TrainingData.SCHEMA));
  }

  /** The feature vector of a row of label, weight and the feature columns in order. */
  private org.apache.spark.ml.linalg.Vector features(Row r) {
    int[] indices = new int[columns.size()];
    double[] values = new double[columns.size()];
    int n = 0;
    for (int i = 0; i < columns.size(); i++) {
      HashMap<String, Integer> s = slots.get(i);
      if (s == null) {
        double v = r.getDouble(2 + i);
        if (v != 0.0) {
          indices[n] = offsets[i];
          values[n++] = v;
        }
      } else {
        Integer slot = s.get(r.getString(2 + i));
        if (slot != null) {
          indices[n] = offsets[i] + slot;
          values[n++] = 1.0;
        }
      }
    }
    return Vectors.sparse(numFeatures, java.util.Arrays.copyOf(indices, n),
        java.util.Arrays.copyOf(values, n)).compressed();
  }
}
