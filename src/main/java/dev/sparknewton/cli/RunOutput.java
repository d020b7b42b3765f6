package dev.sparknewton.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparknewton.data.LabelKind;
import dev.sparknewton.ml.IterationRecord;
import dev.sparknewton.ml.LinearModelFit;
import dev.sparknewton.ml.ModelFit;
import dev.sparknewton.ml.ModelType;
import dev.sparknewton.ml.NetworkFit;
import dev.sparknewton.models.FeedForwardNetwork;
import dev.sparknewton.models.SoftmaxCrossEntropy;
import dev.sparknewton.ml.TestMetrics;
import dev.sparknewton.ml.SolverSettings;
import dev.sparknewton.ml.TrainingSummary;
import dev.sparknewton.ml.inference.CoefficientTable;
import dev.sparknewton.ml.inference.InferenceResult;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * The output directory of a training run, written all-or-nothing ({@link AtomicOutputDirectory}).
 *
 * <p>Files: {@code model.json} (model type, the {@code K x d} coefficient matrix as {@code K}
 * rows, the {@code K} intercepts, the label of each class index, feature names),
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
   * Checks that {@code dir} can be written: it does not exist, or {@code overwrite} is set and it
   * is a previous output that holds none of {@code inputs} ({@link AtomicOutputDirectory});
   * creates nothing.
   */
  public static RunOutput prepare(
      String dir, boolean overwrite, java.util.List<String> inputs, Configuration hadoop) {
    return new RunOutput(AtomicOutputDirectory.prepare(dir, overwrite, inputs, hadoop));
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

  /**
   * {@code model.json}: {@code type}, {@code numFeatures} {@code d}, {@code numOutputs} {@code K},
   * {@code coefficients} ({@code K} arrays of {@code d}: row {@code k} of {@code W}),
   * {@code intercepts} ({@code K}), {@code labels} (class index to raw label; absent for real
   * targets), {@code featureNames}. Output {@code k} is {@code z_k = coefficients[k] . x +
   * intercepts[k]}.
   */
  static ObjectNode model(ModelFit fit) {
    if (fit instanceof NetworkFit n) {
      return network(n);
    }
    LinearModelFit m = (LinearModelFit) fit;
    ObjectNode node = JSON.createObjectNode();
    node.put("type", m.type().configName());
    node.put("numFeatures", m.numFeatures());
    node.put("numOutputs", m.numOutputs());
    ArrayNode coef = node.putArray("coefficients");
    for (double[] row : m.coefficientMatrix()) {
      ArrayNode r = coef.addArray();
      for (double c : row) {
        r.add(c);
      }
    }
    ArrayNode intercepts = node.putArray("intercepts");
    for (double b : m.intercepts()) {
      intercepts.add(b);
    }
    if (m.labels().kind() != LabelKind.REAL) {
      ObjectNode labels = node.putObject("labels");
      java.util.List<String> classes = m.labels().classes();
      for (int k = 0; k < classes.size(); k++) {
        labels.put(Integer.toString(k), classes.get(k));
      }
    }
    ArrayNode names = node.putArray("featureNames");
    m.featureNames().forEach(names::add);
    return node;
  }

  /**
   * A network's {@code model.json}: {@code type} ({@code mlp} or {@code autoencoder}),
   * {@code numFeatures} {@code d}, {@code numOutputs} {@code K}, {@code activation} of the hidden
   * layers, {@code output} ({@code softmax}, {@code squared}), and {@code layers} from input to
   * output, each with {@code inputs}, {@code outputs}, {@code activation} ({@code identity} for the
   * output layer), {@code weights} ({@code outputs} arrays of {@code inputs}: row {@code j} holds
   * the weights into unit {@code j}) and {@code biases} ({@code outputs}): unit {@code j} of a layer
   * computes {@code activation(weights[j] . a + biases[j])} from the previous layer's values
   * {@code a} ({@code x} for the first). For an autoencoder the last layer's values are the
   * reconstruction of {@code x}; labels as for the linear models.
   */
  static ObjectNode network(NetworkFit fit) {
    FeedForwardNetwork net = (FeedForwardNetwork) fit.model();
    double[] theta = fit.parameters();
    ObjectNode node = JSON.createObjectNode();
    node.put("type", fit.type().configName());
    node.put("numFeatures", fit.numFeatures());
    node.put("numOutputs", fit.numOutputs());
    node.put("activation", net.activation().configName());
    node.put("output", net.loss() instanceof SoftmaxCrossEntropy ? "softmax" : "squared");
    ArrayNode layers = node.putArray("layers");
    for (int l = 0; l < net.numLayers(); l++) {
      ObjectNode layer = layers.addObject();
      layer.put("inputs", net.layerInputs(l));
      layer.put("outputs", net.layerOutputs(l));
      layer.put("activation",
          l == net.numLayers() - 1 ? "identity" : net.activation().configName());
      ArrayNode w = layer.putArray("weights");
      for (double[] row : net.weights(theta, l)) {
        ArrayNode r = w.addArray();
        for (double v : row) {
          r.add(v);
        }
      }
      ArrayNode b = layer.putArray("biases");
      for (double v : net.biases(theta, l)) {
        b.add(v);
      }
    }
    if (fit.type() == ModelType.MLP && fit.labels().kind() != LabelKind.REAL) {
      ObjectNode labels = node.putObject("labels");
      java.util.List<String> classes = fit.labels().classes();
      for (int k = 0; k < classes.size(); k++) {
        labels.put(Integer.toString(k), classes.get(k));
      }
    }
    ArrayNode names = node.putArray("featureNames");
    fit.featureNames().forEach(names::add);
    return node;
  }

  static ObjectNode summary(TrainingSummary s) {
    ObjectNode node = JSON.createObjectNode();
    node.put("solver", s.solver());
    node.put("n", s.numRows());
    node.put("d", s.numFeatures());
    node.put("model", s.model().type().configName());
    node.put("parameters", s.numParameters());
    node.put("objective", s.objective());
    node.put("gradientNorm", s.gradientNorm());
    node.put("iterations", s.iterations());
    node.put("passes", s.passes());
    node.put("jobs", s.jobs());
    node.put("tasks", s.tasks());
    node.put("bytesSent", s.bytesSent());
    node.put("failedTasks", s.faults().failedTasks());
    node.put("retriedTasks", s.faults().retriedTasks());
    node.put("executorsRemoved", s.faults().executorsRemoved());
    node.put("wallSeconds", s.wallSeconds());
    node.put("termination", s.termination().name());
    node.put("terminationReason", s.termination().description());
    node.put("converged", s.termination().converged());
    s.testMetrics().ifPresent(t -> node.set("test", metrics(t)));
    s.standardErrors().ifPresent(r -> node.set("standardErrors", standardErrors(r)));
    return node;
  }

  /**
   * The coefficient table, arrays in the model's parameter order (coefficients, then the
   * intercept: GLR's), or {@code {"failure": why, "passes": k}}.
   */
  static ObjectNode standardErrors(InferenceResult r) {
    ObjectNode node = JSON.createObjectNode();
    if (r.table().isEmpty()) {
      node.put("failure", r.failure().orElseThrow());
      node.put("passes", r.passes());
      return node;
    }
    CoefficientTable t = r.table().get();
    node.put("family", SolverSettings.spelling(t.family()));
    node.put("hessian", SolverSettings.spelling(t.hessian()));
    node.put("regParam", t.regParam());
    node.put("method", SolverSettings.spelling(t.method()));
    node.put("rank", t.rank());
    t.sketchError().ifPresent(e -> node.put("sketchError", e));
    node.put("probes", t.probes());
    t.probeResidual().ifPresent(e -> node.put("probeResidual", e));
    node.put("statistic", t.statisticName());
    node.put("dispersion", t.dispersion());
    node.put("numRows", t.numRows());
    node.put("weightSum", t.weightSum());
    node.put("degreesOfFreedom", t.degreesOfFreedom());
    node.put("passes", t.passes());
    putArray(node, "estimates", t.estimates());
    putArray(node, "standardErrors", t.standardErrors());
    putArray(node, "statistics", t.statistics());
    putArray(node, "pValues", t.pValues());
    return node;
  }

  private static void putArray(ObjectNode node, String name, double[] values) {
    ArrayNode a = node.putArray(name);
    for (double v : values) {
      a.add(v);
    }
  }

  static ObjectNode metrics(TestMetrics t) {
    return JSON.valueToTree(t.values());
  }

  static ObjectNode iteration(IterationRecord r) {
    ObjectNode node = JSON_LINE.createObjectNode();
    node.put("iteration", r.iteration());
    node.put("objective", r.objective());
    node.put("gradientNorm", r.gradientNorm());
    node.put("stepSize", r.stepSize());
    node.put("cgIterations", r.cgIterations());
    node.put("passes", r.passes());
    node.put("bytesToDriver", r.bytesToDriver());
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
    r.test().ifPresent(p -> {
      if (!Double.isNaN(p.accuracy())) {
        node.put("testAccuracy", p.accuracy());
      }
      node.put("testLoss", p.loss());
    });
    return node;
  }
}
