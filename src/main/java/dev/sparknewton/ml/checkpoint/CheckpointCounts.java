package dev.sparknewton.ml.checkpoint;

/**
 * The counters of a run up to a checkpoint, which a resumed run continues from, so that its
 * {@code iterations.jsonl} and {@code summary.json} count as if the run had never stopped.
 *
 * @param passes solver passes over the cached blocks
 * @param jobs Spark jobs of the run's job group (caching the blocks included)
 * @param tasks their tasks
 * @param bytesSent bytes their tasks sent back
 * @param seconds wall seconds of the run, not counting time spent scoring held-out rows
 */
public record CheckpointCounts(long passes, long jobs, long tasks, long bytesSent, double seconds) {}
