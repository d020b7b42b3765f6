package dev.sparknewton.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValue;
import dev.sparknewton.ml.ConfigValues;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A job configuration: {@code reference.conf} (every key, with its default) overlaid by an optional
 * HOCON file and then by {@code key=value} arguments. Keys not in {@code reference.conf} are
 * rejected with the nearest known key as a suggestion, so a typo fails at start-up instead of being
 * ignored (in a file, a helper key that a substitution of the file uses is allowed); every typed
 * getter names the key and the offending value when it fails.
 */
public final class JobConfig extends ConfigValues {
  private static final Set<String> SECTIONS = Set.of(
      "data", "model", "solver", "spark", "output", "checkpoint", "inference", "benchmark",
      "spectrum", "generate");

  private final String source;

  private JobConfig(Config config, String source) {
    super(config);
    this.source = source;
  }

  /**
   * Parses arguments of the form {@code [CONF_FILE] [key=value ...]}.
   *
   * @throws IllegalArgumentException with a one-line message for a missing file, a malformed
   *     argument, a syntax error or an unknown key
   */
  public static JobConfig fromArguments(List<String> args) {
    Config overrides = ConfigFactory.empty();
    Config file = ConfigFactory.empty();
    String source = "defaults";
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (a.contains("=")) {
        pairs.add(a);
      } else if (i == 0) {
        File f = new File(a);
        if (!f.isFile()) {
          throw new IllegalArgumentException("configuration file not found: " + a);
        }
        try {
          file = ConfigFactory.parseFile(f, ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (ConfigException e) {
          throw new IllegalArgumentException("cannot parse " + a + ": " + e.getMessage());
        }
        source = a;
      } else {
        throw new IllegalArgumentException(
            "expected key=value after the configuration file, got '" + a + "'");
      }
    }
    for (String pair : pairs) {
      int eq = pair.indexOf('=');
      String key = pair.substring(0, eq).trim();
      String value = pair.substring(eq + 1);
      if (key.isEmpty()) {
        throw new IllegalArgumentException("argument '" + pair + "' has no key before '='");
      }
      try {
        overrides = ConfigFactory.parseString(key + " = " + quoteIfNeeded(value))
            .withFallback(overrides);
      } catch (ConfigException e) {
        throw new IllegalArgumentException("cannot parse argument '" + pair + "': " + e.getMessage());
      }
    }
    Config reference = ConfigValues.referenceConfig();
    checkKnownKeys(file, reference, source, file);
    checkKnownKeys(overrides, reference, "the command line", file);
    Config user = overrides.withFallback(file);
    Config merged;
    try {
      merged = user.withFallback(reference).resolve(ConfigResolveOptions.defaults());
    } catch (ConfigException e) {
      throw new IllegalArgumentException("cannot resolve configuration: " + e.getMessage());
    }
    return new JobConfig(merged, source);
  }

  private static String quoteIfNeeded(String value) {
    String v = value.trim();
    if (v.isEmpty()) {
      return "\"\"";
    }
    if (v.startsWith("\"") || v.startsWith("[") || v.startsWith("{")) {
      return v;
    }
    // Paths and masters (local[*], s3://...) contain characters HOCON treats as syntax.
    return "\"" + v.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /**
   * Rejects every key of {@code user} that {@code reference.conf} does not define. A key outside
   * the known sections is allowed when it is a helper of the configuration file, a key that a
   * substitution of the file uses ({@code cache.dir = ...} with {@code path = ${cache.dir}"/a9a"});
   * the command line may override such a helper, and nothing else unknown.
   *
   * @param file the configuration file (empty when there is none)
   */
  private static void checkKnownKeys(Config user, Config reference, String source, Config file) {
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      String key = e.getKey();
      if (reference.hasPath(key)) {
        continue;
      }
      String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
      // Not file.hasPath(key): on an unresolved file (a key set twice, as ${HOME}... then
      // ${?VAR}) it throws; its entries can be listed.
      if (!SECTIONS.contains(section)
          && file.entrySet().stream().anyMatch(f -> f.getKey().equals(key))
          && usedBySubstitution(file, reference, key)) {
        continue;
      }
      throw new IllegalArgumentException(
          "unknown configuration key '" + key + "' (from " + source + ")" + suggestion(key, reference));
    }
  }

  /**
   * True when removing {@code key} from {@code user} changes a setting of the known sections
   * (or leaves a substitution unresolved): some {@code ${...}} uses it.
   */
  private static boolean usedBySubstitution(Config user, Config reference, String key) {
    Config with;
    try {
      with = user.withFallback(reference).resolve();
    } catch (ConfigException e) {
      return false; // reported as an unresolvable configuration after this check
    }
    try {
      Config without = user.withoutPath(key).withFallback(reference).resolve();
      for (String section : SECTIONS) {
        if (!with.getValue(section).equals(without.getValue(section))) {
          return true;
        }
      }
      return false;
    } catch (ConfigException e) {
      return true;
    }
  }

  /**
   * The known keys nearest to {@code key}: the same key in another case, the same last segment in
   * another section ({@code regParam} -> {@code model.regParam}), or within two edits
   * ({@code solver.nmae} -> {@code solver.name}), whichever kind matches first.
   */
  static String suggestion(String key, Config reference) {
    String lower = key.toLowerCase(java.util.Locale.ROOT);
    String last = lower.substring(lower.lastIndexOf('.') + 1);
    Set<String> sameName = new TreeSet<>();
    Set<String> sameLast = new TreeSet<>();
    Set<String> near = new TreeSet<>();
    int nearest = 3;
    for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
      String known = e.getKey();
      String knownLower = known.toLowerCase(java.util.Locale.ROOT);
      if (knownLower.equals(lower)) {
        sameName.add(known);
      } else if (knownLower.substring(knownLower.lastIndexOf('.') + 1).equals(last)) {
        sameLast.add(known);
      } else {
        int distance = editDistance(lower, knownLower);
        if (distance < nearest) {
          near.clear();
          nearest = distance;
        }
        if (distance == nearest) {
          near.add(known);
        }
      }
    }
    Set<String> close = !sameName.isEmpty() ? sameName : !sameLast.isEmpty() ? sameLast : near;
    return close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?";
  }

  /** Levenshtein distance (insertions, deletions, substitutions) between two short strings. */
  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitute, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] t = previous;
      previous = current;
      current = t;
    }
    return previous[b.length()];
  }

  /** Where the configuration came from (a file name, or "defaults"). */
  public String source() {
    return source;
  }

  /**
   * The paths the job reads, which {@code output.overwrite} must never replace: {@code data.path}
   * (unless it names a table or is empty), {@code data.testPath}, {@code data.labelsPath},
   * {@code data.testLabelsPath} and a {@code spectrum.point} that is a model file.
   */
  public List<String> inputPaths() {
    List<String> paths = new ArrayList<>();
    if (!string("data.format").equals("table")) {
      paths.add(string("data.path"));
    }
    for (String key : List.of("data.testPath", "data.labelsPath", "data.testLabelsPath")) {
      paths.add(string(key));
    }
    String point = string("spectrum.point").trim();
    if (!List.of(SpectrumSettings.INITIAL, SpectrumSettings.OPTIMUM).contains(point)) {
      paths.add(point);
    }
    paths.removeIf(String::isEmpty);
    return paths;
  }

  /** A copy of this configuration with {@code key} set to {@code value}. */
  public JobConfig with(String key, Object value) {
    return new JobConfig(
        config().withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef(value)), source);
  }

  /**
   * Every key of {@code section} with its value as text, numbers written the same way whatever
   * their spelling ({@code 1e-5}, {@code 1.0E-5} and {@code "0.00001"} give {@code 1.0E-5};
   * {@code 8}, {@code 8.0} and {@code "8"} give {@code 8}), lists
   * as {@code [a, b]}: for comparing two configurations.
   */
  public java.util.SortedMap<String, String> values(String section) {
    java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
    for (Map.Entry<String, ConfigValue> e : config().getConfig(section).entrySet()) {
      out.put(section + "." + e.getKey(), canonical(e.getValue().unwrapped()));
    }
    return out;
  }

  private static String canonical(Object value) {
    if (value instanceof List<?> list) {
      List<String> items = new ArrayList<>();
      for (Object o : list) {
        items.add(canonical(o));
      }
      return "[" + String.join(", ", items) + "]";
    }
    String text = String.valueOf(value).trim();
    try {
      double v = Double.parseDouble(text);
      // A number, unless Java also reads words like "Infinity" or hex: keep those as written.
      if (!Character.isDigit(text.charAt(text.length() - 1)) && !text.endsWith(".")) {
        return text;
      }
      return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    } catch (NumberFormatException e) {
      return text;
    }
  }

  /** The whole resolved configuration as HOCON, for the run's output directory. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    for (String section : new TreeSet<>(SECTIONS)) {
      sb.append(section).append(' ')
          .append(config().getConfig(section).root().render(
              com.typesafe.config.ConfigRenderOptions.concise().setFormatted(true).setJson(false)))
          .append('\n');
    }
    return sb.toString();
  }
}
