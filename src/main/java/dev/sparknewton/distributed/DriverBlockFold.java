package dev.sparknewton.distributed;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.models.BlockAggregator;
import dev.sparknewton.models.Shared;
import dev.sparknewton.objective.LocalBlockFold;
import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The row blocks brought to the driver once ({@code spark.fold = driver}); every pass after that
 * is a sweep over them on the driver ({@link LocalBlockFold}), no Spark job. For data that fit in
 * the driver's memory a sweep costs less than a Spark job's latency (tens of milliseconds a job in
 * local mode, 0.1-1 s on a cluster, more in a fresh JVM whose scheduling path is not yet
 * compiled), so a small problem trains in the time of its sweeps; the executors then only read
 * and blockify the input. The blocks are the ones the RDD fold caches, in the same order, so the
 * sums are those of a fold over one partition per block run in {@link LocalBlockFold}'s order:
 * equal to the RDD fold's up to the order of additions.
 *
 * <p>{@link #passes()} counts the sweeps (and the collect), as the other folds count their jobs:
 * the solvers' pass counts mean the same whichever fold runs them.
 */
public final class DriverBlockFold implements DistributedFold {
  private final LocalBlockFold local;
  private final long numRows;
  private final int numPartitions;
  private final AtomicLong passes;

  private static final double MIB = 1024.0 * 1024.0;

  private DriverBlockFold(List<RowBlock> blocks, long numRows, int numPartitions, long passes) {
    this.local = new LocalBlockFold(blocks);
    this.numRows = numRows;
    this.numPartitions = numPartitions;
    this.passes = new AtomicLong(passes);
  }

  /**
   * Collects the blocks of {@code cached} to the driver (one Spark job) when they take at most
   * {@code maxBytes}, and closes {@code cached} (unpersisting its blocks) either way.
   *
   * @param budgetKey the setting that holds {@code maxBytes}, named in the refusal
   * @throws IllegalArgumentException when the blocks take more than {@code maxBytes}: one line
   *     naming their size, the budget and the key that raises it
   */
  public static DriverBlockFold collect(RddBlockFold cached, long maxBytes, String budgetKey) {
    try (cached) {
      if (cached.sizeInBytes() > maxBytes) {
        // MiB, the unit of the budget's key (as ExactNewton's refusal prints solver.denseMaxMb).
        throw new IllegalArgumentException(String.format(Locale.ROOT,
            "spark.fold = driver: the %,d rows take %.1f MB as row blocks, over the driver's "
                + "budget %s = %.1f MB; raise it or use spark.fold = auto",
            cached.numRows(), cached.sizeInBytes() / MIB, budgetKey, maxBytes / MIB));
      }
      List<RowBlock> blocks = cached.collect("row blocks to the driver", RowSample.all());
      return new DriverBlockFold(blocks, cached.numRows(), cached.numPartitions(),
          cached.passes());
    }
  }

  @Override
  public <T extends Serializable> Shared<T> share(T value) {
    return local.share(value);
  }

  @Override
  public <A extends BlockAggregator<A>> A aggregate(String pass, A zero) {
    passes.incrementAndGet();
    return local.aggregate(pass, zero);
  }

  @Override
  public List<RowBlock> collect(String pass, RowSample sample) {
    passes.incrementAndGet();
    return local.collect(pass, sample);
  }

  @Override
  public long sizeInBytes() {
    return local.sizeInBytes();
  }

  /** No jobs to label: the sweeps run on the driver. */
  @Override
  public void setPhase(String phase) {}

  @Override
  public long passes() {
    return passes.get();
  }

  @Override
  public long numRows() {
    return numRows;
  }

  @Override
  public int numPartitions() {
    return numPartitions;
  }

  /** The blocks are ordinary driver objects: nothing is persisted, nothing to release. */
  @Override
  public void close() {}
}
