package dev.sparknewton.data;

import java.io.Serializable;

/**
 * Counts over generated rows ({@code add} a row, {@code merge} another partition's counts): rows,
 * nonzeros, rows per label, rows whose label noise changed the label, and rows whose label is the
 * true model's most probable one. Mutable; not thread-safe.
 */
public final class SyntheticStats implements Serializable {
  private static final long serialVersionUID = 1L;

  private final boolean binary;
  private final long[] labelCounts;
  private long rows;
  private long nonzeros;
  private long changedByNoise;
  private long agreeingWithTrueModel;

  /** Empty counts for the labels of {@code spec}. */
  public SyntheticStats(SyntheticSpec spec) {
    this.binary = spec.binary();
    this.labelCounts = new long[spec.classes()];
  }

  /** Counts {@code row}; returns this. */
  public SyntheticStats add(SyntheticRow row) {
    rows++;
    nonzeros += row.indices().length;
    labelCounts[classIndex(row.label())]++;
    if (row.label() != row.noiselessLabel()) {
      changedByNoise++;
    }
    if (row.label() == row.mostLikelyLabel()) {
      agreeingWithTrueModel++;
    }
    return this;
  }

  /** Adds {@code other}'s counts (of the same spec) to these; returns this. */
  public SyntheticStats merge(SyntheticStats other) {
    rows += other.rows;
    nonzeros += other.nonzeros;
    for (int k = 0; k < labelCounts.length; k++) {
      labelCounts[k] += other.labelCounts[k];
    }
    changedByNoise += other.changedByNoise;
    agreeingWithTrueModel += other.agreeingWithTrueModel;
    return this;
  }

  /** Binary: index 0 is label -1 and 1 is +1; multiclass: the label itself. */
  private int classIndex(double label) {
    return binary ? (label > 0 ? 1 : 0) : (int) label;
  }

  /** The label of class index {@code k} as written: -1 / +1, or {@code k}. */
  public String labelName(int k) {
    return binary ? (k == 0 ? "-1" : "+1") : Integer.toString(k);
  }

  public long rows() {
    return rows;
  }

  public long nonzeros() {
    return nonzeros;
  }

  public double meanNonzerosPerRow() {
    return rows == 0 ? 0.0 : (double) nonzeros / rows;
  }

  /** Rows per class index ({@link #labelName}); a copy. */
  public long[] labelCounts() {
    return labelCounts.clone();
  }

  /** Rows whose label differs from the noiseless one. */
  public long changedByNoise() {
    return changedByNoise;
  }

  /** Rows whose label is the true model's most probable label. */
  public long agreeingWithTrueModel() {
    return agreeingWithTrueModel;
  }
}
