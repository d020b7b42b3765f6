package dev.sparknewton.data;

import java.io.Serializable;
import org.apache.hadoop.fs.Path;

/**
 * Where a line of a text file was read: the file, the byte offset where its input split starts
 * and the 1-based line number within that split. The line number within the file needs the line
 * counts of the earlier splits ({@link LibSvmSource#lineNumber}), an extra job paid on error only.
 * A final class, not a record: scans travel back as task results through Spark's serializer,
 * which may be Kryo, and Kryo 4 cannot serialize records on Java 17.
 */
final class LineLocation implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String path;
  private final long splitStart;
  private final long lineInSplit;

  LineLocation(String path, long splitStart, long lineInSplit) {
    this.path = path;
    this.splitStart = splitStart;
    this.lineInSplit = lineInSplit;
  }

  String path() {
    return path;
  }

  long splitStart() {
    return splitStart;
  }

  long lineInSplit() {
    return lineInSplit;
  }

  /** The file name without its directory, for messages. */
  String fileName() {
    return new Path(path).getName();
  }

  /** Orders locations by file, then position. */
  boolean before(LineLocation other) {
    int c = path.compareTo(other.path);
    if (c != 0) {
      return c < 0;
    }
    return splitStart != other.splitStart
        ? splitStart < other.splitStart
        : lineInSplit < other.lineInSplit;
  }
}
