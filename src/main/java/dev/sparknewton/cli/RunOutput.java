package dev.sparknewton.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparknewton.ml.BinaryLogisticModel;
import dev.sparknewton.ml.BinaryMetrics;
import dev.sparknewton.ml.IterationRecord;
import dev.sparknewton.ml.TrainingSummary;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output directory of a run, written all-or-nothing: every file goes to a hidden temporary
 * sibling, which is renamed to the final name only when complete, and deleted on failure. Works
 * on any Hadoop file system (local, HDFS, DBFS, S3 through its connector).
 *
 * <p>Files: {@code model.json} (coefficients, intercept, label mapping, feature names),
 * {@code summary.json}, {@code iterations.jsonl}, {@code config.conf} (the resolved
 * configuration).
 */
public final class RunOutput {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper JSON_LINE = new ObjectMapper();

  private final FileSystem fs;
  private final Path target;
  private final boolean overwrite;

  private RunOutput(FileSystem fs, Path target, boolean overwrite) {
    this.fs = fs;
    this.target = target;
    this.overwrite = overwrite;
  }

  /**
   * Checks that {@code dir} can be written (it does not exist, or {@code overwrite}); creates
   * nothing.
   */
  public static RunOutput prepare(String dir, boolean overwrite, Configuration hadoop) {
    try {
      Path target = new Path(dir);
      FileSystem fs = target.getFileSystem(hadoop);
      fs.setWriteChecksum(false); // no .crc side files next to the outputs on a local file system
      if (fs.exists(target) && !overwrite) {
        throw new IllegalArgumentException(
            "output.dir " + dir + " already exists (choose another or set output.overwrite=true)");
      }
      return new RunOutput(fs, fs.makeQualified(target), overwrite);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot access output.dir " + dir, e);
    }
  }

  public Path target() {
    return target;
  }

  /** Writes every file, then moves the directory into place. Nothing is left behind on failure. */
  public void write(TrainingSummary summary, String config) {
    Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp-" + UUID.randomUUID());
    try {
      try {
        fs.mkdirs(tmp);
        writeText(new Path(tmp, "model.json"), JSON.writeValueAsString(model(summary.model())));
        writeText(new Path(tmp, "summary.json"), JSON.writeValueAsString(summary(summary)));
        StringBuilder lines = new StringBuilder();
        for (IterationRecord r : summary.history()) {
          lines.append(JSON_LINE.writeValueAsString(iteration(r))).append('\n');
        }
        writeText(new Path(tmp, "iterations.jsonl"), lines.toString());
        writeText(new Path(tmp, "config.conf"), config);
        if (fs.exists(target)) {
          if (!overwrite) {
            throw new IllegalArgumentException("output.dir " + target + " appeared during the run");
          }
          fs.delete(target, true);
        }
        if (!fs.rename(tmp, target)) {
          throw new IOException("cannot rename " + tmp + " to " + target);
        }
      } finally {
        if (fs.exists(tmp)) {
          fs.delete(tmp, true);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write output to " + target, e);
    }
  }

  private void writeText(Path path, String text) throws IOException {
    try (OutputStream out = fs.create(path, false)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
  }

  static ObjectNode model(BinaryLogisticModel m) {
    ObjectNode node = JSON.createObjectNode();
    node.put("type", "binary-logistic-regression");
    node.put("numFeatures", m.numFeatures());
    node.put("intercept", m.intercept());
    ArrayNode coef = node.putArray("coefficients");
    for (double c : m.coefficients()) {
      coef.add(c);
    }
    ObjectNode labels = node.putObject("labels");
    labels.put("0", m.labels().negative());
    labels.put("1", m.labels().positive());
    ArrayNode names = node.putArray("featureNames");
    m.featureNames().forEach(names::add);
    return node;
  }

  static ObjectNode summary(TrainingSummary s) {
    ObjectNode node = JSON.createObjectNode();
    node.put("solver", s.solver());
    node.put("n", s.numRows());
    node.put("d", s.numFeatures());
    node.put("objective", s.objective());
    node.put("gradientNorm", s.gradientNorm());
    node.put("iterations", s.iterations());
    node.put("passes", s.passes());
    node.put("jobs", s.jobs());
    node.put("tasks", s.tasks());
    node.put("bytesSent", s.bytesSent());
    node.put("wallSeconds", s.wallSeconds());
    node.put("termination", s.termination().name());
    node.put("terminationReason", s.termination().description());
    node.put("converged", s.termination().converged());
    s.testMetrics().ifPresent(t -> node.set("test", metrics(t)));
    return node;
  }

  static ObjectNode metrics(BinaryMetrics t) {
    ObjectNode node = JSON.createObjectNode();
    node.put("rows", t.rows());
    node.put("accuracy", t.accuracy());
    node.put("auc", t.auc());
    node.put("logLoss", t.logLoss());
    return node;
  }

  static ObjectNode iteration(IterationRecord r) {
    ObjectNode node = JSON_LINE.createObjectNode();
    node.put("iteration", r.iteration());
    node.put("objective", r.objective());
    node.put("gradientNorm", r.gradientNorm());
    node.put("stepSize", r.stepSize());
    node.put("cgIterations", r.cgIterations());
    node.put("passes", r.passes());
    node.put("seconds", r.seconds());
    r.damping().ifPresent(v -> node.put("damping", v));
    if (r.eigenvalues().length > 0) {
      ArrayNode ev = node.putArray("eigenvalues");
      for (double v : r.eigenvalues()) {
        ev.add(v);
      }
    }
    if (!r.detail().isEmpty()) {
      node.put("detail", r.detail());
    }
    return node;
  }
}
