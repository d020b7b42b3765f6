package dev.sparknewton.distributed;

import dev.sparknewton.models.Shared;
import org.apache.spark.broadcast.Broadcast;

/** A {@link Shared} value backed by a Spark broadcast, destroyed on {@link #close()}. */
final class BroadcastShared<T> implements Shared<T> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<T> broadcast;

  BroadcastShared(Broadcast<T> broadcast) {
    this.broadcast = broadcast;
  }

  @Override
  public T get() {
    return broadcast.value();
  }

  @Override
  public void close() {
    if (broadcast.isValid()) {
      broadcast.destroy();
    }
  }
}
