package dev.sparknewton.distributed;

import java.io.Serializable;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;

/**
 * One {@code treeAggregate} (one Spark job) over an RDD of single rows rather than cached row
 * blocks: the row-level counterpart of {@link RddBlockFold#aggregate}, for read-outs such as test
 * metrics that fold each row once. The tree depth is Spark's default for {@code treeAggregate}
 * (2). The job carries {@code description} while it runs.
 */
public final class RddRowAggregation {
  private RddRowAggregation() {}

  /**
   * Folds every row of {@code rows} into a copy of {@code zero} per partition with {@code add} and
   * combines the partial results with {@code merge}, in one Spark job.
   *
   * @param description the job's description in Spark's UI and listeners, e.g. "test metrics"
   * @param rows not modified
   * @param zero the empty sum; serialized to every task, so it should hold no large buffer until
   *     its first {@code add}. Not modified on the driver.
   * @param add folds one row into a partial sum and returns it (may modify its first argument)
   * @param merge folds the second partial sum into the first and returns it (may modify its first
   *     argument)
   * @return the total; {@code zero} itself (not a copy) when {@code rows} has no partitions
   */
  public static <T, A extends Serializable> A aggregate(String description, JavaRDD<T> rows,
      A zero, Function2<A, T, A> add, Function2<A, A, A> merge) {
    rows.context().setJobDescription(description);
    try {
      return rows.treeAggregate(zero, add, merge);
    } finally {
      rows.context().setJobDescription(null);
    }
  }
}
