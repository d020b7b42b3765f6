package dev.sparknewton.cli;

import dev.sparknewton.cli.plots.LogAxisPlot;
import dev.sparknewton.cli.plots.SeriesColors;
import dev.sparknewton.data.TrainingData;
import dev.sparknewton.distributed.PassCounter;
import dev.sparknewton.distributed.RddBlockFold;
import dev.sparknewton.ml.IterationRecord;
import dev.sparknewton.ml.ModelTraining;
import dev.sparknewton.ml.NetworkSpec;
import dev.sparknewton.ml.TrainingSummary;
import dev.sparknewton.solvers.Solver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code benchmark} for {@code model.type = mlp}: on one dataset, in one run, the passes (Spark
 * jobs) and seconds each of our solvers and Spark MLlib's {@code MultilayerPerceptronClassifier}
 * (L-BFGS; sigmoid hidden layers, softmax output) need to reach each test accuracy of
 * {@code benchmark.accuracyTargets}.
 *
 * <p>Our solvers share one cached copy of the training blocks; each iterate is scored on the
 * cached test blocks in jobs of their own, which count neither as passes nor as seconds (the
 * scoring time is subtracted). MLlib's classifier exposes no per-iteration model, so it is fitted
 * once per rung of {@code benchmark.mlpcMaxIters} (L-BFGS is deterministic: the fit with
 * {@code maxIter = m} is the first {@code m} iterations of a longer one) and the first rung that
 * reaches a target is reported: its jobs and seconds are an upper bound for that target, the rung
 * before a lower one. Everything is in one run, on the same data and partitions; nothing is
 * repeated (a network run is minutes), so seconds are single measurements.
 */
final class NetworkBenchmark {
  private NetworkBenchmark() {}

  /** One method's run: the points (passes or jobs, seconds, test accuracy, training loss). */
  record Curve(String method, long[] passes, double[] seconds, double[] accuracy, double[] loss,
      long setupJobs, String end) {

    /** The first point with test accuracy {@code >= target}, or -1. */
    int firstReaching(double target) {
      for (int i = 0; i < accuracy.length; i++) {
        if (accuracy[i] >= target) {
          return i;
        }
      }
      return -1;
    }

    double bestAccuracy() {
      return Arrays.stream(accuracy).filter(a -> !Double.isNaN(a)).max().orElse(Double.NaN);
    }
  }

  static int run(JobConfig config, SparkSession spark, TrainingData data,
      ModelTraining.Settings settings, List<String> labels, List<JobConfig> entryConfigs,
      AtomicOutputDirectory output) {
    NetworkSpec spec = settings.network().orElseThrow();
    if (data.test().isEmpty()) {
      throw new IllegalArgumentException(
          "a network benchmark scores test accuracy: set data.testPath or data.testFraction");
    }
    List<Double> targets = new ArrayList<>();
    for (String t : config.strings("benchmark.accuracyTargets")) {
      targets.add(Double.parseDouble(t));
    }
    List<Integer> rungs = new ArrayList<>();
    for (String m : config.strings("benchmark.mlpcMaxIters")) {
      rungs.add(Integer.parseInt(m.trim()));
    }
    int dimension = ModelTraining.model(data, settings).dimension();
    System.out.printf("network benchmark: %s; %s %d-%s-%d (%s), %d parameters, regParam %s, "
            + "master %s%n", data.description(), spec.type().configName(), data.numFeatures(),
        spec.hidden(), data.labels().numClasses(), spec.activation(), dimension,
        settings.regParam(), spark.sparkContext().master());

    List<Curve> curves = new ArrayList<>();
    try (RddBlockFold fold = ModelTraining.cacheBlocks(data, settings);
        ModelTraining.TestMonitor testRows = ModelTraining.TestMonitor.cache(data, settings, 1)) {
      for (int i = 0; i < entryConfigs.size(); i++) {
        JobConfig c = entryConfigs.get(i);
        Solver solver = SolverFactory.create(c, dimension);
        ModelTraining.Settings s = TrainCommand.settings(c, solver.name());
        int every = scoreEvery(c, solver.name());
        try (ModelTraining.TestMonitor monitor = testRows.every(every)) {
          String label = labels.get(i);
          TrainingSummary run = ModelTraining.fit(spark, fold, data, s, solver,
              r -> {
                if (r.test().isPresent()) {
                  System.out.println(label + ": " + r.progressLine());
                }
              }, monitor);
          curves.add(ours(label, run));
          System.out.printf("%s: %s after %d iterations, %d passes, %.1f s, best test accuracy "
                  + "%.4f%n", label, run.termination().description(), run.iterations(),
              run.passes(), run.wallSeconds(), curves.get(curves.size() - 1).bestAccuracy());
        }
      }
    }
    if (config.bool("benchmark.mllib")) {
      if (!spec.activation().equals("sigmoid") || !spec.output().equals("softmax")) {
        throw new IllegalArgumentException("benchmark.mllib = true: MLlib's "
            + "MultilayerPerceptronClassifier has sigmoid hidden layers and a softmax output only;"
            + " got activation " + spec.activation() + ", output " + spec.output());
      }
      curves.add(mlpc(spark, data, spec, rungs, config.longValue("model.initSeed")));
    }
    String table = markdown(curves, targets);
    System.out.println();
    System.out.println(table);
    byte[] accuracyPng = plot(curves, true);
    byte[] lossPng = plot(curves, false);
    output.write((fs, dir) -> {
      AtomicOutputDirectory.writeText(fs, new Path(dir, "report.md"), table);
      AtomicOutputDirectory.writeText(fs, new Path(dir, "curves.jsonl"), curvesJson(curves));
      AtomicOutputDirectory.writeText(fs, new Path(dir, "config.conf"), config.render());
      AtomicOutputDirectory.writeBytes(fs, new Path(dir, "test-error.png"), accuracyPng);
      AtomicOutputDirectory.writeBytes(fs, new Path(dir, "training-loss.png"), lossPng);
    });
    System.out.println("written to " + output.target());
    return 0;
  }

  /**
   * Score every iteration, except Adam's steps: about every tenth of an epoch
   * ({@code 0.1 / solver.batchFraction} steps).
   */
  static int scoreEvery(JobConfig c, String solver) {
    if (solver.equals("adam")) {
      return Math.max(1, (int) Math.round(0.1 / c.number("solver.batchFraction")));
    }
    return 1;
  }

  private static Curve ours(String label, TrainingSummary run) {
    List<IterationRecord> scored = run.history().stream().filter(r -> r.test().isPresent())
        .toList();
    int n = scored.size();
    long[] passes = new long[n];
    double[] seconds = new double[n];
    double[] accuracy = new double[n];
    double[] loss = new double[n];
    for (int i = 0; i < n; i++) {
      IterationRecord r = scored.get(i);
      passes[i] = r.passes();
      seconds[i] = r.seconds();
      accuracy[i] = r.test().get().accuracy();
      loss[i] = r.objective();
    }
    return new Curve(label, passes, seconds, accuracy, loss, run.jobs() - run.passes(),
        run.termination().description());
  }

  /** MLlib's classifier fitted once per rung of {@code maxIters}, each scored on the test rows. */
  private static Curve mlpc(SparkSession spark, TrainingData data, NetworkSpec spec,
      List<Integer> maxIters, long seed) {
    int[] layers = new int[spec.hidden().size() + 2];
    layers[0] = data.numFeatures();
    for (int l = 0; l < spec.hidden().size(); l++) {
      layers[l + 1] = spec.hidden().get(l);
    }
    layers[layers.length - 1] = data.labels().numClasses();
    Dataset<Row> train = data.train();
    Dataset<Row> test = data.test().orElseThrow();
    int n = maxIters.size();
    long[] jobs = new long[n];
    double[] seconds = new double[n];
    double[] accuracy = new double[n];
    double[] loss = new double[n];
    SparkContext sc = spark.sparkContext();
    for (int i = 0; i < n; i++) {
      String group = "mlpc-" + UUID.randomUUID();
      PassCounter counter = PassCounter.register(sc, group);
      sc.setJobGroup(group, "MLlib MultilayerPerceptronClassifier", false);
      MultilayerPerceptronClassificationModel m;
      try {
        long start = System.nanoTime();
        m = new MultilayerPerceptronClassifier().setLayers(layers).setSolver("l-bfgs")
            .setMaxIter(maxIters.get(i)).setTol(1e-12).setSeed(seed).fit(train);
        seconds[i] = (System.nanoTime() - start) / 1e9;
        counter.awaitQuiet(5000);
        jobs[i] = counter.jobs();
      } finally {
        sc.clearJobGroup();
        counter.unregister(sc);
      }
      double[] history = m.summary().objectiveHistory();
      loss[i] = history[history.length - 1];
      accuracy[i] = new MulticlassClassificationEvaluator().setMetricName("accuracy")
          .evaluate(m.transform(test));
      System.out.printf(Locale.ROOT, "mlpc-lbfgs maxIter %d: %d iterations, %d jobs, %.1f s, "
              + "training loss %.6f, test accuracy %.4f%n", maxIters.get(i), history.length - 1,
          jobs[i], seconds[i], loss[i], accuracy[i]);
    }
    return new Curve("mlpc-lbfgs", jobs, seconds, accuracy, loss, 0,
        "fitted with maxIter " + maxIters);
  }

  static String markdown(List<Curve> curves, List<Double> targets) {
    Curve base = curves.stream().filter(c -> c.method().equals("mlpc-lbfgs")).findFirst()
        .orElse(null);
    StringBuilder sb = new StringBuilder();
    sb.append("Passes (Spark jobs over the training data; for MLlib its jobs) and seconds to the "
        + "first iterate whose test accuracy reaches each target. MLlib: between the first of "
        + "its fits (maxIter rungs) that reaches it and the one before, which does not; "
        + "\"MLlib a to b\" is MLlib's passes over ours at those bounds.\n\n");
    sb.append("| method | best test accuracy |");
    for (double t : targets) {
      sb.append(String.format(Locale.ROOT, " passes to %.0f%% | seconds to %.0f%% |", 100 * t,
          100 * t));
    }
    sb.append(" end |\n|---|---:|");
    sb.append("---:|---:|".repeat(targets.size()));
    sb.append("---|\n");
    for (Curve c : curves) {
      sb.append(String.format(Locale.ROOT, "| %s | %.4f |", c.method(), c.bestAccuracy()));
      for (double t : targets) {
        int i = c.firstReaching(t);
        if (i < 0) {
          sb.append(" not reached | – |");
          continue;
        }
        if (c == base) {
          // The first rung reaching the target bounds it above, the rung before below.
          sb.append(i == 0
              ? String.format(Locale.ROOT, " ≤ %d | ≤ %.1f |", c.passes()[i], c.seconds()[i])
              : String.format(Locale.ROOT, " %d to %d | %.1f to %.1f |", c.passes()[i - 1] + 1,
                  c.passes()[i], c.seconds()[i - 1], c.seconds()[i]));
          continue;
        }
        String ratio = "";
        if (base != null && base.firstReaching(t) >= 0) {
          int b = base.firstReaching(t);
          double ours = Math.max(1, c.passes()[i]);
          ratio = b == 0
              ? String.format(Locale.ROOT, " (MLlib ≤ %.1fx)", base.passes()[b] / ours)
              : String.format(Locale.ROOT, " (MLlib %.1fx to %.1fx)",
                  (base.passes()[b - 1] + 1) / ours, base.passes()[b] / ours);
        }
        sb.append(String.format(Locale.ROOT, " %d%s | %.1f |", c.passes()[i], ratio,
            c.seconds()[i]));
      }
      sb.append(" ").append(c.end()).append(" |\n");
    }
    return sb.toString();
  }

  /** Test error (1 - accuracy) or training loss against passes, one series per method. */
  static byte[] plot(List<Curve> curves, boolean testError) {
    LogAxisPlot plot = new LogAxisPlot(900, 560,
        testError ? "test error vs passes" : "training objective vs passes",
        "passes over the training data (Spark jobs)",
        testError ? "test error (1 - accuracy)" : "training objective");
    for (int i = 0; i < curves.size(); i++) {
      Curve c = curves.get(i);
      double[] x = Arrays.stream(c.passes()).asDoubleStream().toArray();
      double[] y = testError ? Arrays.stream(c.accuracy()).map(a -> 1.0 - a).toArray() : c.loss();
      // MLlib's points are separate fits (one per maxIter rung): points, not a line.
      plot.add(c.method(), SeriesColors.of(i), c.method().equals("mlpc-lbfgs")
          ? LogAxisPlot.Style.TRIANGLES : LogAxisPlot.Style.LINE, x, y);
    }
    return plot.png();
  }

  private static String curvesJson(List<Curve> curves) {
    StringBuilder sb = new StringBuilder();
    for (Curve c : curves) {
      for (int i = 0; i < c.passes().length; i++) {
        sb.append(String.format(Locale.ROOT,
            "{\"method\":\"%s\",\"passes\":%d,\"seconds\":%.3f,\"testAccuracy\":%.6f,"
                + "\"trainingObjective\":%.10e}%n", c.method(), c.passes()[i], c.seconds()[i],
            c.accuracy()[i], c.loss()[i]));
      }
    }
    return sb.toString();
  }
}
