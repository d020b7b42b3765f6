package dev.sparknewton.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output directory written all-or-nothing: every file goes to a hidden temporary sibling,
 * which is renamed to the final name only when complete, and deleted on failure. Works on any
 * Hadoop file system (local, HDFS, DBFS, S3 through its connector).
 *
 * <p>Every directory written here holds a marker file, {@value #MARKER}. {@code overwrite}
 * replaces only such a directory, a previous output of this tool, and never one that holds an
 * input of the run: a regular file, a directory without the marker, or one at or above an input
 * path is refused in one line, whatever {@code overwrite} says.
 */
final class AtomicOutputDirectory {
  /** The marker file that identifies an output directory of spark-newton. */
  static final String MARKER = ".spark-newton-output";

  /** Writes the files of the directory under {@code dir} (which exists and is empty). */
  interface Contents {
    void writeTo(FileSystem fs, Path dir) throws IOException;
  }

  private final FileSystem fs;
  private final Path target;
  private final boolean overwrite;

  private AtomicOutputDirectory(FileSystem fs, Path target, boolean overwrite) {
    this.fs = fs;
    this.target = target;
    this.overwrite = overwrite;
  }

  /**
   * The checks of {@link #prepare} that need no Spark session, for a path on the local file
   * system (other file systems may need the session's Hadoop settings, so {@link #prepare} checks
   * them once the session exists): run before Spark starts, so a bad {@code output.dir} costs
   * one line and no fit.
   *
   * @throws IllegalArgumentException one line naming the directory and the reason
   */
  static void checkBeforeSpark(String dir, boolean overwrite, List<String> inputs) {
    Configuration hadoop = new Configuration();
    try {
      if (!"file".equals(new Path(dir).getFileSystem(hadoop).getScheme())) {
        return;
      }
    } catch (IOException e) {
      return; // a scheme without a client here: the session's settings may provide one
    }
    prepare(dir, overwrite, inputs, hadoop);
  }

  /**
   * Checks that {@code dir} can be written: it does not exist, or {@code overwrite} is set and it
   * is a previous output of this tool (holds {@value #MARKER}) that holds none of
   * {@code inputs}; and a directory can be created where it goes. Creates nothing (a probe
   * directory is made and removed).
   *
   * @param inputs the paths the run reads (files, directories or globs). Not modified.
   * @throws IllegalArgumentException one line naming the directory and the reason
   */
  static AtomicOutputDirectory prepare(
      String dir, boolean overwrite, List<String> inputs, Configuration hadoop) {
    Path target;
    FileSystem fs;
    try {
      target = new Path(dir);
      fs = target.getFileSystem(hadoop);
      fs.setWriteChecksum(false); // no .crc side files next to the outputs on a local file system
      target = fs.makeQualified(target);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot use output.dir " + dir + ": " + e.getMessage());
    }
    try {
      if (fs.exists(target)) {
        refuseToReplace(fs, target, dir, overwrite, inputs, hadoop);
      }
      probeWritable(fs, target, dir);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot access output.dir " + dir + ": " + e.getMessage());
    }
    return new AtomicOutputDirectory(fs, target, overwrite);
  }

  private static void refuseToReplace(FileSystem fs, Path target, String dir, boolean overwrite,
      List<String> inputs, Configuration hadoop) throws IOException {
    if (!overwrite) {
      throw new IllegalArgumentException(
          "output.dir " + dir + " already exists (choose another or set output.overwrite=true)");
    }
    if (!fs.getFileStatus(target).isDirectory()) {
      throw new IllegalArgumentException("output.dir " + dir
          + " is a file, not an output directory; output.overwrite replaces only a previous output");
    }
    String prefix = target.toString().endsWith("/") ? target.toString() : target + "/";
    for (String input : inputs) {
      Path in = literalPrefix(input);
      String qualified = in.getFileSystem(hadoop).makeQualified(in).toString();
      if (qualified.equals(target.toString()) || qualified.startsWith(prefix)) {
        throw new IllegalArgumentException("output.dir " + dir + " holds the input " + input
            + "; output.overwrite never replaces it: choose another output.dir");
      }
    }
    if (!fs.exists(new Path(target, MARKER))) {
      throw new IllegalArgumentException("output.dir " + dir + " is not an output of spark-newton (no "
          + MARKER + "); output.overwrite replaces only those: choose another or remove it yourself");
    }
  }

  /** The part of a path or glob before the component holding its first glob character. */
  private static Path literalPrefix(String pathOrGlob) {
    int glob = -1;
    for (int i = 0; i < pathOrGlob.length() && glob < 0; i++) {
      if ("*?[{\\".indexOf(pathOrGlob.charAt(i)) >= 0) {
        glob = i;
      }
    }
    if (glob < 0) {
      return new Path(pathOrGlob);
    }
    int slash = pathOrGlob.lastIndexOf('/', glob);
    return new Path(slash < 0 ? "." : slash == 0 ? "/" : pathOrGlob.substring(0, slash));
  }

  /**
   * Creates and removes a probe directory in the nearest existing ancestor of {@code target}'s
   * parent, where the write will create its temporary sibling.
   */
  private static void probeWritable(FileSystem fs, Path target, String dir) throws IOException {
    Path ancestor = target.getParent();
    while (ancestor != null && !fs.exists(ancestor)) {
      ancestor = ancestor.getParent();
    }
    if (ancestor == null) {
      throw new IllegalArgumentException("output.dir " + dir + ": no existing parent directory");
    }
    if (!fs.getFileStatus(ancestor).isDirectory()) {
      throw new IllegalArgumentException(
          "output.dir " + dir + " cannot be created: " + ancestor + " is a file");
    }
    Path probe = new Path(ancestor, ".spark-newton-probe-" + UUID.randomUUID());
    boolean made;
    try {
      made = fs.mkdirs(probe);
    } catch (IOException e) {
      made = false;
    }
    if (!made || !fs.exists(probe)) {
      throw new IllegalArgumentException(
          "output.dir " + dir + " is not writable: cannot create a directory in " + ancestor);
    }
    fs.delete(probe, true);
  }

  Path target() {
    return target;
  }

  /** Writes every file, then moves the directory into place. Nothing is left behind on failure. */
  void write(Contents contents) {
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    try {
      try {
        fs.mkdirs(tmp);
        contents.writeTo(fs, tmp);
        writeText(fs, new Path(tmp, MARKER), "an output directory of spark-newton; "
            + "output.overwrite=true may replace it\n");
        if (fs.exists(target)) {
          if (!overwrite) {
            throw new IllegalArgumentException("output.dir " + target + " appeared during the run");
          }
          fs.delete(target, true);
        }
        if (!fs.rename(tmp, target)) {
          throw new IOException("cannot rename " + tmp + " to " + target);
        }
      } finally {
        if (fs.exists(tmp)) {
          fs.delete(tmp, true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write output to " + target, e);
    }
  }

  /** Writes {@code text} as UTF-8 to a new file {@code path}. */
  static void writeText(FileSystem fs, Path path, String text) throws IOException {
    writeBytes(fs, path, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code bytes} (not modified) as a new file {@code path}. */
  static void writeBytes(FileSystem fs, Path path, byte[] bytes) throws IOException {
    try (OutputStream out = fs.create(path, false)) {
      out.write(bytes);
    }
  }
}
