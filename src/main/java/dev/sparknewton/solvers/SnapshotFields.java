package dev.sparknewton.solvers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The named values of a solver's state in a {@link SolverSnapshot}: whole numbers ({@code long}),
 * reals ({@code double}) and real arrays ({@code double[]}), each under a dotted name that says
 * which part of the solver owns it ({@code "check.stalled"}, {@code "forcing.previousEta"},
 * {@code "adam.m"}). Immutable; arrays are copied in and out. The names and their meaning are
 * listed per solver in {@code docs/checkpoint.md}.
 */
public final class SnapshotFields {
  private final Map<String, Object> values;

  private SnapshotFields(Map<String, Object> values) {
    this.values = values;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The fields of {@code values}, whose values must be {@link Long}, {@link Double} or
   * {@code double[]} (as a codec reads them back). Not modified.
   *
   * @throws IllegalArgumentException naming a value of another type
   */
  public static SnapshotFields of(Map<String, ?> values) {
    Builder b = builder();
    for (Map.Entry<String, ?> e : values.entrySet()) {
      Object v = e.getValue();
      if (v instanceof Long l) {
        b.put(e.getKey(), l.longValue());
      } else if (v instanceof Double d) {
        b.put(e.getKey(), d.doubleValue());
      } else if (v instanceof double[] a) {
        b.put(e.getKey(), a);
      } else {
        throw new IllegalArgumentException("snapshot field '" + e.getKey()
            + "' must be a whole number, a real or an array of reals, got " + v);
      }
    }
    return b.build();
  }

  /** Every field in insertion order: {@link Long}, {@link Double} or {@code double[]} (do not modify the arrays). */
  public Map<String, Object> asMap() {
    return Collections.unmodifiableMap(values);
  }

  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The whole number {@code name}. */
  public long longValue(String name) {
    return get(name, Long.class, "a whole number");
  }

  /** The whole number {@code name}, which must fit an {@code int}. */
  public int intValue(String name) {
    long v = longValue(name);
    if (v != (int) v) {
      throw new IllegalArgumentException("snapshot field '" + name + "' = " + v
          + " does not fit an int");
    }
    return (int) v;
  }

  /** The real {@code name}. */
  public double doubleValue(String name) {
    return get(name, Double.class, "a real");
  }

  /** A copy of the array {@code name}. */
  public double[] doubles(String name) {
    return get(name, double[].class, "an array of reals").clone();
  }

  /** A copy of the array {@code name}, which must have {@code length} entries. */
  public double[] doubles(String name, int length) {
    double[] a = doubles(name);
    if (a.length != length) {
      throw new IllegalArgumentException("snapshot field '" + name + "' has " + a.length
          + " entries, expected " + length);
    }
    return a;
  }

  private <T> T get(String name, Class<T> type, String what) {
    Object v = values.get(name);
    if (v == null) {
      throw new IllegalArgumentException("the snapshot has no field '" + name + "'");
    }
    if (!type.isInstance(v)) {
      throw new IllegalArgumentException("snapshot field '" + name + "' is not " + what);
    }
    return type.cast(v);
  }

  @Override
  public String toString() {
    return "SnapshotFields" + values.keySet();
  }

  /** Collects fields; a name may be given once. */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();

    private Builder() {}

    public Builder put(String name, long value) {
      return add(name, value);
    }

    public Builder put(String name, double value) {
      return add(name, value);
    }

    /** @param value copied. Not modified. */
    public Builder put(String name, double[] value) {
      return add(name, value.clone());
    }

    private Builder add(String name, Object value) {
      if (values.putIfAbsent(name, value) != null) {
        throw new IllegalStateException("snapshot field '" + name + "' given twice");
      }
      return this;
    }

    public SnapshotFields build() {
      return new SnapshotFields(new LinkedHashMap<>(values));
    }
  }
}
