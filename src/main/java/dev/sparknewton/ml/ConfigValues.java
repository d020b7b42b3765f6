package dev.sparknewton.ml;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import java.util.List;

/**
 * Typed reads of a HOCON configuration, each failing with a one-line
 * {@link IllegalArgumentException} that names the key and the offending value.
 *
 * <p>{@link #reference()} is {@code reference.conf}: the one home of every default, read by the
 * command line (through {@code cli.JobConfig}, which overlays a job file and {@code key=value}
 * arguments on it) and by the Spark ML estimators (whose param defaults are its values).
 */
public class ConfigValues {
  private static final ConfigValues REFERENCE =
      new ConfigValues(referenceConfig().resolve(ConfigResolveOptions.defaults()));

  private final Config config;

  protected ConfigValues(Config config) {
    this.config = config;
  }

  /** {@code reference.conf} of this jar, resolved: every key with its default. */
  public static ConfigValues reference() {
    return REFERENCE;
  }

  /** {@code reference.conf} of this jar, parsed but not resolved, for overlays. */
  public static Config referenceConfig() {
    return ConfigFactory.parseResources(ConfigValues.class.getClassLoader(), "reference.conf");
  }

  /** The underlying configuration. */
  protected final Config config() {
    return config;
  }

  public String string(String key) {
    try {
      return config.getString(key);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(key + ": expected a string, got " + render(key));
    }
  }

  public boolean bool(String key) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(key + ": expected true or false, got " + render(key));
    }
  }

  public int integer(String key) {
    try {
      return config.getInt(key);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(key + ": expected an integer, got " + render(key));
    }
  }

  public long longValue(String key) {
    try {
      return config.getLong(key);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(key + ": expected an integer, got " + render(key));
    }
  }

  public double number(String key) {
    double v;
    try {
      v = config.getDouble(key);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(key + ": expected a number, got " + render(key));
    }
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException(key + ": expected a finite number, got " + v);
    }
    return v;
  }

  /** A number in {@code [min, max]}, with a one-line error naming the key otherwise. */
  public double number(String key, double min, double max) {
    double v = number(key);
    if (v < min || v > max) {
      throw new IllegalArgumentException(key + " must be in [" + min + ", " + max + "], got " + v);
    }
    return v;
  }

  /** A size in MiB, {@code >= 0}, as bytes. */
  public long megabytes(String key) {
    double mb = number(key);
    if (!(mb >= 0)) {
      throw new IllegalArgumentException(key + " must be a finite number >= 0, got " + mb);
    }
    return (long) (mb * 1024 * 1024);
  }

  /** True when {@code key} is a known key. */
  public boolean has(String key) {
    return config.hasPath(key);
  }

  /** A list of strings. */
  public List<String> strings(String key) {
    try {
      return config.getStringList(key);
    } catch (ConfigException e) {
      throw new IllegalArgumentException(key + ": expected a list of strings, got " + render(key));
    }
  }

  /** One of {@code allowed}, with a one-line error listing them otherwise. */
  public String choice(String key, List<String> allowed) {
    String v = string(key);
    if (!allowed.contains(v)) {
      throw new IllegalArgumentException(
          key + " must be one of " + String.join(", ", allowed) + "; got '" + v + "'");
    }
    return v;
  }

  private String render(String key) {
    return config.hasPath(key) ? "'" + config.getValue(key).unwrapped() + "'" : "nothing";
  }
}
