package dev.sparknewton.distributed;

/**
 * The faults Spark recovered from during a run, as its scheduler reported them: tasks that ended
 * in failure (an exception, or the loss of the executor running them), task attempts after the
 * first (the retries of those failures, and speculative copies), and executors removed while the
 * run went on (with dynamic allocation off, an executor is removed only when it is lost). Cached
 * blocks lost with an executor are recomputed inside later tasks and are not counted here.
 */
public record FaultCounts(long failedTasks, long retriedTasks, long executorsRemoved) {
  /** No faults. */
  public static final FaultCounts NONE = new FaultCounts(0, 0, 0);

  /** Whether anything was counted. */
  public boolean any() {
    return failedTasks > 0 || retriedTasks > 0 || executorsRemoved > 0;
  }

  /** E.g. "1 failed task, 1 retried, 1 executor removed". */
  public String describe() {
    return failedTasks + (failedTasks == 1 ? " failed task, " : " failed tasks, ")
        + retriedTasks + " retried, " + executorsRemoved
        + (executorsRemoved == 1 ? " executor removed" : " executors removed");
  }
}
