package dev.sparknewton.cli;

import dev.sparknewton.ml.checkpoint.Checkpointing;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The {@code checkpoint.*} keys of {@code train}, and which keys a checkpoint must agree on to be
 * resumed: every key that changes the iterates, {@code data.*}, {@code model.*},
 * {@code solver.*} (except {@link #NOT_AFFECTING}) and the partitioning
 * ({@code spark.partitions}, {@code spark.aggregationDepth}, which fix the order in which partial
 * sums add). Not the output keys, the master or the checkpoint keys themselves: a run may resume
 * on another cluster, into another output directory.
 */
final class CheckpointOptions {
  /** Sections whose every key is part of the fingerprint. */
  static final List<String> SECTIONS = List.of("data", "model", "solver");
  /** Keys outside those sections that are. */
  static final List<String> KEYS = List.of("spark.partitions", "spark.aggregationDepth");
  /**
   * Keys inside those sections that are not: the curvature cache only decides whether per-row
   * state is kept or recomputed, with the same result bit for bit (README, "Models and
   * objectives").
   */
  static final List<String> NOT_AFFECTING = List.of("solver.curvatureCacheMb");

  private CheckpointOptions() {}

  /** The checkpoint settings of {@code c}, printing its notes on stdout. */
  static Checkpointing of(JobConfig c) {
    return new Checkpointing(c.string("checkpoint.dir").trim(), c.integer("checkpoint.interval"),
        c.bool("checkpoint.resume"), fingerprintKeys(c), System.out::println);
  }

  /** The keys a checkpoint must agree on, with their values. */
  static SortedMap<String, String> fingerprintKeys(JobConfig c) {
    SortedMap<String, String> keys = new TreeMap<>();
    for (String section : SECTIONS) {
      keys.putAll(c.values(section));
    }
    SortedMap<String, String> spark = c.values("spark");
    for (String key : KEYS) {
      keys.put(key, spark.get(key));
    }
    NOT_AFFECTING.forEach(keys::remove);
    return keys;
  }
}
