package dev.sparknewton.models;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The curvature state of each block at the latest evaluated points, kept in the memory of the
 * JVM that computed it (an executor, or the driver for a local fold), so that every curvature
 * product of an outer iteration reuses what the gradient pass computed instead of recomputing the
 * outputs {@code f_theta(X)} and their {@code exp}s (LIBLINEAR keeps the same per-row weights
 * between its gradient and its Hessian-vector products).
 *
 * <p>Entries belong to a <em>generation</em>, one per evaluated point (and per collected
 * curvature sample), drawn on the driver by {@link #nextGeneration()}, increasing. Only the
 * {@link #GENERATIONS_KEPT} newest generations a JVM has seen are kept: storing a newer one
 * releases the oldest, so the states of a point are released once the points after it are
 * evaluated. A miss (another executor ran the task, the budget was full, the executor was
 * replaced) is never an error: the caller recomputes the state, which is a deterministic function
 * of the block and the point, so results do not depend on whether the cache hit.
 */
public final class CurvatureStateCache {
  /**
   * The current point and the one before it: a trust-region or line-search solver that rejects a
   * trial point goes on with the products of the previous one.
   */
  static final int GENERATIONS_KEPT = 2;

  private static final AtomicLong NEXT_GENERATION = new AtomicLong(1);
  private static final ConcurrentHashMap<Key, double[]> STATES = new ConcurrentHashMap<>();
  private static final long[] newest = new long[GENERATIONS_KEPT];
  private static long bytes;

  private record Key(long generation, long blockId) {}

  private CurvatureStateCache() {}

  /** A new generation, larger than every earlier one of this driver. */
  public static long nextGeneration() {
    return NEXT_GENERATION.getAndIncrement();
  }

  /** The state of block {@code blockId} at generation {@code generation}, or null. */
  static double[] get(long generation, long blockId) {
    return STATES.get(new Key(generation, blockId));
  }

  /**
   * Keeps {@code state} unless that would take the cache above {@code budgetBytes} or the
   * generation is older than the ones kept. Storing a generation newer than every kept one
   * releases the oldest kept generation.
   *
   * @param state kept, not copied; not to be modified afterwards
   */
  static synchronized void put(long generation, long blockId, double[] state, long budgetBytes) {
    long size = 8L * state.length + 64;
    if (!admit(generation) || bytes + size > budgetBytes) {
      return;
    }
    if (STATES.put(new Key(generation, blockId), state) == null) {
      bytes += size;
    }
  }

  /** Records {@code generation}; false when it is older than every kept generation. */
  private static boolean admit(long generation) {
    int oldest = 0;
    for (int g = 0; g < GENERATIONS_KEPT; g++) {
      if (newest[g] == generation) {
        return true;
      }
      if (newest[g] < newest[oldest]) {
        oldest = g;
      }
    }
    if (generation < newest[oldest]) {
      return false;
    }
    long released = newest[oldest];
    newest[oldest] = generation;
    STATES.entrySet().removeIf(e -> {
      if (e.getKey().generation() == released) {
        bytes -= 8L * e.getValue().length + 64;
        return true;
      }
      return false;
    });
    return true;
  }

  /** Bytes held, for tests and logs. */
  public static synchronized long bytes() {
    return bytes;
  }
}
