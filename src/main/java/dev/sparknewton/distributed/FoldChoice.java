package dev.sparknewton.distributed;

import java.util.Locale;

/**
 * Which {@link DistributedFold} a training run uses ({@code spark.fold}): the RDD fold (RDD,
 * broadcast, tree aggregation), the Dataset fold (the Dataset API alone, which Spark Connect
 * offers), the driver fold (the blocks collected to the driver once, every pass a sweep there:
 * {@link DriverBlockFold}), or {@code auto}, the RDD fold when the session has a SparkContext
 * and the Dataset fold when it has none (a Spark Connect session).
 */
public enum FoldChoice {
  AUTO, RDD, DATASET, DRIVER;

  /** The configuration name: {@code auto}, {@code rdd}, {@code dataset}, {@code driver}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The choice named {@code name}; {@code key} names the setting in the error. */
  public static FoldChoice parse(String key, String name) {
    for (FoldChoice c : values()) {
      if (c.configName().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        key + " must be one of auto, rdd, dataset, driver, got '" + name + "'");
  }
}
