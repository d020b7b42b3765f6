package dev.sparknewton.data;

import java.util.Arrays;

/**
 * Parses one line of LIBSVM text, {@code label idx:val idx:val ... [# comment]}: 1-based strictly
 * increasing indices, fields separated by spaces or tabs. Blank and comment-only lines carry no
 * row. Explicit zero values are dropped. One parser per task; it reuses its buffers from line to
 * line, so the arrays it exposes are valid until the next {@link #parse}.
 */
final class LibSvmLineParser {
  private final int numFeatures;
  private int[] indices = new int[64];
  private double[] values = new double[64];
  private int size;
  private double label;
  private int maxIndex;

  /**
   * @param numFeatures a positive bound on the 1-based indices, or 0 for none
   */
  LibSvmLineParser(int numFeatures) {
    this.numFeatures = numFeatures;
  }

  /**
   * Parses {@code line}.
   *
   * @return false for a blank or comment-only line
   * @throws DataValidationException naming the offending token (without file and line, which the
   *     caller adds)
   */
  boolean parse(String line) {
    int end = line.indexOf('#');
    if (end < 0) {
      end = line.length();
    }
    size = 0;
    maxIndex = 0;
    int pos = skipSpace(line, 0, end);
    if (pos == end) {
      return false;
    }
    int tokenEnd = tokenEnd(line, pos, end);
    label = parseFinite(line.substring(pos, tokenEnd), 0);
    pos = skipSpace(line, tokenEnd, end);
    int previous = 0;
    while (pos < end) {
      tokenEnd = tokenEnd(line, pos, end);
      int colon = line.indexOf(':', pos);
      if (colon < 0 || colon >= tokenEnd) {
        throw new DataValidationException(
            "cannot parse feature '" + line.substring(pos, tokenEnd) + "' (expected index:value)");
      }
      int index = parseIndex(line.substring(pos, colon), line.substring(pos, tokenEnd));
      if (index <= previous) {
        throw new DataValidationException(
            "indices not increasing (" + index + " after " + previous + ")");
      }
      if (numFeatures > 0 && index > numFeatures) {
        throw new DataValidationException(
            "feature index " + index + " > numFeatures " + numFeatures + " (indices are 1-based)");
      }
      double value = parseFinite(line.substring(colon + 1, tokenEnd), index);
      previous = index;
      maxIndex = index;
      if (value != 0.0) {
        if (size == indices.length) {
          indices = Arrays.copyOf(indices, 2 * size);
          values = Arrays.copyOf(values, 2 * size);
        }
        indices[size] = index - 1;
        values[size] = value;
        size++;
      }
      pos = skipSpace(line, tokenEnd, end);
    }
    return true;
  }

  /** The raw label of the last parsed line. */
  double label() {
    return label;
  }

  /** The largest 1-based index of the last parsed line (0 when it has no features). */
  int maxIndex() {
    return maxIndex;
  }

  /** Number of non-zero features of the last parsed line. */
  int size() {
    return size;
  }

  /** Copy of the 0-based indices of the non-zero features of the last parsed line. */
  int[] indices() {
    return Arrays.copyOf(indices, size);
  }

  /** Copy of the non-zero values of the last parsed line. */
  double[] values() {
    return Arrays.copyOf(values, size);
  }

  private static int parseIndex(String text, String token) {
    int index;
    try {
      index = Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new DataValidationException("cannot parse index '" + text + "' in '" + token + "'");
    }
    if (index <= 0) {
      throw new DataValidationException("index " + index + " is not 1-based");
    }
    return index;
  }

  /**
   * A finite number: the label ({@code index == 0}) or the value of 1-based feature
   * {@code index}.
   */
  private static double parseFinite(String text, int index) {
    double v;
    try {
      v = Double.parseDouble(text);
    } catch (NumberFormatException e) {
      v = isNonFiniteName(text) ? Double.NaN : parseFailed(text, index);
    }
    if (!Double.isFinite(v)) {
      throw new DataValidationException(named(text, index) + " is not finite");
    }
    return v;
  }

  private static double parseFailed(String text, int index) {
    throw new DataValidationException("cannot parse " + named(text, index));
  }

  private static String named(String text, int index) {
    return index == 0 ? "label '" + text + "'" : "value '" + text + "' of index " + index;
  }

  /** The spellings of NaN and infinity other tools write, which Java's parser does not read. */
  private static boolean isNonFiniteName(String text) {
    String t = text.toLowerCase(java.util.Locale.ROOT);
    if (t.startsWith("+") || t.startsWith("-")) {
      t = t.substring(1);
    }
    return t.equals("nan") || t.equals("inf") || t.equals("infinity");
  }

  private static int skipSpace(String line, int pos, int end) {
    while (pos < end && isSpace(line.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private static int tokenEnd(String line, int pos, int end) {
    while (pos < end && !isSpace(line.charAt(pos))) {
      pos++;
    }
    return pos;
  }

  private static boolean isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\f';
  }
}
