package dev.sparknewton.ml.checkpoint;

import dev.sparknewton.data.LabelMapping;
import dev.sparknewton.ml.IterationRecord;
import dev.sparknewton.solvers.SolverSnapshot;
import dev.sparknewton.solvers.SolverState;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;

/**
 * The checkpoints of one training run, as the training loop sees them: whether to resume and
 * from which checkpoint ({@link #open}), when one is due ({@link #due}), and writing it
 * ({@link #write}). With {@link Checkpointing#none()} nothing is read or written.
 */
public final class RunCheckpoints {
  private final Checkpointing settings;
  private final CheckpointDirectory directory;
  private final Fingerprint fingerprint;
  private final Optional<Checkpoint> resumable;

  private RunCheckpoints(Checkpointing settings, CheckpointDirectory directory,
      Fingerprint fingerprint, Optional<Checkpoint> resumable) {
    this.settings = settings;
    this.directory = directory;
    this.fingerprint = fingerprint;
    this.resumable = resumable;
  }

  /**
   * The fingerprint of a run on data with {@code rows} rows, {@code features} features and
   * {@code labels}, cached in {@code partitions} partitions, fitting {@code parameters}
   * parameters with {@code solver} (the resolved name) and {@code settings.settings()}.
   */
  public static Fingerprint fingerprint(Checkpointing settings, long rows, int features,
      LabelMapping labels, int partitions, int parameters, String solver) {
    SortedMap<String, String> data = new TreeMap<>();
    data.put("rows", Long.toString(rows));
    data.put("features", Integer.toString(features));
    data.put("labels", labels.kind() + " " + labels.classes());
    data.put("partitions", Integer.toString(partitions));
    data.put("parameters", Integer.toString(parameters));
    SortedMap<String, String> keys = new TreeMap<>(settings.settings());
    keys.put("solver", solver);
    return new Fingerprint(data, keys);
  }

  /**
   * Opens the checkpoints of a run with fingerprint {@code here}. With
   * {@code settings.resume()}, finds the newest checkpoint that reads back (unreadable ones are
   * reported and passed over) and says in one line whether the run resumes from it; without,
   * deletes the directory's checkpoints and says so.
   *
   * @throws IllegalArgumentException (one line) when the newest readable checkpoint was written
   *     for other data or settings, naming what differs
   */
  public static RunCheckpoints open(Checkpointing settings, Configuration hadoop, Fingerprint here) {
    if (!settings.enabled()) {
      return new RunCheckpoints(settings, null, here, Optional.empty());
    }
    CheckpointDirectory directory = CheckpointDirectory.of(settings.dir(), hadoop);
    String every = "a checkpoint every " + settings.interval() + " iteration"
        + (settings.interval() == 1 ? "" : "s");
    if (!settings.resume()) {
      int removed = directory.clear();
      settings.log().accept("checkpoint: checkpoint.resume = false, removed " + removed
          + " checkpoint(s) from " + directory.path() + "; starting at iteration 0, " + every);
      return new RunCheckpoints(settings, directory, here, Optional.empty());
    }
    Optional<CheckpointDirectory.Stored> stored = directory.newestValid(settings.log());
    if (stored.isEmpty()) {
      settings.log().accept("checkpoint: none in " + directory.path()
          + "; starting at iteration 0, " + every);
      return new RunCheckpoints(settings, directory, here, Optional.empty());
    }
    Checkpoint c = stored.get().checkpoint();
    List<String> differences = c.fingerprint().differences(here);
    if (!differences.isEmpty()) {
      throw new IllegalArgumentException("checkpoint " + stored.get().file()
          + " is of another run: " + Fingerprint.describe(differences)
          + "; use another checkpoint.dir, or checkpoint.resume = false to start over");
    }
    settings.log().accept("checkpoint: resuming after iteration " + c.iteration() + " from "
        + stored.get().file() + " (" + c.counts().passes() + " passes so far)");
    return new RunCheckpoints(settings, directory, here, Optional.of(c));
  }

  /** The checkpoint to resume from, when there is one. */
  public Optional<Checkpoint> resumable() {
    return resumable;
  }

  /**
   * A checkpoint is due after state {@code s} when checkpoints are on, the run goes on after it,
   * and its iteration is a positive multiple of the interval.
   */
  public boolean due(SolverState s) {
    return directory != null && s.termination().isEmpty() && s.iteration() > 0
        && s.iteration() % settings.interval() == 0;
  }

  /** Writes the checkpoint of {@code snapshot}'s iteration, atomically; keeps the newest two. */
  public void write(CheckpointCounts counts, List<IterationRecord> history,
      SolverSnapshot snapshot) {
    if (directory == null) {
      throw new IllegalStateException("checkpoints are off");
    }
    directory.write(new Checkpoint(fingerprint, counts, history, snapshot));
  }
}
