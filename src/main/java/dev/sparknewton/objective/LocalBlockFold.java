package dev.sparknewton.objective;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.models.BlockAggregator;
import dev.sparknewton.models.Shared;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** A {@link BlockFold} over blocks held on the driver: no Spark job, no pass counted. */
public final class LocalBlockFold implements BlockFold {
  private final List<RowBlock> blocks;
  private final long sizeInBytes;

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
    return new LocalShared<>(value);
  }

  @Override
  public <A extends BlockAggregator<A>> A aggregate(String pass, A zero) {
    A acc = zero;
    for (RowBlock block : blocks) {
      acc = acc.add(block);
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

  private record LocalShared<T>(T value) implements Shared<T> {
    @Override
    public T get() {
      return value;
    }

    @Override
    public void close() {}
  }
}
