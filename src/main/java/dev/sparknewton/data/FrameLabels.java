package dev.sparknewton.data;

import static dev.sparknewton.data.FrameChecks.quoted;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;

/**
 * The label column of a data frame (parquet, table, csv): its type for the requested
 * {@link LabelKind}, its {@link LabelMapping} from the distinct training labels, the test labels
 * against it, and the mapped {@code label} column of the training frame.
 */
final class FrameLabels {
  private FrameLabels() {}

  /**
   * Throws unless the label column {@code name} of {@code df} suits {@code kind}: real-valued
   * targets need a numeric column, classes may be numbers or strings.
   */
  static void requireType(Dataset<Row> df, String name, LabelKind kind, String where) {
    DataType type = df.schema().apply(name).dataType();
    if (kind == LabelKind.REAL && !(type instanceof NumericType)) {
      throw new DataValidationException("label column '" + name + "' in " + where + " is "
          + type.simpleString() + ", but model.type = least-squares needs numeric labels");
    }
  }

  /**
   * The mapping of the labels of {@code df}: for classes, from up to
   * {@link LabelMapping#distinctToCollect} distinct non-null values (one job); for real-valued
   * targets the identity, without a job.
   */
  static LabelMapping mapping(Dataset<Row> df, String label, DataSpec spec, String where) {
    LabelKind kind = spec.labelKind();
    if (kind == LabelKind.REAL) {
      return LabelMapping.real();
    }
    boolean numeric = df.schema().apply(label).dataType() instanceof NumericType;
    Column c = quoted(label).cast(numeric ? DataTypes.DoubleType : DataTypes.StringType);
    List<Row> rows = df.select(c).where(c.isNotNull()).distinct()
        .limit(LabelMapping.distinctToCollect(kind, spec.maxClasses())).collectAsList();
    if (numeric) {
      List<Double> values = new ArrayList<>();
      rows.forEach(r -> values.add(r.getDouble(0)));
      return LabelMapping.ofNumbers(values, kind, spec.maxClasses(), spec.positiveLabel(), where);
    }
    List<String> values = new ArrayList<>();
    rows.forEach(r -> values.add(r.getString(0)));
    return LabelMapping.ofStrings(values, kind, spec.maxClasses(), spec.positiveLabel(), where);
  }

  /**
   * Throws unless every non-null label of {@code test} is one of {@code mapping}'s classes (one
   * job); real-valued targets have no classes to check.
   */
  static void requireKnown(Dataset<Row> test, String label, LabelMapping mapping, String where) {
    if (mapping.kind() == LabelKind.REAL) {
      return;
    }
    Object[] classes = mapping.classes().toArray();
    if (mapping.isNumeric()) {
      for (int k = 0; k < classes.length; k++) {
        classes[k] = mapping.classValue(k);
      }
    }
    // Above spark.sql.optimizer.inSetConversionThreshold (10) values, isin is a hash lookup.
    Column known = quoted(label).cast(mapping.isNumeric() ? DataTypes.DoubleType : DataTypes.StringType)
        .isin(classes);
    List<Row> unknown = test.select(quoted(label).cast(DataTypes.StringType))
        .where(quoted(label).isNotNull().and(functions.not(known))).limit(1).collectAsList();
    if (!unknown.isEmpty()) {
      throw new DataValidationException("test data " + where + " has label '"
          + unknown.get(0).getString(0) + "', not one of the training labels ("
          + mapping.describe() + ")");
    }
  }

  /**
   * The label column of the training frame: 0/1 for binary labels (a {@code when} of two
   * comparisons), the class index for multiclass labels (a lookup by
   * {@link LabelMapping#map}, logarithmic in the number of classes), the value as a double for
   * real-valued targets. Null for a raw value that is not a class.
   */
  static Column mapped(String label, LabelMapping mapping) {
    Column c = quoted(label).cast(mapping.isNumeric() ? DataTypes.DoubleType : DataTypes.StringType);
    return switch (mapping.kind()) {
      case REAL -> c;
      case BINARY -> mapping.isNumeric()
          ? when(c.equalTo(mapping.positiveValue()), 1.0).when(c.equalTo(mapping.negativeValue()), 0.0)
          : when(c.equalTo(mapping.positive()), 1.0).when(c.equalTo(mapping.negative()), 0.0);
      default -> classIndex(mapping).apply(c);
    };
  }

  /** The class index of a raw label, null when it is null or not a class. */
  private static UserDefinedFunction classIndex(LabelMapping mapping) {
    if (mapping.isNumeric()) {
      UDF1<Double, Double> index = raw -> raw == null ? null : nullIfNaN(mapping.map(raw));
      return functions.udf(index, DataTypes.DoubleType);
    }
    UDF1<String, Double> index = raw -> nullIfNaN(mapping.map(raw));
    return functions.udf(index, DataTypes.DoubleType);
  }

  private static Double nullIfNaN(double label) {
    return Double.isNaN(label) ? null : label;
  }
}
