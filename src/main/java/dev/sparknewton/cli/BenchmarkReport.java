package dev.sparknewton.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparknewton.cli.plots.LogAxisPlot;
import dev.sparknewton.cli.plots.SeriesColors;
import dev.sparknewton.distributed.PassFloor;
import java.awt.image.BufferedImage;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.function.ToDoubleFunction;

/**
 * What a {@code benchmark} of linear models writes, all from the same rows: {@code report.md}
 * (the table), {@code results.json} (every number of the table, the settings, where {@code f*}
 * came from, and each method's iteration history) and {@code convergence-<data>.png} (relative
 * suboptimality {@code (f - f*) / |f*|} on a log axis against Spark jobs, left, and seconds,
 * right; one line per method).
 *
 * @param dataName short name of the data set, for the plot's file name and titles
 * @param dataDescription the loader's one-line description
 * @param numRows training rows ({@code -1} when no run of ours counted them)
 * @param numFeatures features
 * @param numParameters parameters of the model
 * @param model the model type's configuration name
 * @param partitions partitions of the training data
 * @param master the Spark master
 * @param target the target relative suboptimality
 * @param fStar the smallest of {@code candidates}' objectives
 * @param candidates every objective {@code f*} was chosen from, with where it came from
 * @param converged whether any candidate came from a converged run (or a known minimum)
 * @param floor the pass floor measured on the same cached blocks
 * @param cold whether every timed fit ran in a fresh JVM ({@code benchmark.cold})
 * @param rows one per method, ours in the order of {@code benchmark.solvers}, MLlib last
 */
record BenchmarkReport(String dataName, String dataDescription, long numRows, int numFeatures,
    int numParameters, String model, double regParam, boolean fitIntercept, int partitions,
    String master, double target, double fStar, List<Candidate> candidates, boolean converged,
    PassFloor floor, boolean cold, List<BenchmarkResult> rows) {

  /** An objective {@code f*} was chosen from, and the run (or setting) that gave it. */
  record Candidate(String source, double objective) {}

  /** Pixels of each of the convergence plot's two panels. */
  static final int PANEL_WIDTH = 800;
  static final int PANEL_HEIGHT = 560;

  /** The JSON mapper of the benchmark's files ({@code results.json}, the fresh JVMs' results). */
  static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** The file name of the convergence plot. */
  String plotFileName() {
    return "convergence-" + dataName + ".png";
  }

  /** Where {@code f*} came from: the candidate with the smallest objective (the first of ties). */
  String fStarSource() {
    return candidates.stream().min(Comparator.comparingDouble(Candidate::objective))
        .map(Candidate::source).orElseThrow();
  }

  /** The short name of a data set at {@code path}: its file name without compression or format
   * suffix, characters other than letters, digits, {@code . _ -} replaced by {@code -}. */
  static String dataName(String path, String format) {
    if (format.equals("embedded") || path.isBlank()) {
      return format.equals("embedded") ? "embedded" : "data";
    }
    String name = path.replaceAll("[/\\\\]+$", "");
    name = name.substring(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);
    name = name.replaceAll("\\.(bz2|gz|xz|zst|deflate|lz4|snappy)$", "");
    name = name.replaceAll("\\.(libsvm|svm|txt|csv|parquet)$", "");
    name = name.replaceAll("[^A-Za-z0-9._-]", "-");
    return name.isEmpty() ? "data" : name;
  }

  private static double sub(double f, double fStar) {
    return BenchmarkResult.relativeSuboptimality(f, fStar);
  }

  /** The table, with the target, {@code f*} and its source, the pass floor and the plot. */
  String markdown() {
    BenchmarkResult base = rows.stream().filter(BenchmarkResult::isMllib).findFirst().orElse(null);
    StringBuilder sb = new StringBuilder();
    if (!converged) {
      sb.append("Warning: no run converged (MLlib stopped at benchmark.mllibMaxIter, ours at "
          + "solver.maxIter), so f* is only the best objective seen, not the optimum, and "
          + "'reaching the target' means coming within it of that value.\n\n");
    }
    sb.append(String.format(Locale.ROOT, "Target: (f - f*) / |f*| <= %.0e, f* = %.12e%n%n",
        target, fStar));
    sb.append("f* is the smallest objective of: ");
    for (int i = 0; i < candidates.size(); i++) {
      Candidate c = candidates.get(i);
      sb.append(i == 0 ? "" : "; ").append(String.format(Locale.ROOT, "%s (%.12e)", c.source(),
          c.objective()));
    }
    sb.append(String.format(Locale.ROOT, ". It comes from %s.%n%n", fStarSource()));
    sb.append(String.format(Locale.ROOT, "Pass floor on the same cached blocks (medians of %d): "
        + "empty pass %.1f ms, streaming pass (X 1 over every block) %.1f ms. \"s/pass\" is the "
        + "seconds to target per pass (per job for MLlib, whose jobs are its passes), driver work "
        + "included, as a multiple of the streaming pass.%n%n",
        BenchmarkCommand.FLOOR_REPEATS, 1e3 * floor.emptySeconds(),
        1e3 * floor.streamingSeconds()));
    if (!Double.isNaN(floor.gradientSeconds())) {
      sb.append(String.format(Locale.ROOT, "Gradient pass on the same blocks (the model's loss and"
          + " gradient, as the solvers aggregate them; median of %d): %.1f ms, %.2fx the streaming"
          + " pass", BenchmarkCommand.FLOOR_REPEATS, 1e3 * floor.gradientSeconds(),
          floor.gradientSeconds() / floor.streamingSeconds()));
      OptionalDouble perIteration = mllibSecondsPerIteration();
      if (perIteration.isPresent()) {
        sb.append(String.format(Locale.ROOT, "; MLlib's time per iteration (its timed fit's seconds"
            + " over its iterations) %.1f ms: the gradient pass is %.2fx an MLlib iteration",
            1e3 * perIteration.getAsDouble(),
            floor.gradientSeconds() / perIteration.getAsDouble()));
      }
      sb.append(".\n\n");
    }
    sb.append(cold
        ? "Timed fits: each in a fresh JVM (benchmark.cold = true), as a spark-submit job runs:"
            + " Spark started and the input persisted first, then the fit alone timed, JIT"
            + " compilation and first use included.\n\n"
        : "Timed fits: all in this one JVM, after the reference run (warm: benchmark.cold ="
            + " false).\n\n");
    sb.append("| method | Spark jobs to target | solver passes | iterations | MB to driver to target | seconds to target (median) | s/pass (x floor) | final suboptimality | jobs vs MLlib | time vs MLlib |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (BenchmarkResult r : rows) {
      String jobsRatio = "";
      String timeRatio = "";
      if (r == base) {
        jobsRatio = "1x";
        timeRatio = "1x";
      } else if (base != null && !r.reached()) {
        jobsRatio = "-";
        timeRatio = "-";
      } else if (base != null) {
        // Against an MLlib run that never reached the target its counts are lower bounds.
        String atLeast = base.reached() ? "" : "≥ ";
        jobsRatio = String.format(Locale.ROOT, "%s%.1fx fewer", atLeast,
            (double) base.jobsToTarget() / r.jobsToTarget());
        timeRatio = String.format(Locale.ROOT, "%s%.1fx faster", atLeast,
            base.medianSeconds() / r.medianSeconds());
      }
      sb.append(String.format(Locale.ROOT, "| %s | %d | %s | %d | %.1f | %.2f | %.1f | %.1e | %s | %s |%n",
          label(r), r.jobsToTarget(), r.isMllib() ? "-" : Long.toString(r.solverPasses()),
          r.iterations(), r.bytesSent() / 1e6, r.medianSeconds(),
          secondsPerPass(r) / floor.streamingSeconds(), sub(r.finalObjective(), fStar),
          jobsRatio, timeRatio));
    }
    sb.append(String.format(Locale.ROOT, "%n![relative suboptimality vs Spark jobs and vs "
        + "seconds](%s)%n", plotFileName()));
    if (base != null) {
      sb.append(String.format(Locale.ROOT, "%nMLlib's points in the plot: %s.%n",
          base.clock().text()));
    }
    return sb.toString();
  }

  /** The method's name, and for a row that missed the target why and how close it came. */
  String label(BenchmarkResult r) {
    if (r.reached()) {
      return r.method();
    }
    double best = sub(r.bestObjective(), fStar);
    if (r.refit().isPresent() && !r.refit().get().reachesTarget()) {
      BenchmarkResult.RefitCheck c = r.refit().get();
      return String.format(Locale.ROOT, "%s (refit to maxIter %d missed the target: suboptimality "
          + "%.1e; best of the full run %.1e)", r.method(), c.maxIter(), c.suboptimality(), best);
    }
    return String.format(Locale.ROOT, "%s (not reached in %d iterations: best suboptimality %.1e)",
        r.method(), r.iterations(), best);
  }

  /** Seconds to the target per pass (per job for MLlib). */
  static double secondsPerPass(BenchmarkResult r) {
    return r.medianSeconds() / r.tablePasses();
  }

  /** MLlib's timed fit's median seconds over its iterations, when there is an MLlib row. */
  private OptionalDouble mllibSecondsPerIteration() {
    return rows.stream().filter(BenchmarkResult::isMllib).filter(r -> r.iterations() > 0)
        .mapToDouble(r -> r.medianSeconds() / r.iterations()).findFirst();
  }

  /** {@code results.json}: every number of the table and where it comes from. */
  String json() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode data = root.putObject("data");
    data.put("name", dataName);
    data.put("description", dataDescription);
    if (numRows >= 0) {
      data.put("n", numRows);
    } else {
      data.putNull("n");
    }
    data.put("d", numFeatures);
    data.put("parameters", numParameters);
    data.put("model", model);
    data.put("partitions", partitions);
    root.put("master", master);
    root.put("lambda", regParam);
    root.put("fitIntercept", fitIntercept);
    root.put("targetSuboptimality", target);
    root.put("timedFits", cold ? "fresh JVM each" : "this JVM (warm)");
    ObjectNode f = root.putObject("fStar");
    f.put("value", fStar);
    f.put("source", fStarSource());
    f.put("converged", converged);
    ArrayNode cs = f.putArray("candidates");
    for (Candidate c : candidates) {
      cs.addObject().put("source", c.source()).put("objective", c.objective());
    }
    ObjectNode pf = root.putObject("passFloor");
    pf.put("emptyPassSeconds", floor.emptySeconds());
    pf.put("streamingPassSeconds", floor.streamingSeconds());
    if (Double.isNaN(floor.gradientSeconds())) {
      pf.putNull("gradientPassSeconds");
    } else {
      pf.put("gradientPassSeconds", floor.gradientSeconds());
    }
    OptionalDouble perIteration = mllibSecondsPerIteration();
    if (perIteration.isPresent()) {
      pf.put("mllibSecondsPerIteration", perIteration.getAsDouble());
    } else {
      pf.putNull("mllibSecondsPerIteration");
    }
    pf.put("repeats", BenchmarkCommand.FLOOR_REPEATS);
    root.put("plot", plotFileName());
    ArrayNode methods = root.putArray("methods");
    for (BenchmarkResult r : rows) {
      ObjectNode m = methods.addObject();
      m.put("name", r.method());
      m.put("kind", r.isMllib() ? "mllib" : "ours");
      ObjectNode s = m.putObject("settings");
      for (Map.Entry<String, String> e : r.settings().entrySet()) {
        s.put(e.getKey(), e.getValue());
      }
      m.put("reached", r.reached());
      putOrNull(m, "jobsToTarget", r.reached(), r.jobsToTarget());
      if (r.isMllib()) {
        m.putNull("passesToTarget");
      } else {
        putOrNull(m, "passesToTarget", r.reached(), r.solverPasses());
      }
      putOrNull(m, "secondsToTarget", r.reached(), r.medianSeconds());
      putOrNull(m, "bytesToTarget", r.reached(), r.bytesSent());
      m.put("iterations", r.iterations());
      m.put("jobs", r.jobsToTarget());
      m.put("passes", r.isMllib() ? r.jobsToTarget() : r.solverPasses());
      m.put("seconds", r.medianSeconds());
      m.put("bytesToDriver", r.bytesSent());
      m.put("totalJobs", r.totalJobs());
      m.put("finalSuboptimality", sub(r.finalObjective(), fStar));
      m.put("bestSuboptimality", sub(r.bestObjective(), fStar));
      m.put("secondsPerPass", secondsPerPass(r));
      m.put("secondsPerPassOverStreamingFloor", secondsPerPass(r) / floor.streamingSeconds());
      m.put("secondsPerPassOverEmptyFloor", secondsPerPass(r) / floor.emptySeconds());
      ObjectNode rep = m.putObject("repeats");
      ArrayNode secs = rep.putArray("seconds");
      for (double x : r.seconds()) {
        secs.add(x);
      }
      rep.put("median", r.medianSeconds());
      if (r.refit().isPresent()) {
        BenchmarkResult.RefitCheck c = r.refit().get();
        m.putObject("refit").put("maxIter", c.maxIter()).put("finalObjective", c.objective())
            .put("suboptimality", c.suboptimality()).put("reachesTarget", c.reachesTarget());
      } else {
        m.putNull("refit");
      }
      m.put("end", r.end());
      m.put("historyClock", r.clock().text());
      ArrayNode h = m.putArray("history");
      for (BenchmarkResult.Point p : r.history()) {
        h.addObject().put("iteration", p.iteration()).put("jobs", p.jobs())
            .put("passes", p.passes()).put("seconds", p.seconds()).put("objective", p.objective())
            .put("relativeSuboptimality", sub(p.objective(), fStar));
      }
    }
    try {
      return JSON.writeValueAsString(root) + "\n";
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write results.json", e);
    }
  }

  private static void putOrNull(ObjectNode m, String key, boolean present, double value) {
    if (present) {
      m.put(key, value);
    } else {
      m.putNull(key);
    }
  }

  private static void putOrNull(ObjectNode m, String key, boolean present, long value) {
    if (present) {
      m.put(key, value);
    } else {
      m.putNull(key);
    }
  }

  /** The convergence plot: against Spark jobs (left panel) and seconds (right panel). */
  BufferedImage convergencePlot() {
    return LogAxisPlot.sideBySide(
        panel("jobs", "Spark jobs (passes over the data)", BenchmarkResult.Point::jobs),
        panel("seconds", "seconds since the fit started", BenchmarkResult.Point::seconds));
  }

  private BufferedImage panel(String against, String xLabel,
      ToDoubleFunction<BenchmarkResult.Point> x) {
    LogAxisPlot plot = new LogAxisPlot(PANEL_WIDTH, PANEL_HEIGHT,
        dataName + ": relative suboptimality vs " + against, xLabel, "(f - f*) / |f*|  (log scale)");
    for (int i = 0; i < rows.size(); i++) {
      List<BenchmarkResult.Point> h = rows.get(i).history();
      double[] xs = h.stream().mapToDouble(x).toArray();
      double[] ys = h.stream().mapToDouble(p -> sub(p.objective(), fStar)).toArray();
      plot.add(rows.get(i).method(), SeriesColors.of(i), LogAxisPlot.Style.LINE, xs, ys);
    }
    return plot.render();
  }
}
