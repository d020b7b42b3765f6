package dev.sparknewton.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output directory written all-or-nothing: every file goes to a hidden temporary sibling,
 * which is renamed to the final name only when complete, and deleted on failure. Works on any
 * Hadoop file system (local, HDFS, DBFS, S3 through its connector).
 */
final class AtomicOutputDirectory {
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
   * Checks that {@code dir} can be written (it does not exist, or {@code overwrite}); creates
   * nothing.
   */
  static AtomicOutputDirectory prepare(String dir, boolean overwrite, Configuration hadoop) {
    try {
      Path target = new Path(dir);
      FileSystem fs = target.getFileSystem(hadoop);
      fs.setWriteChecksum(false); // no .crc side files next to the outputs on a local file system
      if (fs.exists(target) && !overwrite) {
        throw new IllegalArgumentException(
            "output.dir " + dir + " already exists (choose another or set output.overwrite=true)");
      }
      return new AtomicOutputDirectory(fs, fs.makeQualified(target), overwrite);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot access output.dir " + dir, e);
    }
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
    try (OutputStream out = fs.create(path, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }
}
