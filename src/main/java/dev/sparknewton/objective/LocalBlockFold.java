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
   * The most bytes of a block of a {@link #coalesced} fold, about: the same as
   * {@link #PARALLEL_BYTES}, so a fold of at least that size still has one block per chunk to run
   * in parallel.
   */
  static final long COALESCED_BYTES = PARALLEL_BYTES;

  /**
   * A fold over the rows of {@code blocks}, in order, with each run of consecutive sparse blocks
   * concatenated into blocks of about equal size (dense blocks are kept as they are). For rows
   * collected to the driver from small executor blocks ({@code data.maxBlockSizeMb} = 1 by
   * default), whose products the driver runs hundreds of times an iteration: a sparse block
   * product with {@code r} columns sweeps the block once per column, gathering from a column of
   * {@code V} that a small block reloads into cache again, so its cost grows with the number of
   * blocks. news20 multinomial, one Hessian-vector product (1.24M parameters, 20 columns) over the
   * 15 MB of rows: 64-68 ms as 16 blocks of 1,000 rows, 39-45 ms as 4 of 4,000 (docs/benchmarks.md,
   * "Fewer, larger blocks for the driver's products").
   *
   * <p>A run of {@code T} bytes becomes {@code m = ceil(T / }{@link #COALESCED_BYTES}{@code )}
   * blocks, {@code m} rounded up to a power of two below {@link #CHUNKS}, and each source block
   * goes to the part {@code floor(m c / T)} its middle byte {@code c} falls in. Equal parts, and a
   * power-of-two count of them, split evenly over 2, 4 or 8 cores: closing a block once it
   * reached 4 MiB made news20's 16 blocks of 1 MB into 5 + 5 + 5 + 1, whose products took
   * 22, 22, 21 and 8 ms, 47-51 ms a product on 2 cores, where 4 + 4 + 4 + 4 take 39-40 ms
   * (docs/benchmarks.md, "Equal driver blocks"). The concatenated blocks get ids
   * {@code -1, -2, ...}, apart from the executors' (which are {@code >= 0}), and keep every row's
   * key.
   *
   * @param blocks not modified; sparse ones are copied when concatenated
   */
  public static LocalBlockFold coalesced(List<RowBlock> blocks) {
    List<RowBlock> out = new ArrayList<>();
    List<SparseRowBlock> run = new ArrayList<>();
    for (RowBlock b : blocks) {
      if (b instanceof SparseRowBlock sparse) {
        run.add(sparse);
      } else {
        split(run, out);
        out.add(b);
      }
    }
    split(run, out);
    return new LocalBlockFold(out);
  }

  /** Appends {@code run} to {@code out} as about equal parts (see {@link #coalesced}); clears it. */
  private static void split(List<SparseRowBlock> run, List<RowBlock> out) {
    long total = 0;
    for (SparseRowBlock b : run) {
      total += b.sizeInBytes();
    }
    long parts = Math.max(1L, (total + COALESCED_BYTES - 1) / COALESCED_BYTES);
    if (parts < CHUNKS) {
      parts = Long.highestOneBit(2 * parts - 1); // the least power of two >= parts
    }
    List<SparseRowBlock> part = new ArrayList<>();
    long current = 0;
    long before = 0;
    for (SparseRowBlock b : run) {
      long size = b.sizeInBytes();
      // The part of the block's middle byte: exact in double for any realistic size.
      long index = Math.min(parts - 1,
          (long) Math.floor((before + size / 2.0) * parts / Math.max(1L, total)));
      if (index != current) {
        flush(part, out);
        current = index;
      }
      part.add(b);
      before += size;
    }
    flush(part, out);
    run.clear();
  }

  private static void flush(List<SparseRowBlock> part, List<RowBlock> out) {
    if (part.size() == 1) {
      out.add(part.get(0));
    } else if (part.size() > 1) {
      out.add(SparseRowBlock.concatenate(-1L - out.size(), part));
    }
    part.clear();
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
