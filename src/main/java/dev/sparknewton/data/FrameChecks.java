package dev.sparknewton.data;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.isnan;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
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
 * Checks of a data frame before it becomes training data. A row-level check is a string column
 * that is null when the row is fine and otherwise says what is wrong ("weight -1 is negative"),
 * so all checks of a frame run in one job and only the error path pays for finding the row.
 */
final class FrameChecks {
  private FrameChecks() {}

  /** Finds where the first row with a problem is and says so ("a.csv line 7: ..."). */
  @FunctionalInterface
  interface Locator {
    /**
     * @param problem the combined check column (null when a row is fine)
     * @return a one-line message naming the row and its problem
     */
    String firstProblem(Column problem);
  }

  /** Column {@code name} taken literally (dots, spaces and backticks are not syntax). */
  static Column quoted(String name) {
    return col("`" + name.replace("`", "``") + "`");
  }

  /** Throws unless {@code df} has column {@code name}, listing the ones it has. */
  static void requireColumn(Dataset<Row> df, String name, String role, String where) {
    if (!Arrays.asList(df.columns()).contains(name)) {
      throw new DataValidationException(role + " column '" + name + "' not found in " + where
          + "; available: " + String.join(", ", df.columns()));
    }
  }

  /** Throws unless column {@code name} of {@code df} is numeric. */
  static void requireNumeric(Dataset<Row> df, String name, String role, String where) {
    DataType type = df.schema().apply(name).dataType();
    if (!(type instanceof NumericType)) {
      throw new DataValidationException(role + " column '" + name + "' in " + where + " is "
          + type.simpleString() + ", expected a number");
    }
  }

  /** Throws unless column {@code name} of {@code df} holds Spark ML vectors. */
  static void requireVector(Dataset<Row> df, String name, String role, String where) {
    DataType type = df.schema().apply(name).dataType();
    if (!(type instanceof VectorUDT)) {
      throw new DataValidationException(role + " column '" + name + "' in " + where + " is "
          + type.simpleString() + ", expected an org.apache.spark.ml.linalg.Vector");
    }
  }

  /** The first non-null of {@code checks}. */
  static Column firstOf(List<Column> checks) {
    return checks.size() == 1 ? checks.get(0) : coalesce(checks.toArray(new Column[0]));
  }

  /** A number that must be present and finite: "column 'age' value NaN is not finite". */
  static Column finiteNumber(String name, String what) {
    Column c = quoted(name);
    return when(c.isNull(), lit(what + " is empty or not a number"))
        .when(isnan(c).or(c.equalTo(Double.POSITIVE_INFINITY)).or(c.equalTo(Double.NEGATIVE_INFINITY)),
            concat(lit(what + " value "), c.cast(DataTypes.StringType), lit(" is not finite")));
  }

  /** A value that must be present: "column 'job' is empty". */
  static Column present(String name, String what) {
    return when(quoted(name).isNull(), lit(what + " is empty"));
  }

  /** An instance weight: present, finite and {@code >= 0}. */
  static Column weight(String name) {
    Column c = quoted(name);
    return coalesce(finiteNumber(name, "weight '" + name + "'"),
        when(c.lt(0), concat(lit("weight '" + name + "' value "), c.cast(DataTypes.StringType),
            lit(" is negative"))));
  }

  /** A feature vector with finite values and, when {@code size > 0}, that size. */
  static Column vector(String name, int size) {
    return vectorProblem(name, size).apply(quoted(name));
  }

  /** The size of a vector column (null for a null vector). */
  static Column vectorSize(String name) {
    UDF1<Vector, Integer> sizeOf = v -> v == null ? null : v.size();
    return functions.udf(sizeOf, DataTypes.IntegerType).apply(quoted(name));
  }

  private static UserDefinedFunction vectorProblem(String name, int size) {
    UDF1<Vector, String> check = v -> {
      if (v == null) {
        return "'" + name + "' is empty";
      }
      if (size > 0 && v.size() != size) {
        return "'" + name + "' has size " + v.size() + ", expected " + size;
      }
      double[] values = v instanceof SparseVector s ? s.values() : ((DenseVector) v).values();
      for (int k = 0; k < values.length; k++) {
        if (!Double.isFinite(values[k])) {
          int index = v instanceof SparseVector s ? s.indices()[k] : k;
          return "'" + name + "' value " + values[k] + " at index " + index + " is not finite";
        }
      }
      return null;
    };
    return functions.udf(check, DataTypes.StringType);
  }

  /** The sum of the weight column (a double aggregate), or the row count with unit weights. */
  static Column weightSum(Optional<String> weightCol) {
    return functions.sum(weightOrOne(weightCol)).cast(DataTypes.DoubleType);
  }

  /**
   * Throws when the instance weights of the training rows sum to zero (every weight is 0, as
   * {@link #weight} has already refused negative ones): no row would count in the objective.
   */
  static void requirePositiveWeightSum(double sum, Optional<String> weightCol, String where) {
    if (!(sum > 0.0)) {
      throw new DataValidationException("every instance weight in column '"
          + weightCol.orElse("") + "' of " + where + " is 0: no row counts in the objective");
    }
  }

  /** The weight column of the training frame: the given column as a double, or 1. */
  static Column weightOrOne(Optional<String> weightCol) {
    return weightCol.map(w -> quoted(w).cast(DataTypes.DoubleType)).orElse(lit(1.0));
  }

  /**
   * Counts the rows of {@code df} and checks them all, in one job that also computes
   * {@code extra} aggregates.
   *
   * @return the aggregate row: the row count (at least 1), the bad-row count (0), then
   *     {@code extra}
   * @throws DataValidationException for no rows, or naming the first row with a problem
   */
  static Row countChecked(Dataset<Row> df, Column problem, Locator locator, String where,
      Column... extra) {
    Column[] aggregates = new Column[extra.length + 1];
    aggregates[0] = functions.count(problem);
    System.arraycopy(extra, 0, aggregates, 1, extra.length);
    Row counts = df.agg(functions.count(lit(1)), aggregates).first();
    if (counts.getLong(0) == 0) {
      throw new DataValidationException("no rows in " + where);
    }
    if (counts.getLong(1) > 0) {
      throw new DataValidationException(
          locator.firstProblem(problem) + " (" + counts.getLong(1) + " bad rows in all)");
    }
    return counts;
  }
}
