package dev.sparknewton.data;

/**
 * Bad training data or a bad data specification, found at load time. The message is one line and
 * names what is wrong, where (file, line or row, column) and the offending value, e.g.
 * {@code "a9a.bz2 line 17: feature index 130 > numFeatures 123"}.
 */
public class DataValidationException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public DataValidationException(String message) {
    super(oneLine(message));
  }

  private static String oneLine(String message) {
    return message == null ? null : message.replaceAll("\\s*[\\r\\n]+\\s*", " ");
  }
}
