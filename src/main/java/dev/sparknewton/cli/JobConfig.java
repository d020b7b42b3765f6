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
 * rejected, so a typo fails at start-up instead of being ignored; every typed getter names the key
 * and the offending value when it fails.
 */
public final class JobConfig extends ConfigValues {
  private static final Set<String> SECTIONS = Set.of(
      "data", "model", "solver", "spark", "output", "benchmark", "spectrum", "generate");

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
    checkKnownKeys(file, reference, source);
    checkKnownKeys(overrides, reference, "the command line");
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

  private static void checkKnownKeys(Config user, Config reference, String source) {
    for (Map.Entry<String, ConfigValue> e : user.entrySet()) {
      String key = e.getKey();
      String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
      if (!SECTIONS.contains(section)) {
        continue; // other sections (e.g. substitution helpers) are the user's own
      }
      if (!reference.hasPath(key)) {
        throw new IllegalArgumentException(
            "unknown configuration key '" + key + "' (from " + source + ")" + suggestion(key, reference));
      }
    }
  }

  private static String suggestion(String key, Config reference) {
    Set<String> close = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : reference.entrySet()) {
      if (e.getKey().equalsIgnoreCase(key)
          || (e.getKey().contains(".") && key.contains(".")
              && e.getKey().substring(e.getKey().lastIndexOf('.'))
                  .equalsIgnoreCase(key.substring(key.lastIndexOf('.'))))) {
        close.add(e.getKey());
      }
    }
    return close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?";
  }

  /** Where the configuration came from (a file name, or "defaults"). */
  public String source() {
    return source;
  }

  /** A copy of this configuration with {@code key} set to {@code value}. */
  public JobConfig with(String key, Object value) {
    return new JobConfig(
        config().withValue(key, com.typesafe.config.ConfigValueFactory.fromAnyRef(value)), source);
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
