package dev.sparknewton.distributed;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorRemoved;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;

/**
 * Counts the Spark jobs and tasks of one job group (one training run, or one baseline fit), with
 * the bytes their tasks sent back (results and shuffle writes: the partial sums of the
 * aggregations) and their executor run time, and the faults Spark recovered from on the way
 * ({@link FaultCounts}: failed and retried tasks of the group, executors removed while
 * registered). Listener events arrive
 * asynchronously, so {@link #awaitQuiet} waits for started jobs to end before counts are read.
 */
public final class PassCounter extends SparkListener {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(PassCounter.class);
  private final String group;
  private final AtomicLong jobsStarted = new AtomicLong();
  private final AtomicLong jobsEnded = new AtomicLong();
  private final AtomicLong tasks = new AtomicLong();
  private final AtomicLong executorRunMillis = new AtomicLong();
  private final AtomicLong bytesSent = new AtomicLong();
  private final AtomicLong incompleteWaits = new AtomicLong();
  private final AtomicLong failedTasks = new AtomicLong();
  private final AtomicLong retriedTasks = new AtomicLong();
  private final AtomicLong executorsRemoved = new AtomicLong();
  private final java.util.Set<Integer> jobIds = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final java.util.Set<Integer> stageIds = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private PassCounter(String group) {
    this.group = group;
  }

  /** Registers a counter for the jobs of {@code group} on {@code sc}. */
  public static PassCounter register(SparkContext sc, String group) {
    PassCounter counter = new PassCounter(group);
    sc.addSparkListener(counter);
    return counter;
  }

  /** Removes this listener from {@code sc}. */
  public void unregister(SparkContext sc) {
    sc.removeSparkListener(this);
  }

  @Override
  public void onJobStart(SparkListenerJobStart jobStart) {
    java.util.Properties p = jobStart.properties();
    if (p != null && group.equals(p.getProperty("spark.jobGroup.id"))) {
      jobIds.add(jobStart.jobId());
      scala.collection.Iterator<Object> stages = jobStart.stageIds().iterator();
      while (stages.hasNext()) {
        stageIds.add((Integer) stages.next());
      }
      jobsStarted.incrementAndGet();
    }
  }

  @Override
  public void onJobEnd(SparkListenerJobEnd jobEnd) {
    if (jobIds.contains(jobEnd.jobId())) {
      jobsEnded.incrementAndGet();
    }
  }

  @Override
  public void onTaskStart(SparkListenerTaskStart taskStart) {
    if (stageIds.contains(taskStart.stageId()) && taskStart.taskInfo().attemptNumber() > 0) {
      retriedTasks.incrementAndGet();
    }
  }

  @Override
  public void onExecutorRemoved(SparkListenerExecutorRemoved removed) {
    executorsRemoved.incrementAndGet();
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
    if (stageIds.contains(taskEnd.stageId()) && taskEnd.taskInfo().failed()) {
      failedTasks.incrementAndGet();
    }
    if (stageIds.contains(taskEnd.stageId()) && taskEnd.taskMetrics() != null) {
      tasks.incrementAndGet();
      executorRunMillis.addAndGet(taskEnd.taskMetrics().executorRunTime());
      bytesSent.addAndGet(taskEnd.taskMetrics().resultSize()
          + taskEnd.taskMetrics().shuffleWriteMetrics().bytesWritten());
    }
  }

  /**
   * Waits (at most {@code timeoutMillis}) until every started job of the group has ended. When
   * the time runs out first, the counts may miss the events of the jobs still open: that is
   * logged as a warning and counted ({@link #incompleteWaits()}).
   *
   * @return true when every started job had ended
   */
  public boolean awaitQuiet(long timeoutMillis) {
    long deadline = System.currentTimeMillis() + timeoutMillis;
    try {
      Thread.sleep(50);
      while (jobsEnded.get() < jobsStarted.get() && System.currentTimeMillis() < deadline) {
        Thread.sleep(10);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long open = jobsStarted.get() - jobsEnded.get();
    if (open > 0) {
      incompleteWaits.incrementAndGet();
      LOG.warn("job group {}: {} of {} jobs had not ended after {} ms; the job, task and byte "
          + "counts may be incomplete", group, open, jobsStarted.get(), timeoutMillis);
      return false;
    }
    return true;
  }

  /** Calls of {@link #awaitQuiet} that timed out with jobs still open. */
  public long incompleteWaits() {
    return incompleteWaits.get();
  }

  /** Jobs of the group started so far. */
  public long jobs() {
    return jobsStarted.get();
  }

  public long tasks() {
    return tasks.get();
  }

  /** Bytes of task results and shuffle writes. */
  public long bytesSent() {
    return bytesSent.get();
  }

  /**
   * {@link #bytesSent()} once the listener has seen every event posted so far: a job's task-end
   * events are posted before its action returns, so after {@code sc}'s listener bus drains, the
   * count includes every job that has finished (at most {@code timeoutMillis} of waiting).
   */
  public long settledBytesSent(SparkContext sc, long timeoutMillis) {
    try {
      sc.listenerBus().waitUntilEmpty(timeoutMillis);
    } catch (java.util.concurrent.TimeoutException e) {
      // Counted so far; the listener bus is backed up.
    }
    return bytesSent.get();
  }

  /** Failed and retried tasks of the group and executors removed, counted so far. */
  public FaultCounts faults() {
    return new FaultCounts(failedTasks.get(), retriedTasks.get(), executorsRemoved.get());
  }

  public long executorRunMillis() {
    return executorRunMillis.get();
  }
}
