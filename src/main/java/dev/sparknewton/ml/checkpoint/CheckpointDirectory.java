package dev.sparknewton.ml.checkpoint;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The checkpoint files of a run in one directory of any Hadoop file system: iteration {@code k}'s
 * is {@code checkpoint-<k, 6 or more digits>.json}. A checkpoint is written to the hidden
 * {@code .checkpoint-<k>.json.tmp} and renamed when complete (HDFS and the local file system
 * rename atomically; on object stores the rename is a copy, and an incomplete file fails to
 * parse and is skipped), after which all but the {@link #KEEP} newest are deleted, so a kill at any
 * moment leaves at least one complete checkpoint once one was written.
 */
final class CheckpointDirectory {
  /** Checkpoints kept: the newest, and the one before in case the newest cannot be read. */
  static final int KEEP = 2;
  private static final Pattern NAME = Pattern.compile("checkpoint-(\\d{6,})\\.json");
  private static final Pattern TEMPORARY = Pattern.compile("\\.checkpoint-\\d{6,}\\.json\\.tmp");

  private final FileSystem fs;
  private final Path dir;

  private CheckpointDirectory(FileSystem fs, Path dir) {
    this.fs = fs;
    this.dir = dir;
  }

  /**
   * The directory {@code dir}, created when missing.
   *
   * @throws IllegalArgumentException (one line) when it cannot be created or is a file
   */
  static CheckpointDirectory of(String dir, Configuration hadoop) {
    Path path = new Path(dir);
    try {
      FileSystem fs = path.getFileSystem(hadoop);
      Path qualified = fs.makeQualified(path);
      if (fs.exists(qualified) && !fs.getFileStatus(qualified).isDirectory()) {
        throw new IllegalArgumentException("checkpoint.dir " + qualified + " is a file");
      }
      if (!fs.mkdirs(qualified)) {
        throw new IOException("cannot create it");
      }
      return new CheckpointDirectory(fs, qualified);
    } catch (IOException e) {
      throw new IllegalArgumentException("checkpoint.dir " + dir + ": " + e.getMessage());
    }
  }

  Path path() {
    return dir;
  }

  /** The file of iteration {@code k}'s checkpoint. */
  Path file(int iteration) {
    return new Path(dir, String.format(Locale.ROOT, "checkpoint-%06d.json", iteration));
  }

  /** The checkpoint files present, newest (highest iteration) first. */
  List<Path> files() {
    List<Path> out = new ArrayList<>();
    for (FileStatus s : list()) {
      if (s.isFile() && NAME.matcher(s.getPath().getName()).matches()) {
        out.add(s.getPath());
      }
    }
    out.sort(Comparator.comparingLong(CheckpointDirectory::iterationOf).reversed());
    return out;
  }

  /**
   * The newest checkpoint that reads back, with its file; each file that does not is reported to
   * {@code skipped} in one line and passed over.
   */
  Optional<Stored> newestValid(Consumer<String> skipped) {
    for (Path p : files()) {
      try {
        return Optional.of(new Stored(p, CheckpointFormat.decode(read(p), p.toString())));
      } catch (IllegalArgumentException | UncheckedIOException e) {
        skipped.accept("checkpoint: skipping " + p + ": " + e.getMessage());
      }
    }
    return Optional.empty();
  }

  /**
   * Writes {@code c} as iteration {@code c.iteration()}'s checkpoint (temporary file, then
   * rename; an existing file of that iteration is replaced) and deletes all but the
   * {@link #KEEP} newest.
   */
  void write(Checkpoint c) {
    Path target = file(c.iteration());
    Path tmp = new Path(dir, "." + target.getName() + ".tmp");
    byte[] bytes = CheckpointFormat.encode(c);
    try {
      try (OutputStream out = fs.create(tmp, true)) {
        out.write(bytes);
      }
      if (fs.exists(target)) {
        fs.delete(target, false);
      }
      if (!fs.rename(tmp, target)) {
        throw new IOException("cannot rename " + tmp + " to " + target);
      }
      List<Path> files = files();
      for (int i = KEEP; i < files.size(); i++) {
        fs.delete(files.get(i), false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + target + ": " + e.getMessage(), e);
    }
  }

  /** Deletes every checkpoint file and left-over temporary file; returns how many checkpoints. */
  int clear() {
    int removed = 0;
    try {
      for (FileStatus s : list()) {
        String name = s.getPath().getName();
        boolean checkpoint = NAME.matcher(name).matches();
        if (s.isFile() && (checkpoint || TEMPORARY.matcher(name).matches())) {
          fs.delete(s.getPath(), false);
          removed += checkpoint ? 1 : 0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear " + dir + ": " + e.getMessage(), e);
    }
    return removed;
  }

  private List<FileStatus> list() {
    try {
      return fs.exists(dir) ? List.of(fs.listStatus(dir)) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
    }
  }

  private byte[] read(Path p) {
    try (InputStream in = fs.open(p)) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e.getMessage(), e);
    }
  }

  private static long iterationOf(Path p) {
    Matcher m = NAME.matcher(p.getName());
    if (!m.matches()) {
      throw new IllegalArgumentException("not a checkpoint file: " + p);
    }
    return Long.parseLong(m.group(1));
  }

  /** A checkpoint and the file it was read from. */
  record Stored(Path file, Checkpoint checkpoint) {}
}
