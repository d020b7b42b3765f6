package dev.sparknewton.models;

import java.io.Serializable;

/**
 * A read-only value shipped once to every worker (a broadcast on Spark, a plain reference in a
 * local fold). Aggregators hold one of these instead of the value itself, so the zero value sent
 * with every task stays small.
 *
 * <p>Created and closed only by a {@code BlockFold}; {@link #close()} releases the value on the
 * workers and is called on the driver only.
 */
public interface Shared<T> extends Serializable, AutoCloseable {
  /** The value; on a worker, fetched on first use. */
  T get();

  /** Releases the value everywhere. Idempotent. */
  @Override
  void close();
}
