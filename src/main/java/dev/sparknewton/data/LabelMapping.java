package dev.sparknewton.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The two raw label values of a binary data set and which of them maps to 1. Labels are either
 * numeric (compared as doubles, so "+1", "1" and "1.0" are one value) or strings (compared
 * exactly). Without an explicit positive label the larger value maps to 1: numerically larger for
 * numeric labels, lexicographically larger for strings ({@code -1 -> 0, +1 -> 1};
 * {@code 1 -> 0, 2 -> 1}; {@code no -> 0, yes -> 1}).
 */
public final class LabelMapping implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How many distinct values an error message lists before "...". */
  static final int MAX_LISTED = 10;

  private final boolean numeric;
  private final double negativeValue;
  private final double positiveValue;
  private final String negative;
  private final String positive;

  private LabelMapping(boolean numeric, double negativeValue, double positiveValue,
      String negative, String positive) {
    this.numeric = numeric;
    this.negativeValue = negativeValue;
    this.positiveValue = positiveValue;
    this.negative = negative;
    this.positive = positive;
  }

  /**
   * The mapping of numeric labels.
   *
   * @param found the distinct label values found (at most {@link #MAX_LISTED} + 1 is enough)
   * @param positiveLabel the raw value that maps to 1, if given
   * @param where the data, for error messages
   * @throws DataValidationException unless exactly two distinct finite values were found, or if
   *     {@code positiveLabel} is not one of them
   */
  public static LabelMapping ofNumbers(
      Collection<Double> found, Optional<String> positiveLabel, String where) {
    TreeSet<Double> values = new TreeSet<>(found);
    if (values.size() != 2) {
      List<String> shown = new ArrayList<>();
      for (double v : values) {
        shown.add(format(v, values.first() < 0));
      }
      throw wrongCount(shown, where);
    }
    double low = values.first();
    double high = values.last();
    if (!Double.isFinite(low) || !Double.isFinite(high)) {
      throw new DataValidationException(
          "labels in " + where + " must be finite, found " + low + ", " + high);
    }
    boolean lowIsPositive = false;
    if (positiveLabel.isPresent()) {
      double p = parsePositive(positiveLabel.get(), where);
      if (p != low && p != high) {
        throw notALabel(positiveLabel.get(), format(low, low < 0), format(high, low < 0), where);
      }
      lowIsPositive = p == low;
    }
    double neg = lowIsPositive ? high : low;
    double pos = lowIsPositive ? low : high;
    return new LabelMapping(true, neg, pos, format(neg, low < 0), format(pos, low < 0));
  }

  /**
   * The mapping of string labels.
   *
   * @param found the distinct label values found (at most {@link #MAX_LISTED} + 1 is enough)
   * @throws DataValidationException unless exactly two distinct non-null values were found, or if
   *     {@code positiveLabel} is not one of them
   */
  public static LabelMapping ofStrings(
      Collection<String> found, Optional<String> positiveLabel, String where) {
    TreeSet<String> values = new TreeSet<>(found);
    if (values.size() != 2) {
      throw wrongCount(new ArrayList<>(values), where);
    }
    String low = values.first();
    String high = values.last();
    boolean lowIsPositive = false;
    if (positiveLabel.isPresent()) {
      String p = positiveLabel.get();
      if (!p.equals(low) && !p.equals(high)) {
        throw notALabel(p, low, high, where);
      }
      lowIsPositive = p.equals(low);
    }
    return lowIsPositive
        ? new LabelMapping(false, Double.NaN, Double.NaN, high, low)
        : new LabelMapping(false, Double.NaN, Double.NaN, low, high);
  }

  /** The raw value that maps to 0, as written in {@link #describe()}. */
  public String negative() {
    return negative;
  }

  /** The raw value that maps to 1, as written in {@link #describe()}. */
  public String positive() {
    return positive;
  }

  /** E.g. {@code "-1 -> 0, +1 -> 1"}. */
  public String describe() {
    return negative + " -> 0, " + positive + " -> 1";
  }

  /** True when the raw labels are numbers (then use {@link #map(double)}). */
  public boolean isNumeric() {
    return numeric;
  }

  /** The numeric raw value that maps to 0 (NaN for string labels). */
  public double negativeValue() {
    return negativeValue;
  }

  /** The numeric raw value that maps to 1 (NaN for string labels). */
  public double positiveValue() {
    return positiveValue;
  }

  /** 0 or 1 for a numeric raw label, NaN when it is neither of the two values. */
  public double map(double raw) {
    return raw == positiveValue ? 1.0 : raw == negativeValue ? 0.0 : Double.NaN;
  }

  /** 0 or 1 for a string raw label, NaN when it is neither of the two values. */
  public double map(String raw) {
    return positive.equals(raw) ? 1.0 : negative.equals(raw) ? 0.0 : Double.NaN;
  }

  /** A numeric label for messages: integers without ".0", "+" on positives next to negatives. */
  static String format(double v, boolean signed) {
    String s = v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    return signed && v > 0 ? "+" + s : s;
  }

  /** Values for a message: the first {@link #MAX_LISTED}, then "...". */
  static String list(List<String> values) {
    List<String> shown = values.size() > MAX_LISTED ? values.subList(0, MAX_LISTED) : values;
    return String.join(", ", shown) + (values.size() > MAX_LISTED ? ", ..." : "");
  }

  private static DataValidationException wrongCount(List<String> shown, String where) {
    if (shown.isEmpty()) {
      return new DataValidationException("no rows in " + where);
    }
    String count = shown.size() > MAX_LISTED ? "more than " + MAX_LISTED : Integer.toString(shown.size());
    return new DataValidationException("expected 2 distinct labels in " + where + ", found "
        + count + ": " + list(shown));
  }

  private static double parsePositive(String text, String where) {
    try {
      return Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new DataValidationException(
          "positiveLabel '" + text + "' is not a number, but the labels in " + where + " are numeric");
    }
  }

  private static DataValidationException notALabel(String p, String a, String b, String where) {
    return new DataValidationException(
        "positiveLabel '" + p + "' is not one of the labels " + a + ", " + b + " found in " + where);
  }

  @Override
  public String toString() {
    return describe();
  }
}
