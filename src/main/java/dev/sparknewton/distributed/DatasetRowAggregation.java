package dev.sparknewton.distributed;

import java.io.Serializable;
import java.util.Collections;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * One Dataset action over single rows, the Dataset API's counterpart of
 * {@link RddRowAggregation} for sessions without a SparkContext (Spark Connect): a typed
 * {@code mapPartitions} folds each partition's rows into its own copy of the zero (which travels
 * inside the function), and the partial sums, one a non-empty partition, come back to the driver
 * and are merged there. Driver traffic: one serialized partial sum per partition.
 */
public final class DatasetRowAggregation {
  private DatasetRowAggregation() {}

  /** Folds one row into a partial sum; may modify and return its first argument. */
  @FunctionalInterface
  public interface RowFold<A> extends Serializable {
    A add(A sum, Row row);
  }

  /** Folds the second partial sum into the first; may modify and return its first argument. */
  @FunctionalInterface
  public interface Merge<A> extends Serializable {
    A merge(A a, A b);
  }

  /**
   * Folds every row of {@code rows} into a copy of {@code zero} per partition with {@code add} and
   * merges the partial sums with {@code merge}, in one Dataset action.
   *
   * @param rows not modified
   * @param zero the empty sum, serialized with the function; not modified on the driver
   * @return the total; {@code zero} itself when no partition has a row
   */
  public static <A extends Serializable> A aggregate(Dataset<Row> rows, A zero, RowFold<A> add,
      Merge<A> merge) {
    List<byte[]> partials = rows.mapPartitions((MapPartitionsFunction<Row, byte[]>) it -> {
      if (!it.hasNext()) {
        return Collections.emptyIterator();
      }
      A sum = zero; // this task's own copy, deserialized with the function
      while (it.hasNext()) {
        sum = add.add(sum, it.next());
      }
      return List.of(SerializedBytes.of(sum)).iterator();
    }, Encoders.BINARY()).collectAsList();
    if (partials.isEmpty()) {
      return zero;
    }
    A total = SerializedBytes.read(partials.get(0));
    for (int i = 1; i < partials.size(); i++) {
      total = merge.merge(total, SerializedBytes.<A>read(partials.get(i)));
    }
    return total;
  }
}
