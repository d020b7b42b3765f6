package dev.sparknewton.data;

/**
 * What the label column holds, as the caller asks for it in {@link DataSpec#labelKind()}; the
 * loaded data's {@link LabelMapping#kind()} is never {@link #AUTO}.
 */
public enum LabelKind {
  /** Two distinct values give {@link #BINARY}, more give {@link #MULTICLASS}. */
  AUTO,
  /** Exactly two distinct values, mapped to 0 and 1. */
  BINARY,
  /** {@code K >= 2} distinct values, mapped to the class indices {@code 0 .. K-1} in sorted order. */
  MULTICLASS,
  /** Finite numeric targets (least squares), passed through unchanged. */
  REAL
}
