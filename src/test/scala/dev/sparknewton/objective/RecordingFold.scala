package dev.sparknewton.objective

import dev.sparknewton.data.{RowBlock, RowSample}
import dev.sparknewton.models.{BlockAggregator, Shared}
import scala.collection.mutable.ArrayBuffer
import scala.jdk.CollectionConverters._

/**
 * A fold that counts what would be passes over distributed data (every aggregation and every
 * collection; `passes` may be reset) and records each collection: its sample, the bytes it brought
 * and the row keys it holds; `names` lists the aggregations' pass names.
 */
final class RecordingFold(inner: BlockFold) extends BlockFold {
  var passes = 0
  /** The name of every aggregation, in order. */
  val names = ArrayBuffer.empty[String]
  val collected = ArrayBuffer.empty[(RowSample, Long, Set[Long])]
  override def share[T <: java.io.Serializable](value: T): Shared[T] = inner.share(value)
  override def aggregate[A <: BlockAggregator[A]](pass: String, zero: A): A = {
    passes += 1
    names += pass
    inner.aggregate(pass, zero)
  }
  override def collect(pass: String, sample: RowSample): java.util.List[RowBlock] = {
    passes += 1
    val blocks = inner.collect(pass, sample)
    val keys = blocks.asScala.flatMap(b => (0 until b.numRows()).map(b.rowKey)).toSet
    collected += ((sample, blocks.asScala.map(_.sizeInBytes()).sum, keys))
    blocks
  }
  override def sizeInBytes(): Long = inner.sizeInBytes()
}
