package dev.sparknewton.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparknewton.ml.BinaryLogisticModel;
import dev.sparknewton.ml.BinaryMetrics;
import dev.sparknewton.ml.IterationRecord;
import dev.sparknewton.ml.TrainingSummary;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The output directory of a training run, written all-or-nothing ({@link AtomicOutputDirectory}).
 *
 * <p>Files: {@code model.json} (coefficients, intercept, label mapping, feature names),
 * {@code summary.json}, {@code iterations.jsonl}, {@code config.conf} (the resolved
 * configuration).
 */
public final class RunOutput {
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);
  private static final ObjectMapper JSON_LINE = new ObjectMapper();

  private final AtomicOutputDirectory directory;

  private RunOutput(AtomicOutputDirectory directory) {
    this.directory = directory;
  }

  /**
   * Checks that {@code dir} can be written (it does not exist, or {@code overwrite}); creates
   * nothing.
   */
  public static RunOutput prepare(String dir, boolean overwrite, Configuration hadoop) {
    return new RunOutput(AtomicOutputDirectory.prepare(dir, overwrite, hadoop));
  }

  public Path target() {
    return directory.target();
  }

  /** Writes every file, then moves the directory into place. Nothing is left behind on failure. */
  public void write(TrainingSummary summary, String config) {
    directory.write((fs, tmp) -> {
      AtomicOutputDirectory.writeText(
          fs, new Path(tmp, "model.json"), JSON.writeValueAsString(model(summary.model())));
      AtomicOutputDirectory.writeText(
          fs, new Path(tmp, "summary.json"), JSON.writeValueAsString(summary(summary)));
      StringBuilder lines = new StringBuilder();
      for (IterationRecord r : summary.history()) {
        lines.append(JSON_LINE.writeValueAsString(iteration(r))).append('\n');
      }
      AtomicOutputDirectory.writeText(fs, new Path(tmp, "iterations.jsonl"), lines.toString());
      AtomicOutputDirectory.writeText(fs, new Path(tmp, "config.conf"), config);
    });
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
