package dev.sparknewton.distributed;

import java.util.Optional;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;

/** What a session offers the folds: a SparkContext (classic Spark) or none (Spark Connect). */
public final class DistributedFolds {
  private DistributedFolds() {}

  /**
   * The SparkContext behind {@code spark}, or empty on a Spark Connect session (whose
   * {@code sparkContext()} throws: the client has none).
   */
  public static Optional<SparkContext> sparkContext(SparkSession spark) {
    try {
      return Optional.of(spark.sparkContext());
    } catch (UnsupportedOperationException | NoClassDefFoundError e) {
      return Optional.empty();
    }
  }

  /**
   * Throws, in one line naming {@code what} and {@code why}, when {@code spark} has no
   * SparkContext (a Spark Connect session).
   *
   * @throws UnsupportedOperationException on a Spark Connect session
   */
  public static void requireClassic(SparkSession spark, String what, String why) {
    if (sparkContext(spark).isEmpty()) {
      throw new UnsupportedOperationException(what + " needs classic Spark, not a Spark Connect "
          + "session: " + why);
    }
  }

  /**
   * {@code choice}, with {@code auto} resolved: {@link FoldChoice#RDD} when {@code spark} has a
   * SparkContext, else {@link FoldChoice#DATASET}.
   *
   * @throws IllegalArgumentException for {@code rdd} or {@code driver} on a session without a
   *     SparkContext
   */
  public static FoldChoice resolve(FoldChoice choice, SparkSession spark) {
    boolean classic = sparkContext(spark).isPresent();
    if (choice == FoldChoice.AUTO) {
      return classic ? FoldChoice.RDD : FoldChoice.DATASET;
    }
    if ((choice == FoldChoice.RDD || choice == FoldChoice.DRIVER) && !classic) {
      throw new IllegalArgumentException("spark.fold = " + choice.configName() + " needs a "
          + "SparkContext, which a Spark Connect session does not offer: use spark.fold = auto or "
          + "dataset");
    }
    return choice;
  }
}
