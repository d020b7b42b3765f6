package dev.sparknewton.ml;

import java.util.List;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import scala.Option;

/**
 * The saved form of a fitted linear model of the Spark ML API, laid out as MLlib lays out its
 * own models, so {@code PipelineModel.save} / {@code PipelineModel.load} handle it:
 *
 * <ul>
 *   <li>{@code <path>/metadata/}: one JSON line by Spark's {@code DefaultParamsWriter}: class
 *       name, uid, Spark version, every param set and every default;
 *   <li>{@code <path>/data/}: a Parquet file with one row, the columns of MLlib's
 *       {@code LogisticRegressionModel} data: {@code numClasses} (int; 0 for regression),
 *       {@code numFeatures} (int, {@code d}), {@code interceptVector} (ml Vector, {@code K}
 *       intercepts), {@code coefficientMatrix} (ml Matrix, {@code K x d}, row {@code k} the
 *       coefficients of output {@code k}) and {@code isMultinomial} (boolean).
 * </ul>
 *
 * Doubles are stored as they are, so a loaded model predicts bit for bit as the saved one.
 */
public final class LinearModelStore {
  private static final StructType SCHEMA = new StructType()
      .add("numClasses", DataTypes.IntegerType, false)
      .add("numFeatures", DataTypes.IntegerType, false)
      .add("interceptVector", SQLDataTypes.VectorType(), false)
      .add("coefficientMatrix", SQLDataTypes.MatrixType(), false)
      .add("isMultinomial", DataTypes.BooleanType, false);

  /**
   * What {@link #load} read.
   *
   * @param metadata the params metadata, for {@code metadata.getAndSetParams(model, None)}
   */
  public record Stored(DefaultParamsReader.Metadata metadata, int numClasses, int numFeatures,
      Vector interceptVector, Matrix coefficientMatrix, boolean isMultinomial) {

    /** Sets the saved params (and defaults) on {@code model}. */
    public void setParams(Params model) {
      metadata.getAndSetParams(model, Option.empty());
    }
  }

  private LinearModelStore() {}

  /** Writes {@code model}'s params and coefficients under {@code path}. */
  public static void save(Params model, String path, SparkSession spark, int numClasses,
      Vector interceptVector, Matrix coefficientMatrix, boolean isMultinomial) {
    DefaultParamsWriter$.MODULE$.saveMetadata(model, path, spark);
    Row row = RowFactory.create(numClasses, coefficientMatrix.numCols(), interceptVector,
        coefficientMatrix, isMultinomial);
    spark.createDataFrame(List.of(row), SCHEMA).repartition(1).write()
        .parquet(new org.apache.hadoop.fs.Path(path, "data").toString());
  }

  /**
   * Reads what {@link #save} wrote.
   *
   * @param className the class that must have written it
   * @throws IllegalArgumentException when the metadata names another class
   */
  public static Stored load(String path, SparkSession spark, String className) {
    DefaultParamsReader.Metadata metadata =
        DefaultParamsReader$.MODULE$.loadMetadata(path, spark, className);
    Row row = spark.read().parquet(new org.apache.hadoop.fs.Path(path, "data").toString())
        .select("numClasses", "numFeatures", "interceptVector", "coefficientMatrix",
            "isMultinomial")
        .head();
    return new Stored(metadata, row.getInt(0), row.getInt(1), (Vector) row.get(2),
        (Matrix) row.get(3), row.getBoolean(4));
  }
}
