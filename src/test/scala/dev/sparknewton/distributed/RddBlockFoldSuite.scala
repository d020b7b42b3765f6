package dev.sparknewton.distributed

import dev.sparknewton.{SharedSpark, TestData}
import dev.sparknewton.data.RowBlock
import dev.sparknewton.models.BlockAggregator
import org.apache.spark.TaskContext
import org.scalatest.funsuite.AnyFunSuite

/**
 * Records the ids of the blocks it has seen, in the order they were folded and merged; each task
 * first sleeps a random time (seeded by `seed` and its partition), so tasks finish in an order
 * that differs from run to run and from the partition order.
 */
class MergeOrder(seed: Long) extends BlockAggregator[MergeOrder] {
  var ids: Vector[Long] = Vector.empty
  private var slept = false

  override def add(block: RowBlock): MergeOrder = {
    if (!slept) {
      val partition = TaskContext.getPartitionId()
      Thread.sleep(new scala.util.Random(seed * 1000 + partition).nextInt(40).toLong)
      slept = true
    }
    ids :+= block.id()
    this
  }

  override def merge(other: MergeOrder): MergeOrder = {
    ids ++= other.ids
    this
  }

  override def emptyCopy(): MergeOrder = new MergeOrder(seed)
}

class RddBlockFoldSuite extends AnyFunSuite with SharedSpark {

  private val d = 5
  private val blocks = TestData.blocks(TestData.rows(48, d, 0.5, 4L), d, 2, sparse = false) // 24 blocks

  test("depth 1: partial sums are merged in partition order, whatever order the tasks finish in") {
    val fold = RddBlockFold.cache(jsc.parallelize(blocks, 8), 1)
    try {
      for (seed <- 1L to 6L) {
        val order = fold.aggregate("merge order", new MergeOrder(seed)).ids
        assert(order == (0L until 24L).toVector, s"seed $seed")
      }
    } finally fold.close()
  }

  test("deeper trees: the same merge order in every run, every block exactly once, one job") {
    for ((partitions, depth) <- Seq((16, 2), (24, 3), (7, 4))) {
      val fold = RddBlockFold.cache(jsc.parallelize(blocks, partitions), depth)
      try {
        val orders = (1L to 4L).map(seed => fold.aggregate("merge order", new MergeOrder(seed)).ids)
        assert(orders.head.sorted == (0L until 24L).toVector, s"$partitions partitions, depth $depth")
        orders.tail.foreach(o => assert(o == orders.head, s"$partitions partitions, depth $depth"))
        assert(fold.passes() == 4)
      } finally fold.close()
    }
  }

  test("no partitions: the empty sum, as Spark's treeAggregate gives") {
    val fold = RddBlockFold.cache(jsc.emptyRDD[RowBlock], 2)
    try {
      val zero = new MergeOrder(1L)
      assert(fold.aggregate("empty", zero) eq zero)
      assert(zero.ids.isEmpty && fold.numRows() == 0)
    } finally fold.close()
  }
}
