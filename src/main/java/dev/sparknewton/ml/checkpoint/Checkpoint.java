package dev.sparknewton.ml.checkpoint;

import dev.sparknewton.ml.IterationRecord;
import dev.sparknewton.solvers.SolverSnapshot;
import java.util.List;

/**
 * One checkpoint of a training run, taken after the state of iteration {@code k}: what the run
 * was for ({@link Fingerprint}), its counters, the iteration records {@code 0..k} (the lines of
 * {@code iterations.jsonl} so far) and the solver's {@link SolverSnapshot}.
 */
public record Checkpoint(
    Fingerprint fingerprint, CheckpointCounts counts, List<IterationRecord> history,
    SolverSnapshot snapshot) {

  public Checkpoint {
    history = List.copyOf(history);
    if (history.isEmpty() || history.get(history.size() - 1).iteration() != snapshot.iteration()) {
      throw new IllegalArgumentException("a checkpoint of iteration " + snapshot.iteration()
          + " must end its history with that iteration");
    }
  }

  /** {@code k}. */
  public int iteration() {
    return snapshot.iteration();
  }
}
