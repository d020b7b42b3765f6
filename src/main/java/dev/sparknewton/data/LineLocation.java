package dev.sparknewton.data;

import java.io.Serializable;
import org.apache.hadoop.fs.Path;

/**
 * Where a line of a text file was read: the file, the byte offset where its input split starts
 * and the 1-based line number within that split. The line number within the file needs the line
 * counts of the earlier splits ({@link LibSvmSource#lineNumber}), an extra job paid on error only.
 */
record LineLocation(String path, long splitStart, long lineInSplit) implements Serializable {

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
