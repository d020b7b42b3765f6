package dev.sparknewton.data;

import java.io.Serializable;
import java.util.Locale;

/**
 * What {@link SyntheticRows} generates: {@code rows} rows of {@code features} features, each row
 * with exactly {@code nnzPerRow} distinct nonzero features, labelled by a logistic (binary) or
 * softmax (multiclass) model with seeded true weights. The data are a function of this record
 * alone: {@code chunkRows} fixes how rows are grouped into independently seeded chunks, so the
 * same record gives the same rows for any number of partitions or executors.
 *
 * <p>The constructor checks every field and throws an {@link IllegalArgumentException} whose
 * message starts with the field's name ({@code "rows must be >= 1, got 0"}), so a
 * caller can prefix its own configuration section.
 *
 * @param rows {@code n >= 1}
 * @param features {@code d >= 1}
 * @param nnzPerRow nonzeros of every row, in {@code [1, d]}
 * @param powerLaw exponent {@code s >= 0} of the feature frequencies: the feature of popularity
 *     rank {@code r} (1-based) is drawn with probability proportional to {@code r^-s}; 0 is
 *     uniform, about 1 is text-like
 * @param scaleDecades feature {@code j} has the scale {@code 10^u_j}, {@code u_j} uniform in
 *     {@code [-scaleDecades/2, scaleDecades/2]}; 0 gives every feature the scale 1
 * @param values what multiplies the scale of a nonzero
 * @param classes {@code K >= 2}: 2 is binary (labels -1 and +1), more is multiclass (labels
 *     {@code 0 .. K-1})
 * @param labelNoise probability in {@code [0, 1]} that a label is replaced: binary labels are
 *     flipped, multiclass labels are replaced by a uniformly drawn class (which may be the same)
 * @param signal multiplier of the true weights; the margins are about {@code N(0, signal^2)}
 * @param seed the seed of everything
 * @param chunkRows rows per independently seeded chunk, {@code >= 1}
 */
public record SyntheticSpec(
    long rows, int features, int nnzPerRow, double powerLaw, double scaleDecades, Values values,
    int classes, double labelNoise, double signal, long seed, int chunkRows)
    implements Serializable {

  /** The magnitude a nonzero's scale is multiplied by. */
  public enum Values {
    /** 1: the value of feature {@code j} is its scale (1 for all when scaleDecades = 0). */
    BINARY,
    /** {@code |N(0, 1)|}, drawn per nonzero ({@code E[m^2] = 1}, as for binary). */
    GAUSSIAN;

    /** The lower-case name, as in a configuration file. */
    public String configName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Largest {@code nnzPerRow}: a row and its distinctness set are built in memory. */
  public static final int MAX_NNZ_PER_ROW = 1 << 24;

  /**
   * Largest number of features with {@code powerLaw > 0}: the sampler keeps a table of 8 bytes a
   * feature in every task (1 GiB at this size).
   */
  public static final int MAX_POWER_LAW_FEATURES = 1 << 27;

  /**
   * Largest share of the draws the {@code nnzPerRow - 1} most frequent features may hold
   * ({@link #checkSamplingCost}).
   */
  static final double MAX_TOP_MASS = 0.9;

  public SyntheticSpec {
    if (rows < 1) {
      throw new IllegalArgumentException("rows must be >= 1, got " + rows);
    }
    if (features < 1) {
      throw new IllegalArgumentException("features must be >= 1, got " + features);
    }
    if (nnzPerRow < 1 || nnzPerRow > Math.min(features, MAX_NNZ_PER_ROW)) {
      throw new IllegalArgumentException("nnzPerRow must be in [1, "
          + Math.min(features, MAX_NNZ_PER_ROW) + "] (at most features = " + features + " and "
          + MAX_NNZ_PER_ROW + "), got " + nnzPerRow);
    }
    if (!(powerLaw >= 0.0) || Double.isInfinite(powerLaw)) {
      throw new IllegalArgumentException("powerLaw must be finite and >= 0, got " + powerLaw);
    }
    if (powerLaw > 0 && features > MAX_POWER_LAW_FEATURES) {
      throw new IllegalArgumentException("features must be <= " + MAX_POWER_LAW_FEATURES
          + " with powerLaw > 0 (its sampling table takes 8 bytes a feature), got " + features);
    }
    if (!(scaleDecades >= 0.0 && scaleDecades <= 300.0)) {
      throw new IllegalArgumentException("scaleDecades must be in [0, 300], got " + scaleDecades);
    }
    if (values == null) {
      throw new IllegalArgumentException("values must be binary or gaussian, got null");
    }
    if (classes < 2) {
      throw new IllegalArgumentException("classes must be >= 2, got " + classes);
    }
    if (!(labelNoise >= 0.0 && labelNoise <= 1.0)) {
      throw new IllegalArgumentException("labelNoise must be in [0, 1], got " + labelNoise);
    }
    if (!(signal >= 0.0) || Double.isInfinite(signal)) {
      throw new IllegalArgumentException("signal must be finite and >= 0, got " + signal);
    }
    if (chunkRows < 1) {
      throw new IllegalArgumentException("chunkRows must be >= 1, got " + chunkRows);
    }
  }

  /** {@code ceil(rows / chunkRows)}. */
  public long chunks() {
    return (rows + chunkRows - 1) / chunkRows;
  }

  /** Rows of chunk {@code c}: {@code chunkRows}, fewer in the last chunk. */
  public int rowsInChunk(long c) {
    if (c < 0 || c >= chunks()) {
      throw new IllegalArgumentException("chunk " + c + " is not in [0, " + chunks() + ")");
    }
    return (int) Math.min(chunkRows, rows - c * chunkRows);
  }

  /** True for two classes (one output, labels -1 and +1). */
  public boolean binary() {
    return classes == 2;
  }

  /** Outputs of the true model: 1 for binary, {@code K} for multiclass. */
  public int outputs() {
    return binary() ? 1 : classes;
  }

  /**
   * Checks that drawing {@code nnzPerRow} distinct features per row is affordable: the features
   * are drawn from the power law and a repeat is drawn again, so once the {@code nnzPerRow - 1}
   * most frequent features are in a row the next distinct one takes {@code 1 / (1 - mass)} draws
   * on average, {@code mass} being their share of the draws. That share must be at most 90%
   * (at most 10 draws per nonzero). Costs {@code O(features)} power evaluations: call it once,
   * on the driver.
   *
   * @throws IllegalArgumentException starting with {@code nnzPerRow} otherwise
   */
  public void checkSamplingCost() {
    if (powerLaw == 0.0) {
      return;
    }
    double mass = new PowerLawRanks(features, powerLaw).massOfTop(nnzPerRow - 1);
    if (mass > MAX_TOP_MASS) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "nnzPerRow = %d is too many distinct features for powerLaw = %s over %d features: the "
              + "%d most frequent hold %.1f%% of the draws (at most %.0f%% allowed, so that a row "
              + "needs at most %.0f draws a nonzero); lower nnzPerRow or powerLaw",
          nnzPerRow, powerLaw, features, nnzPerRow - 1, 100 * mass, 100 * MAX_TOP_MASS,
          1 / (1 - MAX_TOP_MASS)));
    }
  }
}
