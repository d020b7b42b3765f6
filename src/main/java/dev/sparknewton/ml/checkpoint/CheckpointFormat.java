package dev.sparknewton.ml.checkpoint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparknewton.ml.IterationRecord;
import dev.sparknewton.solvers.SnapshotFields;
import dev.sparknewton.solvers.SolverSnapshot;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The file format of a {@link Checkpoint}: one UTF-8 JSON object (docs/checkpoint.md),
 *
 * <pre>
 * {"format": "spark-newton checkpoint", "version": 1, "solver": "newton-cg", "iteration": 12,
 *  "fingerprint": {"data": {...}, "settings": {...}},
 *  "counts": {"passes": .., "jobs": .., "tasks": .., "bytesSent": .., "seconds": ..},
 *  "state": {"evaluatedWith": 12, "point": REALS, "fields": {"check.stalled": 0, ...}},
 *  "history": [{"iteration": 0, "objective": .., ...}, ...]}
 * </pre>
 *
 * Every double comes back bit for bit: an array ({@code REALS}) is
 * {@code {"float64": "<base64>"}} of its IEEE-754 bit patterns, 8 bytes each, big-endian
 * ({@link Double#doubleToRawLongBits}); a single finite double is a JSON number as
 * {@link Double#toString} writes it, which {@link Double#parseDouble} reads back exactly, and a
 * non-finite one the string {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"} (a NaN's
 * payload is not kept; nothing here computes with one). In {@code fields}, a whole number is a
 * JSON integer and a real always has a fraction or exponent ({@code 1.0}), so each comes back as
 * the type it was written as.
 */
public final class CheckpointFormat {
  static final String FORMAT = "spark-newton checkpoint";
  static final int VERSION = 1;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String REALS = "float64";

  private CheckpointFormat() {}

  /** The checkpoint as the bytes of its file. */
  public static byte[] encode(Checkpoint c) {
    ObjectNode root = JSON.createObjectNode();
    root.put("format", FORMAT);
    root.put("version", VERSION);
    root.put("solver", c.snapshot().solver());
    root.put("iteration", c.iteration());
    ObjectNode fingerprint = root.putObject("fingerprint");
    strings(fingerprint.putObject("data"), c.fingerprint().data());
    strings(fingerprint.putObject("settings"), c.fingerprint().settings());
    ObjectNode counts = root.putObject("counts");
    counts.put("passes", c.counts().passes());
    counts.put("jobs", c.counts().jobs());
    counts.put("tasks", c.counts().tasks());
    counts.put("bytesSent", c.counts().bytesSent());
    real(counts, "seconds", c.counts().seconds());
    ObjectNode state = root.putObject("state");
    state.put("evaluatedWith", c.snapshot().evaluatedWith());
    state.set("point", reals(c.snapshot().point()));
    ObjectNode fields = state.putObject("fields");
    for (Map.Entry<String, Object> e : c.snapshot().fields().asMap().entrySet()) {
      Object v = e.getValue();
      if (v instanceof Long l) {
        fields.put(e.getKey(), l.longValue());
      } else if (v instanceof Double d) {
        real(fields, e.getKey(), d);
      } else {
        fields.set(e.getKey(), reals((double[]) v));
      }
    }
    ArrayNode history = root.putArray("history");
    for (IterationRecord r : c.history()) {
      history.add(record(r));
    }
    try {
      return JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a checkpoint as JSON", e);
    }
  }

  /**
   * Reads a checkpoint back.
   *
   * @param source names the file in messages
   * @throws IllegalArgumentException naming {@code source} and what is wrong: not JSON, another
   *     format or version, a missing or mistyped field
   */
  public static Checkpoint decode(byte[] bytes, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(source + " is not a checkpoint: not JSON ("
          + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new IllegalArgumentException(source + " is not a checkpoint: " + e.getMessage());
    }
    try {
      if (root == null || !FORMAT.equals(text(root, "format"))) {
        throw new IllegalArgumentException("not a spark-newton checkpoint");
      }
      long version = whole(root, "version");
      if (version != VERSION) {
        throw new IllegalArgumentException("format version " + version + ", this build reads "
            + VERSION);
      }
      JsonNode fp = field(root, "fingerprint");
      Fingerprint fingerprint = new Fingerprint(
          strings(field(fp, "data")), strings(field(fp, "settings")));
      JsonNode counts = field(root, "counts");
      CheckpointCounts c = new CheckpointCounts(whole(counts, "passes"), whole(counts, "jobs"),
          whole(counts, "tasks"), whole(counts, "bytesSent"), real(counts, "seconds"));
      JsonNode state = field(root, "state");
      Map<String, Object> fields = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = field(state, "fields").fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        fields.put(e.getKey(), fieldValue(e.getKey(), e.getValue()));
      }
      SolverSnapshot snapshot = new SolverSnapshot(text(root, "solver"),
          (int) whole(root, "iteration"), (int) whole(state, "evaluatedWith"),
          reals(field(state, "point"), "point"), SnapshotFields.of(fields));
      List<IterationRecord> history = new ArrayList<>();
      for (JsonNode r : field(root, "history")) {
        history.add(record(r));
      }
      return new Checkpoint(fingerprint, c, history, snapshot);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source + " is not a valid checkpoint: " + e.getMessage());
    }
  }

  private static ObjectNode record(IterationRecord r) {
    ObjectNode node = JSON.createObjectNode();
    node.put("iteration", r.iteration());
    real(node, "objective", r.objective());
    real(node, "gradientNorm", r.gradientNorm());
    real(node, "stepSize", r.stepSize());
    node.put("cgIterations", r.cgIterations());
    node.put("passes", r.passes());
    node.put("bytesToDriver", r.bytesToDriver());
    real(node, "seconds", r.seconds());
    r.damping().ifPresent(d -> real(node, "damping", d));
    node.set("eigenvalues", reals(r.eigenvalues()));
    node.put("detail", r.detail());
    r.test().ifPresent(p -> {
      ObjectNode t = node.putObject("test");
      real(t, "accuracy", p.accuracy());
      real(t, "loss", p.loss());
    });
    return node;
  }

  private static IterationRecord record(JsonNode n) {
    Optional<Double> damping = n.has("damping") ? Optional.of(real(n, "damping")) : Optional.empty();
    Optional<IterationRecord.Prediction> test = n.has("test")
        ? Optional.of(new IterationRecord.Prediction(
            real(field(n, "test"), "accuracy"), real(field(n, "test"), "loss")))
        : Optional.empty();
    return new IterationRecord((int) whole(n, "iteration"), real(n, "objective"),
        real(n, "gradientNorm"), real(n, "stepSize"), (int) whole(n, "cgIterations"),
        whole(n, "passes"), whole(n, "bytesToDriver"), real(n, "seconds"), damping,
        reals(field(n, "eigenvalues"), "eigenvalues"), text(n, "detail"), test);
  }

  private static Object fieldValue(String name, JsonNode v) {
    if (v.isIntegralNumber()) {
      return v.longValue();
    }
    if (v.isObject()) {
      return reals(v, name);
    }
    return realValue(v, name);
  }

  private static void strings(ObjectNode node, Map<String, String> values) {
    values.forEach(node::put);
  }

  private static SortedMap<String, String> strings(JsonNode node) {
    SortedMap<String, String> out = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new IllegalArgumentException("fingerprint entry '" + e.getKey() + "' is not a string");
      }
      out.put(e.getKey(), e.getValue().textValue());
    }
    return out;
  }

  /** A double as a JSON number, or a string when it is not finite. */
  static void real(ObjectNode node, String name, double v) {
    if (Double.isFinite(v)) {
      node.put(name, v);
    } else {
      node.put(name, Double.isNaN(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity");
    }
  }

  private static double real(JsonNode node, String name) {
    return realValue(field(node, name), name);
  }

  private static double realValue(JsonNode v, String name) {
    if (v.isFloatingPointNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      switch (v.textValue()) {
        case "NaN":
          return Double.NaN;
        case "Infinity":
          return Double.POSITIVE_INFINITY;
        case "-Infinity":
          return Double.NEGATIVE_INFINITY;
        default:
          break;
      }
    }
    throw new IllegalArgumentException("'" + name + "' is not a real number: " + v);
  }

  /** {@code {"float64": base64}} of the big-endian IEEE-754 bits of {@code values}. */
  static ObjectNode reals(double[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(8 * values.length);
    for (double v : values) {
      bytes.putLong(Double.doubleToRawLongBits(v));
    }
    ObjectNode node = JSON.createObjectNode();
    node.put(REALS, Base64.getEncoder().encodeToString(bytes.array()));
    return node;
  }

  private static double[] reals(JsonNode node, String name) {
    JsonNode encoded = node.get(REALS);
    if (encoded == null || !encoded.isTextual()) {
      throw new IllegalArgumentException("'" + name + "' is not an array of reals");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(encoded.textValue().getBytes(StandardCharsets.US_ASCII));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + name + "' is not valid base64");
    }
    if (bytes.length % 8 != 0) {
      throw new IllegalArgumentException("'" + name + "' has " + bytes.length
          + " bytes, not a whole number of doubles");
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    double[] out = new double[bytes.length / 8];
    for (int i = 0; i < out.length; i++) {
      out[i] = Double.longBitsToDouble(b.getLong());
    }
    return out;
  }

  private static JsonNode field(JsonNode node, String name) {
    JsonNode v = node.get(name);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("no '" + name + "'");
    }
    return v;
  }

  private static String text(JsonNode node, String name) {
    JsonNode v = field(node, name);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("'" + name + "' is not a string");
    }
    return v.textValue();
  }

  private static long whole(JsonNode node, String name) {
    JsonNode v = field(node, name);
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new IllegalArgumentException("'" + name + "' is not a whole number");
    }
    return v.longValue();
  }
}
