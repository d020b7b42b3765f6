package dev.sparknewton.data;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one pass over LIBSVM text learns before any row is built: the number of rows, the largest
 * feature index, the distinct labels with where each first occurs (at most {@code maxLabels} of
 * them, see {@link LabelMapping#distinctToCollect}) and the first syntax error. One scan per input
 * split, merged on the driver in file order.
 */
final class LibSvmScan implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int maxLabels;
  private long rows;
  private int maxIndex;
  private final LinkedHashMap<Double, LineLocation> labels = new LinkedHashMap<>();
  private LineLocation errorAt;
  private String error;
  private boolean unreadable;

  /** @param maxLabels how many distinct labels to keep; 0 keeps none */
  LibSvmScan(int maxLabels) {
    this.maxLabels = maxLabels;
  }

  /** Counts one parsed row. */
  void addRow(double label, int rowMaxIndex, LineLocation at) {
    rows++;
    maxIndex = Math.max(maxIndex, rowMaxIndex);
    double key = label + 0.0; // -0.0 + 0.0 is 0.0: -0 and 0 are one label, so one key
    if (labels.size() < maxLabels && !labels.containsKey(key)) {
      labels.put(key, at);
    }
  }

  /** Records a syntax error; only the first (in file order) is kept. */
  void fail(LineLocation at, String message) {
    fail(at, message, false);
  }

  /**
   * Records that the file could not be read past {@code at} (a truncated or corrupt compressed
   * file); only the first error (in file order) is kept.
   */
  void failRead(LineLocation at, String message) {
    fail(at, message, true);
  }

  private void fail(LineLocation at, String message, boolean read) {
    if (errorAt == null || at.before(errorAt)) {
      errorAt = at;
      error = message;
      unreadable = read;
    }
  }

  /** True when the kept error is a read failure, whose file cannot be read again to count lines. */
  boolean unreadable() {
    return unreadable;
  }

  boolean failed() {
    return errorAt != null;
  }

  /** Adds {@code other}, which must come after this scan in file order. Modifies this scan. */
  LibSvmScan merge(LibSvmScan other) {
    rows += other.rows;
    maxIndex = Math.max(maxIndex, other.maxIndex);
    for (Map.Entry<Double, LineLocation> e : other.labels.entrySet()) {
      if (labels.size() < maxLabels) {
        labels.putIfAbsent(e.getKey(), e.getValue());
      }
    }
    if (other.errorAt != null) {
      fail(other.errorAt, other.error, other.unreadable);
    }
    return this;
  }

  long rows() {
    return rows;
  }

  int maxIndex() {
    return maxIndex;
  }

  /** Distinct labels in order of first occurrence, with that occurrence. */
  Map<Double, LineLocation> labels() {
    return labels;
  }

  LineLocation errorAt() {
    return errorAt;
  }

  String error() {
    return error;
  }
}
