package dev.sparknewton.models;

import java.io.Serializable;

/**
 * A {@link Shared} value that travels inside whatever holds it: serialized with every aggregator
 * (and so with every task) that refers to it, instead of once per worker. What a fold offers where
 * there is nothing like a broadcast: on the driver ({@code objective.LocalBlockFold}) no copy is
 * made at all, over the Dataset API ({@code distributed.DatasetBlockFold}, Spark Connect) the value
 * rides in the task's function. Closing does nothing. A final class rather than a record, as Kryo
 * 4 cannot serialize records on Java 17.
 */
public final class InlineShared<T extends Serializable> implements Shared<T> {
  private static final long serialVersionUID = 1L;

  private final T value;

  /** @param value kept, not copied; not to be modified while shared */
  public InlineShared(T value) {
    this.value = value;
  }

  @Override
  public T get() {
    return value;
  }

  @Override
  public void close() {}
}
