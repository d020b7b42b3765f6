package dev.sparknewton.objective;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.data.SparseRowBlock;
import dev.sparknewton.models.BlockAggregator;
import dev.sparknewton.models.InlineShared;
import dev.sparknewton.models.Shared;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A {@link BlockFold} over blocks held on the driver: no Spark job, no pass counted. Over at least
 * {@link #PARALLEL_BYTES} of blocks a fold runs on {@link #CHUNKS} contiguous chunks in parallel
 * (the common fork-join pool) and merges their sums in chunk order, so its result does not depend
 * on the number of cores; smaller folds run in one thread, block by block.
 */
public final class LocalBlockFold implements BlockFold {
  /** The chunks a fold is split into: enough for a driver's cores, fixed for reproducibility. */
  static final int CHUNKS = 8;
  /** Below this size a fold takes under a millisecond or so, less than handing out the chunks. */
  static final long PARALLEL_BYTES = 4L << 20;

  private final List<RowBlock> blocks;
  private final long sizeInBytes;

  /**
   * Consecutive sparse blocks of a {@link #coalesced} fold are concatenated up to this size: the
   * same as {@link #PARALLEL_BYTES}, so a fold of at least that size still has one block per
   * chunk to run in parallel.
   */
  static final long COALESCED_BYTES = PARALLEL_BYTES;

  /**
   * A fold over the rows of {@code blocks}, in order, with consecutive sparse blocks concatenated
   * into blocks of about {@link #COALESCED_BYTES} (a block is closed once it reaches that size;
   * dense blocks are kept as they are). For rows collected to the driver from small executor
   * blocks ({@code data.maxBlockSizeMb} = 1 by default), whose products the driver runs hundreds
   * of times an iteration: a sparse block product with {@code r} columns sweeps the block once
   * per column, gathering from a column of {@code V} that a small block reloads into cache again,
   * so its cost grows with the number of blocks. news20 multinomial, one Hessian-vector product
   * (1.24M parameters, 20 columns) over the 15 MB of rows: 64-68 ms as 16 blocks of 1,000 rows,
   * 39-45 ms as 4 of 4,000 (docs/benchmarks.md, "Fewer, larger blocks for the driver's
   * products"). The concatenated blocks get ids {@code -1, -2, ...}, apart from the executors'
   * (which are {@code >= 0}), and keep every row's key.
   *
   * @param blocks not modified; sparse ones are copied when concatenated
   */
  public static LocalBlockFold coalesced(List<RowBlock> blocks) {
    List<RowBlock> out = new ArrayList<>();
    List<SparseRowBlock> run = new ArrayList<>();
    long runBytes = 0;
    for (RowBlock b : blocks) {
      if (!(b instanceof SparseRowBlock sparse)) {
        flush(run, out);
        runBytes = 0;
        out.add(b);
        continue;
      }
      run.add(sparse);
      runBytes += b.sizeInBytes();
      if (runBytes >= COALESCED_BYTES) {
        flush(run, out);
        runBytes = 0;
      }
    }
    flush(run, out);
    return new LocalBlockFold(out);
  }

  private static void flush(List<SparseRowBlock> run, List<RowBlock> out) {
    if (run.size() == 1) {
      out.add(run.get(0));
    } else if (run.size() > 1) {
      out.add(SparseRowBlock.concatenate(-1L - out.size(), run));
    }
    run.clear();
  }

  /** @param blocks kept, not copied; not modified */
  public LocalBlockFold(List<RowBlock> blocks) {
    this.blocks = List.copyOf(blocks);
    long size = 0;
    for (RowBlock b : blocks) {
      size += b.sizeInBytes();
    }
    this.sizeInBytes = size;
  }

  public List<RowBlock> blocks() {
    return blocks;
  }

  @Override
  public <T extends Serializable> Shared<T> share(T value) {
    return new InlineShared<>(value);
  }

  @Override
  public <A extends BlockAggregator<A>> A aggregate(String pass, A zero) {
    int chunks = Math.min(CHUNKS, blocks.size());
    if (chunks <= 1 || sizeInBytes < PARALLEL_BYTES) {
      return fold(zero, 0, blocks.size());
    }
    List<A> zeros = new ArrayList<>(chunks);
    zeros.add(zero);
    for (int c = 1; c < chunks; c++) {
      zeros.add(zero.emptyCopy());
    }
    List<A> sums = IntStream.range(0, chunks).parallel()
        .mapToObj(c -> fold(zeros.get(c), c * blocks.size() / chunks, (c + 1) * blocks.size() / chunks))
        .collect(Collectors.toList());
    A total = sums.get(0);
    for (int c = 1; c < chunks; c++) {
      total = total.merge(sums.get(c));
    }
    return total;
  }

  private <A extends BlockAggregator<A>> A fold(A zero, int from, int to) {
    A acc = zero;
    for (int b = from; b < to; b++) {
      acc = acc.add(blocks.get(b));
    }
    return acc;
  }

  @Override
  public List<RowBlock> collect(String pass, RowSample sample) {
    List<RowBlock> out = new ArrayList<>(blocks.size());
    for (RowBlock block : blocks) {
      out.add(sample.apply(block));
    }
    return out;
  }

  @Override
  public long sizeInBytes() {
    return sizeInBytes;
  }
}
