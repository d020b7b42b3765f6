package dev.sparknewton.distributed;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;

/**
 * Test only: a fault in one task of one pass, on that task's first attempt, so that the
 * integration tests on a real cluster can show that Spark's recovery (a retried task, the cached
 * blocks of a lost executor recomputed from lineage) leaves the result unchanged. Off unless the
 * Spark configuration sets {@value #MODE}; never set it outside tests.
 *
 * <ul>
 *   <li>{@value #MODE} = {@code fail}: the task throws, and Spark runs it again (on a cluster;
 *       in local mode one failure fails the job, as {@code spark.task.maxFailures} is 1 there);
 *   <li>{@value #MODE} = {@code hold}: the task writes its executor's process id to the file
 *       {@value #MARKER} (atomically) and waits, so that a test can kill that JVM while the task
 *       runs; after {@link #HOLD_MILLIS} it goes on, and the test sees no fault counted;
 *   <li>{@value #PASS}: the pass {@code k >= 1}, counted as {@link RddBlockFold#passes()} counts
 *       (the passes of the fold, not the jobs that cached it);
 *   <li>{@value #PARTITION}: the partition whose task it is, default 0.
 * </ul>
 */
final class TaskFaultInjection implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String MODE = "spark.sparknewton.test.fault";
  static final String PASS = "spark.sparknewton.test.fault.pass";
  static final String PARTITION = "spark.sparknewton.test.fault.partition";
  static final String MARKER = "spark.sparknewton.test.fault.marker";
  /** The local property through which each job's tasks learn their pass number. */
  static final String PASS_PROPERTY = "spark-newton.pass";
  /** How long a held task waits for the test to kill its executor. */
  static final long HOLD_MILLIS = 120_000;

  private final boolean hold;
  private final long pass;
  private final int partition;
  private final String marker;

  private TaskFaultInjection(boolean hold, long pass, int partition, String marker) {
    this.hold = hold;
    this.pass = pass;
    this.partition = partition;
    this.marker = marker;
  }

  /** The injection {@code conf} asks for, if any; a malformed one is refused in one line. */
  static Optional<TaskFaultInjection> fromConf(SparkConf conf) {
    if (!conf.contains(MODE)) {
      return Optional.empty();
    }
    String mode = conf.get(MODE).trim().toLowerCase(Locale.ROOT);
    if (!mode.equals("fail") && !mode.equals("hold")) {
      throw new IllegalArgumentException(MODE + " must be fail or hold, got " + conf.get(MODE));
    }
    long pass = conf.getLong(PASS, 0);
    int partition = conf.getInt(PARTITION, 0);
    String marker = conf.get(MARKER, "");
    if (pass < 1 || partition < 0) {
      throw new IllegalArgumentException(PASS + " must be >= 1 and " + PARTITION
          + " >= 0, got " + pass + " and " + partition);
    }
    if (mode.equals("hold") && marker.isEmpty()) {
      throw new IllegalArgumentException(MODE + " = hold needs " + MARKER);
    }
    return Optional.of(new TaskFaultInjection(mode.equals("hold"), pass, partition, marker));
  }

  /** {@code rdd} with this fault in front of its partitions (same partitioning). */
  <T> JavaRDD<T> inject(JavaRDD<T> rdd) {
    return rdd.mapPartitions(rows -> {
      strike(TaskContext.get());
      return rows;
    }, true);
  }

  private void strike(TaskContext task) {
    String current = task.getLocalProperty(PASS_PROPERTY);
    if (task.attemptNumber() != 0 || task.partitionId() != partition
        || !Long.toString(pass).equals(current)) {
      return;
    }
    if (!hold) {
      throw new IllegalStateException("test fault injection (" + MODE + " = fail): first attempt"
          + " of partition " + partition + " in pass " + pass);
    }
    Path target = Paths.get(marker);
    try {
      Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "marker", ".tmp");
      Files.writeString(tmp, Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8);
      Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      Thread.sleep(HOLD_MILLIS);
    } catch (IOException e) {
      throw new UncheckedIOException("test fault injection: cannot write " + marker, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
