package dev.sparknewton.ml.checkpoint;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Whether and where a training run keeps checkpoints of its optimizer ({@code checkpoint.*}):
 * every {@code interval} outer iterations it writes one to {@code dir} (any Hadoop file system
 * path), and when {@code resume} is set and {@code dir} holds a checkpoint of the same data and
 * settings, the run continues from the newest valid one instead of starting over.
 *
 * @param dir the directory; empty for no checkpoints
 * @param interval outer iterations between checkpoints, {@code >= 1}
 * @param resume continue from a checkpoint in {@code dir}; false deletes them and starts over
 * @param settings every setting that affects the result, by name, with its value (for the CLI
 *     the {@code data.*}, {@code model.*}, {@code solver.*} keys and the partitioning); a
 *     checkpoint whose settings differ is refused. Copied.
 * @param log receives the one-line notes of the run (resumed from, started fresh, skipped an
 *     unreadable checkpoint)
 */
public record Checkpointing(
    String dir, int interval, boolean resume, SortedMap<String, String> settings,
    Consumer<String> log) {

  public Checkpointing {
    if (interval < 1) {
      throw new IllegalArgumentException("checkpoint.interval must be >= 1, got " + interval);
    }
    settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
  }

  /** No checkpoints. */
  public static Checkpointing none() {
    return new Checkpointing("", 1, true, new TreeMap<>(), line -> {});
  }

  public boolean enabled() {
    return !dir.isEmpty();
  }
}
