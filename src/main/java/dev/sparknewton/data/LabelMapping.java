package dev.sparknewton.data;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * How raw labels become the {@code label} column of {@link TrainingData}:
 *
 * <ul>
 *   <li>{@link LabelKind#BINARY}: two raw values, one mapped to 0 and one to 1. Without an
 *       explicit positive label the larger value maps to 1 ({@code -1 -> 0, +1 -> 1};
 *       {@code 1 -> 0, 2 -> 1}; {@code no -> 0, yes -> 1}).
 *   <li>{@link LabelKind#MULTICLASS}: {@code K >= 2} raw values mapped to the class indices
 *       {@code 0 .. K-1} in ascending order ({@code 1 -> 0, 3 -> 1, 7 -> 2}).
 *   <li>{@link LabelKind#REAL}: finite numeric targets, mapped to themselves.
 * </ul>
 *
 * <p>Labels are either numeric, compared as doubles (so "+1", "1" and "1.0" are one value, and so
 * are -0 and 0), or strings, compared exactly and ordered by {@link String#compareTo}.
 *
 * <p>Serializable and small (two arrays of {@code K} entries): loaders map labels with it inside
 * Spark tasks.
 */
public final class LabelMapping implements Serializable {
  private static final long serialVersionUID = 2L;

  /** How many distinct values an error message or {@link #describe()} lists before "...". */
  static final int MAX_LISTED = 10;

  private final LabelKind kind;
  private final boolean numeric;
  /** The numeric raw value of each class index, NaN for string labels; ascending for multiclass. */
  private final double[] values;
  /** The raw label of each class index as written in messages; ascending for multiclass. */
  private final String[] names;

  private LabelMapping(LabelKind kind, boolean numeric, double[] values, String[] names) {
    this.kind = kind;
    this.numeric = numeric;
    this.values = values;
    this.names = names;
  }

  /** The identity mapping of finite numeric targets (least squares). */
  public static LabelMapping real() {
    return new LabelMapping(LabelKind.REAL, true, new double[0], new String[0]);
  }

  /**
   * How many distinct raw values a loader has to collect for {@link #ofNumbers} or
   * {@link #ofStrings}: enough to tell a valid count from an invalid one and to list the values
   * in the error message. The same number of distinct test labels always includes an unknown one
   * when there are more than the training classes.
   *
   * @param maxClasses the largest number of classes accepted by {@link LabelKind#AUTO} and
   *     {@link LabelKind#MULTICLASS}
   * @return 0 for {@link LabelKind#REAL}, which needs no distinct values
   */
  public static int distinctToCollect(LabelKind kind, int maxClasses) {
    return switch (kind) {
      case BINARY -> MAX_LISTED + 1;
      case AUTO, MULTICLASS -> maxClasses + 1;
      case REAL -> 0;
    };
  }

  /**
   * The mapping of numeric labels.
   *
   * @param found the distinct label values found ({@link #distinctToCollect} of them are enough);
   *     not modified
   * @param kind {@link LabelKind#BINARY}, {@link LabelKind#MULTICLASS} or {@link LabelKind#AUTO}
   *     (binary for two values, multiclass for more)
   * @param maxClasses the largest number of classes accepted by auto and multiclass
   * @param positiveLabel binary only: the raw value that maps to 1, if given
   * @param where the data, for error messages
   * @throws DataValidationException for the wrong number of distinct values, a non-finite value,
   *     or a {@code positiveLabel} that is not one of two values
   */
  public static LabelMapping ofNumbers(Collection<Double> found, LabelKind kind, int maxClasses,
      Optional<String> positiveLabel, String where) {
    TreeSet<Double> sorted = new TreeSet<>();
    for (double v : found) {
      sorted.add(v + 0.0); // -0.0 + 0.0 is 0.0: TreeSet would keep -0 and 0 as two labels
    }
    double[] values = new double[sorted.size()];
    int k = 0;
    for (double v : sorted) {
      values[k++] = v;
    }
    boolean signed = values.length > 0 && values[0] < 0;
    List<String> shown = new ArrayList<>();
    for (double v : values) {
      shown.add(format(v, signed));
    }
    LabelKind resolved = resolve(kind, shown, maxClasses, positiveLabel, where);
    if (!Double.isFinite(values[0]) || !Double.isFinite(values[values.length - 1])) {
      throw new DataValidationException(
          "labels in " + where + " must be finite, found " + list(shown));
    }
    if (resolved == LabelKind.MULTICLASS) {
      return new LabelMapping(resolved, true, values, shown.toArray(new String[0]));
    }
    double low = values[0];
    double high = values[1];
    boolean lowIsPositive = false;
    if (positiveLabel.isPresent()) {
      double p = parsePositive(positiveLabel.get(), where);
      if (p != low && p != high) {
        throw notALabel(positiveLabel.get(), shown.get(0), shown.get(1), where);
      }
      lowIsPositive = p == low;
    }
    return lowIsPositive
        ? new LabelMapping(resolved, true, new double[] {high, low},
            new String[] {shown.get(1), shown.get(0)})
        : new LabelMapping(resolved, true, values, shown.toArray(new String[0]));
  }

  /**
   * The mapping of string labels.
   *
   * @param found the distinct non-null label values found ({@link #distinctToCollect} of them are
   *     enough); not modified
   * @param kind {@link LabelKind#BINARY}, {@link LabelKind#MULTICLASS} or {@link LabelKind#AUTO}
   * @param maxClasses the largest number of classes accepted by auto and multiclass
   * @param positiveLabel binary only: the raw value that maps to 1, if given
   * @param where the data, for error messages
   * @throws DataValidationException for the wrong number of distinct values, or a
   *     {@code positiveLabel} that is not one of two values
   */
  public static LabelMapping ofStrings(Collection<String> found, LabelKind kind, int maxClasses,
      Optional<String> positiveLabel, String where) {
    List<String> sorted = new ArrayList<>(new TreeSet<>(found));
    LabelKind resolved = resolve(kind, sorted, maxClasses, positiveLabel, where);
    double[] none = new double[sorted.size()];
    Arrays.fill(none, Double.NaN);
    if (resolved == LabelKind.BINARY && positiveLabel.isPresent()) {
      String p = positiveLabel.get();
      if (!p.equals(sorted.get(0)) && !p.equals(sorted.get(1))) {
        throw notALabel(p, sorted.get(0), sorted.get(1), where);
      }
      if (p.equals(sorted.get(0))) {
        return new LabelMapping(resolved, false, none, new String[] {sorted.get(1), sorted.get(0)});
      }
    }
    return new LabelMapping(resolved, false, none, sorted.toArray(new String[0]));
  }

  /**
   * The kind the {@code found} values (sorted, as written) make, after checking their number.
   * A positive label is an error unless the kind is binary.
   */
  private static LabelKind resolve(LabelKind kind, List<String> found, int maxClasses,
      Optional<String> positiveLabel, String where) {
    if (kind == LabelKind.REAL) {
      throw new IllegalArgumentException(
          "real-valued targets have no classes; use LabelMapping.real()");
    }
    if (found.isEmpty()) {
      throw new DataValidationException("no rows in " + where);
    }
    if (kind == LabelKind.BINARY) {
      if (found.size() != 2) {
        String count =
            found.size() > MAX_LISTED ? "more than " + MAX_LISTED : Integer.toString(found.size());
        throw new DataValidationException("expected 2 distinct labels in " + where + ", found "
            + count + ": " + list(found));
      }
      return LabelKind.BINARY;
    }
    if (found.size() < 2) {
      throw new DataValidationException("expected at least 2 distinct labels in " + where
          + ", found " + found.size() + ": " + list(found));
    }
    if (found.size() > maxClasses) {
      throw new DataValidationException("found more than " + maxClasses + " distinct labels in "
          + where + " (model.maxClasses = " + maxClasses + "): " + list(found));
    }
    if (kind == LabelKind.AUTO && found.size() == 2) {
      return LabelKind.BINARY;
    }
    if (positiveLabel.isPresent()) {
      throw new DataValidationException("positiveLabel '" + positiveLabel.get()
          + "' applies to binary labels only, but " + where + " has " + found.size()
          + " distinct labels: " + list(found));
    }
    return LabelKind.MULTICLASS;
  }

  /** {@link LabelKind#BINARY}, {@link LabelKind#MULTICLASS} or {@link LabelKind#REAL}. */
  public LabelKind kind() {
    return kind;
  }

  /** 2 for binary labels, {@code K} for multiclass, 0 for real-valued targets. */
  public int numClasses() {
    return names.length;
  }

  /** The raw label of each class index, as written in {@link #describe()}; empty for real targets. */
  public List<String> classes() {
    return List.of(names);
  }

  /** The numeric raw value of class {@code k}, NaN for string labels. */
  public double classValue(int k) {
    return values[k];
  }

  /** Binary labels: the raw value that maps to 0, as written in {@link #describe()}. */
  public String negative() {
    requireBinary("negative()");
    return names[0];
  }

  /** Binary labels: the raw value that maps to 1, as written in {@link #describe()}. */
  public String positive() {
    requireBinary("positive()");
    return names[1];
  }

  /**
   * E.g. {@code "-1 -> 0, +1 -> 1"}; for many classes the first {@link #MAX_LISTED}, then
   * {@code "..., 20 -> 19"}; {@code "real-valued targets"}.
   */
  public String describe() {
    if (kind == LabelKind.REAL) {
      return "real-valued targets";
    }
    int k = names.length;
    int shown = k > MAX_LISTED + 1 ? MAX_LISTED : k;
    StringBuilder s = new StringBuilder();
    for (int c = 0; c < shown; c++) {
      s.append(c == 0 ? "" : ", ").append(names[c]).append(" -> ").append(c);
    }
    if (shown < k) {
      s.append(", ..., ").append(names[k - 1]).append(" -> ").append(k - 1);
    }
    return s.toString();
  }

  /** True when the raw labels are numbers (then use {@link #map(double)}); true for real targets. */
  public boolean isNumeric() {
    return numeric;
  }

  /** Binary labels: the numeric raw value that maps to 0 (NaN for string labels). */
  public double negativeValue() {
    requireBinary("negativeValue()");
    return values[0];
  }

  /** Binary labels: the numeric raw value that maps to 1 (NaN for string labels). */
  public double positiveValue() {
    requireBinary("positiveValue()");
    return values[1];
  }

  /**
   * The label of a numeric raw value: 0 or 1, the class index, or the value itself for real
   * targets; NaN when it is not one of the classes.
   */
  public double map(double raw) {
    return switch (kind) {
      case REAL -> raw;
      case BINARY -> raw == values[1] ? 1.0 : raw == values[0] ? 0.0 : Double.NaN;
      default -> numeric ? classOf(Arrays.binarySearch(values, raw + 0.0)) : Double.NaN;
    };
  }

  /**
   * The label of a raw value compared as written with {@link #classes()}: 0 or 1, or the class
   * index; NaN when it is not one of the classes, and always for real targets.
   */
  public double map(String raw) {
    if (raw == null || kind == LabelKind.REAL) {
      return Double.NaN;
    }
    if (kind == LabelKind.BINARY) {
      return names[1].equals(raw) ? 1.0 : names[0].equals(raw) ? 0.0 : Double.NaN;
    }
    // String classes are in String order; numeric ones are not, and are rarely mapped as text.
    return classOf(numeric ? Arrays.asList(names).indexOf(raw) : Arrays.binarySearch(names, raw));
  }

  /** A search result as a label: the class index, or NaN when not found ({@code k < 0}). */
  private static double classOf(int k) {
    return k >= 0 ? k : Double.NaN;
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

  private void requireBinary(String method) {
    if (kind != LabelKind.BINARY) {
      throw new IllegalStateException(method + " is defined for binary labels only, not for "
          + describe());
    }
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
