package dev.sparknewton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparknewton.cli.plots.LogAxisPlot;
import dev.sparknewton.data.DataLoader;
import dev.sparknewton.data.DataSpec;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.data.TrainingData;
import dev.sparknewton.distributed.ConnectSessions;
import dev.sparknewton.distributed.PassCounter;
import dev.sparknewton.distributed.PassFloor;
import dev.sparknewton.distributed.RddBlockFold;
import dev.sparknewton.ml.IterationRecord;
import dev.sparknewton.ml.ModelTraining;
import dev.sparknewton.ml.ModelType;
import dev.sparknewton.ml.TrainingSummary;
import dev.sparknewton.models.Model;
import dev.sparknewton.models.PointStates;
import dev.sparknewton.models.Shared;
import dev.sparknewton.models.ValueGradientAggregator;
import dev.sparknewton.solvers.Solver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code benchmark}: on one dataset, in one run, the passes (Spark jobs), bytes sent to the
 * driver and seconds each of our solvers and Spark MLlib's L-BFGS {@code LogisticRegression}
 * ({@code binomial} or {@code multinomial}, {@code standardization = false}, the same
 * {@code regParam} and intercept setting) need to reach a relative suboptimality
 * {@code (f - f*) / |f*| <= target} of the same objective.
 *
 * <p>{@code f*} is the smallest objective any run reached: a reference run of ours to a tight
 * tolerance ({@code benchmark.reference}: exact Newton when its dense Hessian fits
 * {@code solver.denseMaxMb}, else Newton-CG), MLlib at {@code tol = 1e-12}, and the final
 * objective of every benchmarked run; and {@code benchmark.knownMinimum} when set, an objective
 * value reached by an independent converged run (documented with the benchmark's
 * configuration), for problems on which no run of the benchmark itself converges. Our passes and
 * seconds are read off the iteration history (counted from the input DataFrame, so blockifying
 * and caching are included); MLlib's are
 * measured by refitting with {@code maxIter} equal to the first iteration of its objective
 * history that reaches the target, and that refit is checked to reach the target itself. Seconds
 * are medians over {@code benchmark.repeats} runs, all in this JVM after the reference run (warm),
 * or with {@code benchmark.cold} each in a fresh JVM ({@link FreshJvmFits}). The pass floor, with
 * a gradient pass set against MLlib's time per iteration, is measured last, in the JVM state the
 * timed fits ran in.
 *
 * <p>Writes ({@link BenchmarkReport}, all-or-nothing through {@link AtomicOutputDirectory})
 * {@value #REPORT} (the table), {@value #RESULTS} (its numbers, the settings, where {@code f*}
 * came from and every method's history), {@code convergence-<data>.png} and {@code config.conf}.
 * The exit status is {@link Main#EXIT_TARGET_NOT_REACHED} when a solver of ours missed the
 * target; MLlib missing it is reported in its row only.
 */
final class BenchmarkCommand {

  private BenchmarkCommand() {}

  /** {@code benchmark.knownMinimum}: empty for {@code none}, else a finite number. */
  private static OptionalDouble knownMinimum(JobConfig config) {
    String key = "benchmark.knownMinimum";
    return config.string(key).equals("none")
        ? OptionalDouble.empty() : OptionalDouble.of(config.number(key));
  }

  static int run(List<String> args) {
    JobConfig config = JobConfig.fromArguments(args);
    if (ConnectSessions.remote(config.string("spark.remote"), System.getenv("SPARK_REMOTE"))
        .isPresent()) {
      throw new IllegalArgumentException("benchmark needs classic Spark, not Spark Connect "
          + "(spark.remote or SPARK_REMOTE is set): its baseline, Spark MLlib's LogisticRegression, "
          + "and its pass floor run on RDDs; train over Connect with jobs/train.sh instead");
    }
    var dataSpec = TrainCommand.dataSpec(config);
    var settings = TrainCommand.settings(config);
    OptionalDouble knownMinimum = knownMinimum(config);
    List<String> entries = config.strings("benchmark.solvers");
    List<JobConfig> entryConfigs = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<ModelTraining.Settings> entrySettings = new ArrayList<>();
    for (String entry : entries) {
      JobConfig entryConfig = solverConfig(config, entry);
      SolverFactory.check(entryConfig);
      entryConfigs.add(entryConfig);
      entrySettings.add(TrainCommand.settings(entryConfig));
      labels.add(entry.trim().replaceAll("\\s+", " "));
    }
    List<String> referenceNames = new ArrayList<>(SolverFactory.REFERENCE_NAMES);
    referenceNames.add("none");
    String referenceName = config.choice("benchmark.reference", referenceNames);
    IntFunction<Solver> reference = dimension -> SolverFactory.create(
        config.with("solver.name", referenceName).with("solver.tol", 1e-14)
            .with("solver.maxIter", 300).with("solver.hessianSampleFraction", 1.0), dimension);
    int repeats = config.integer("benchmark.repeats");
    if (repeats < 1) {
      throw new IllegalArgumentException("benchmark.repeats must be >= 1, got " + repeats);
    }
    boolean cold = config.bool("benchmark.cold");
    double target = config.number("benchmark.targetSuboptimality");
    if (!(target > 0.0)) {
      throw new IllegalArgumentException("benchmark.targetSuboptimality must be > 0, got " + target);
    }
    String outDir = config.string("output.dir").isEmpty() ? "output/benchmark" : config.string("output.dir");
    AtomicOutputDirectory.checkBeforeSpark(outDir, config.bool("output.overwrite"), config.inputPaths());

    SparkSession spark = TrainCommand.session(config);
    AtomicOutputDirectory output = AtomicOutputDirectory.prepare(
        outDir, config.bool("output.overwrite"), config.inputPaths(),
        spark.sparkContext().hadoopConfiguration());
    TrainingData data = persistedInput(spark, dataSpec, settings);
    Dataset<Row> train = data.train();
    long persistedRows = train.count();
    if (settings.network().isPresent()) {
      return NetworkBenchmark.run(config, spark, data, settings, labels, entryConfigs, output);
    }
    ModelType type = ModelType.of(data.labels());
    Model model = ModelTraining.model(data, settings);
    int dimension = model.dimension();
    List<Solver> solvers = new ArrayList<>();
    for (int i = 0; i < entryConfigs.size(); i++) {
      dev.sparknewton.ml.SolverSettings.Choice choice = SolverFactory.choose(entryConfigs.get(i), dimension);
      solvers.add(SolverFactory.create(entryConfigs.get(i), dimension));
      if (!choice.name().equals(labels.get(i).split(" ")[0])) {
        System.out.printf("%s: %s%n", labels.get(i), choice.reason());
      }
    }
    boolean mllib = config.bool("benchmark.mllib");
    if (mllib && type == ModelType.LEAST_SQUARES) {
      throw new IllegalArgumentException("benchmark.mllib = true: the MLlib baseline is "
          + "LogisticRegression, which does not fit model type least-squares; set benchmark.mllib = false");
    }
    System.out.printf("benchmark: %s; model %s, %d parameters, regParam %s, fitIntercept %s, "
            + "%d partitions, master %s; the %d training rows persisted before any timed run%n",
        data.description(), type.configName(), dimension, settings.regParam(),
        settings.fitIntercept(), train.rdd().getNumPartitions(), spark.sparkContext().master(),
        persistedRows);

    List<BenchmarkReport.Candidate> candidates = new ArrayList<>();
    boolean converged = false;
    long numRows = -1;
    if (knownMinimum.isPresent()) {
      // Established by a converged run outside this benchmark: f* is not just the best seen.
      System.out.printf("known minimum (benchmark.knownMinimum): %.15e%n",
          knownMinimum.getAsDouble());
      candidates.add(new BenchmarkReport.Candidate("benchmark.knownMinimum",
          knownMinimum.getAsDouble()));
      converged = true;
    }
    if (!referenceName.equals("none")) {
      Solver ref = reference.apply(dimension);
      TrainingSummary s = ModelTraining.fit(spark, data, settings, ref,
          progress("reference " + ref.name()));
      System.out.printf("reference %s to tol 1e-14: f %.15e, %s, %d passes%n", ref.name(),
          s.objective(), s.termination().description(), s.passes());
      candidates.add(new BenchmarkReport.Candidate(
          "reference run " + ref.name() + " to tol 1e-14", s.objective()));
      converged |= s.termination().converged();
      numRows = s.numRows();
    }
    int mllibMaxIter = config.integer("benchmark.mllibMaxIter");
    if (mllibMaxIter < 1) {
      throw new IllegalArgumentException("benchmark.mllibMaxIter must be >= 1, got " + mllibMaxIter);
    }
    MllibRun full = null;
    if (mllib) {
      full = mllibRun(spark, train, settings, type, mllibMaxIter);
      double[] h = full.history();
      System.out.printf("MLlib L-BFGS to tol 1e-12 (maxIter %d): f %.15e after %d iterations, "
          + "%d jobs, %.1f s%n", mllibMaxIter, h[h.length - 1], h.length - 1, full.jobs(),
          full.seconds());
      candidates.add(new BenchmarkReport.Candidate(
          "mllib-lbfgs to tol 1e-12 (maxIter " + mllibMaxIter + ")", h[h.length - 1]));
      converged |= h.length - 1 < mllibMaxIter;
    }
    FreshJvmFits fresh = cold ? new FreshJvmFits(args, spark.sparkContext().master()) : null;
    List<List<TimedFit>> runs = new ArrayList<>();
    for (int i = 0; i < solvers.size(); i++) {
      List<TimedFit> repeated = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        repeated.add(cold ? fresh.ours(i, labels.get(i))
            : TimedFit.of(ModelTraining.fit(spark, data, entrySettings.get(i), solvers.get(i),
                progress(labels.get(i)))));
      }
      runs.add(repeated);
      candidates.add(new BenchmarkReport.Candidate(labels.get(i) + " (benchmarked run)",
          repeated.get(0).objective()));
      converged |= repeated.get(0).converged();
      numRows = repeated.get(0).numRows();
      System.out.printf("%s: f %.15e, %s%n", labels.get(i), repeated.get(0).objective(),
          repeated.get(0).end());
    }
    double fStar = candidates.stream().mapToDouble(BenchmarkReport.Candidate::objective).min()
        .orElseThrow();
    System.out.printf("f* = %.15e (the smallest objective of any run%s)%n", fStar,
        knownMinimum.isPresent() ? " and benchmark.knownMinimum" : "");

    List<BenchmarkResult> rows = new ArrayList<>();
    for (int i = 0; i < solvers.size(); i++) {
      rows.add(ours(runs.get(i), labels.get(i), entryConfigs.get(i).values("solver"), fStar,
          target));
      System.out.println(format(rows.get(rows.size() - 1)));
    }
    if (full != null) {
      IntFunction<MllibRun> refit = cold ? fresh::mllib
          : maxIter -> mllibRun(spark, train, settings, type, maxIter);
      rows.add(mllibRow(settings, type, full, refit, cold, mllibMaxIter, fStar, target, repeats));
      System.out.println(format(rows.get(rows.size() - 1)));
    }
    // The floor last, in the JVM state the timed fits ran in: a JVM's first hundred or so jobs
    // pay JIT compilation of Spark's scheduling path (docs/benchmarks.md, "Task deserialization
    // is JIT warm-up"), and the MLlib iteration it is set against comes after the full MLlib run.
    PassFloor floor;
    try (RddBlockFold fold = ModelTraining.cacheBlocks(data, settings);
        Shared<double[]> origin = fold.share(new double[dimension])) {
      floor = PassFloor.measure(fold, data.numFeatures(), FLOOR_REPEATS,
          () -> new ValueGradientAggregator(origin, model, false, false, RowSample.all(),
              List.of(), PointStates.none()));
    }
    System.out.printf(Locale.ROOT, "pass floor: empty pass %.1f ms, streaming pass %.1f ms, "
        + "gradient pass %.1f ms (medians of %d after %d warm-ups)%n", 1e3 * floor.emptySeconds(),
        1e3 * floor.streamingSeconds(), 1e3 * floor.gradientSeconds(), FLOOR_REPEATS,
        PassFloor.WARM_UPS);
    BenchmarkReport report = new BenchmarkReport(
        BenchmarkReport.dataName(dataSpec.path(), dataSpec.format()), data.description(), numRows,
        data.numFeatures(), dimension, type.configName(), settings.regParam(),
        settings.fitIntercept(), train.rdd().getNumPartitions(), spark.sparkContext().master(),
        target, fStar, candidates, converged, floor, cold, rows);
    String table = report.markdown();
    String json = report.json();
    byte[] plot = LogAxisPlot.png(report.convergencePlot());
    System.out.println();
    System.out.println(table);
    output.write((fs, dir) -> {
      AtomicOutputDirectory.writeText(fs, new Path(dir, REPORT), table);
      AtomicOutputDirectory.writeText(fs, new Path(dir, RESULTS), json);
      AtomicOutputDirectory.writeBytes(fs, new Path(dir, report.plotFileName()), plot);
      AtomicOutputDirectory.writeText(fs, new Path(dir, "config.conf"), config.render());
    });
    System.out.println("written to " + output.target());
    List<String> missed = new ArrayList<>();
    for (int i = 0; i < solvers.size(); i++) {
      if (!rows.get(i).reached()) {
        missed.add(labels.get(i));
      }
    }
    if (!missed.isEmpty()) {
      System.err.printf("error: %s did not reach the target suboptimality %s (results written)%n",
          String.join(", ", missed), target);
      return Main.EXIT_TARGET_NOT_REACHED;
    }
    return 0;
  }

  /** The hidden command a cold benchmark runs in each fresh JVM ({@link FreshJvmFits}). */
  static final String FRESH_JVM_FIT = "benchmark-fit";

  /**
   * One timed fit of a cold benchmark, in this (fresh) JVM: {@code RESULT_JSON WHAT ARGS...},
   * with {@code WHAT} {@code ours:<index of the benchmark.solvers entry>} or
   * {@code mllib:<maxIter>} and {@code ARGS} the benchmark's own arguments. Starts Spark, loads
   * and persists the input as the benchmark does, runs the one fit and writes what the table
   * needs of it ({@link TimedFit#json()} or {@link MllibRun#json()}) to {@code RESULT_JSON}.
   */
  static int fitInThisJvm(List<String> args) {
    if (args.size() < 2 || !args.get(1).matches("(ours|mllib):[0-9]+")) {
      throw new IllegalArgumentException("usage: " + FRESH_JVM_FIT
          + " RESULT_JSON ours:<entry>|mllib:<maxIter> CONF_FILE [key=value ...], got " + args);
    }
    java.nio.file.Path result = java.nio.file.Path.of(args.get(0));
    String[] what = args.get(1).split(":");
    int number = Integer.parseInt(what[1]);
    JobConfig config = JobConfig.fromArguments(args.subList(2, args.size()));
    ModelTraining.Settings settings = TrainCommand.settings(config);
    SparkSession spark = TrainCommand.session(config);
    try {
      TrainingData data = persistedInput(spark, TrainCommand.dataSpec(config), settings);
      data.train().count();
      ObjectNode json;
      if (what[0].equals("ours")) {
        JobConfig entry = solverConfig(config, config.strings("benchmark.solvers").get(number));
        ModelTraining.Settings entrySettings = TrainCommand.settings(entry);
        Solver solver = SolverFactory.create(entry,
            ModelTraining.model(data, entrySettings).dimension());
        json = TimedFit.of(ModelTraining.fit(spark, data, entrySettings, solver, x -> { })).json();
      } else {
        json = mllibRun(spark, data.train(), settings, ModelType.of(data.labels()), number).json();
      }
      java.nio.file.Files.writeString(result, json.toString());
      return 0;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } finally {
      spark.stop();
    }
  }

  /**
   * The data with its training rows persisted (the caller's count materializes them): every
   * method's timed runs start from the same rows in memory. Without this each fit re-read,
   * re-parsed and re-shuffled the input (a9a: 0.2-0.4 s of a 0.8 s exact Newton run,
   * docs/benchmarks.md), time that is the input's, not the method's. MLlib then builds and caches
   * its instance blocks from these rows as it always does, and so do we.
   */
  private static TrainingData persistedInput(SparkSession spark, DataSpec spec,
      ModelTraining.Settings settings) {
    TrainingData loaded = DataLoader.load(spark, spec);
    Dataset<Row> train = (settings.partitions() > 0
        ? loaded.train().repartition(settings.partitions()) : loaded.train())
        .persist(StorageLevel.MEMORY_AND_DISK());
    return new TrainingData(train, loaded.test(), loaded.numFeatures(), loaded.labels(),
        loaded.featureNames(), loaded.description());
  }

  /**
   * The entry {@code tron-distributed}: trust-region Newton-CG with the diagonal preconditioner,
   * every Hessian-vector product a Spark job on all rows, as Spark-LIBLINEAR and Photon-ML run
   * TRON (Lin, Tsai, Lee, Lin, "Large-scale logistic regression and linear support vector
   * machines using Spark", IEEE BigData 2014).
   */
  static final String TRON_DISTRIBUTED = "tron-distributed";
  /** The table of a benchmark's output directory. */
  static final String REPORT = "report.md";
  /** The machine-readable results of a benchmark's output directory. */
  static final String RESULTS = "results.json";
  /** Empty and streaming passes measured for the pass floor (after one warm-up of each). */
  static final int FLOOR_REPEATS = 5;

  /**
   * One entry of {@code benchmark.solvers}: a solver name (or {@link #TRON_DISTRIBUTED}),
   * optionally followed by {@code key=value} settings of the {@code solver} section for that entry
   * only, e.g. {@code "newton-cg preconditioner=nystrom"}.
   */
  static JobConfig solverConfig(JobConfig config, String entry) {
    String[] tokens = entry.trim().split("\\s+");
    JobConfig c = tokens[0].equals(TRON_DISTRIBUTED)
        ? config.with("solver.name", "trust-region").with("solver.driverCurvatureMb", 0)
            .with("solver.hessianSampleFraction", 1.0).with("solver.preconditioner", "diagonal")
        : config.with("solver.name", tokens[0]);
    for (int i = 1; i < tokens.length; i++) {
      int eq = tokens[i].indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("benchmark.solvers entry '" + entry
            + "': expected 'name key=value ...', got '" + tokens[i] + "'");
      }
      String key = "solver." + tokens[i].substring(0, eq);
      if (!config.has(key)) {
        throw new IllegalArgumentException(
            "benchmark.solvers entry '" + entry + "': unknown key " + key);
      }
      c = c.with(key, tokens[i].substring(eq + 1));
    }
    return c;
  }

  private static LogisticRegression mllib(ModelTraining.Settings s, ModelType type, int maxIter) {
    return new LogisticRegression()
        .setFamily(type == ModelType.MULTINOMIAL_LOGISTIC ? "multinomial" : "binomial")
        .setRegParam(s.regParam())
        .setElasticNetParam(0.0)
        .setStandardization(false)
        .setFitIntercept(s.fitIntercept())
        .setTol(1e-12)
        .setMaxIter(maxIter)
        .setWeightCol("weight")
        .setAggregationDepth(s.aggregationDepth());
  }

  /**
   * Passes, jobs, bytes and seconds to the target, from the histories of repeated runs: seconds
   * of every repeat, everything else (and the plotted history) of the repeat with the median
   * seconds (the lower middle one for an even count).
   */
  private static BenchmarkResult ours(List<TimedFit> runs, String label,
      SortedMap<String, String> solverSettings, double fStar, double target) {
    double[] seconds = new double[runs.size()];
    for (int r = 0; r < runs.size(); r++) {
      List<IterationRecord> h = runs.get(r).history();
      int hit = firstReaching(objectives(h), fStar, target);
      seconds[r] = h.get(hit >= 0 ? hit : h.size() - 1).seconds();
    }
    TimedFit s = runs.get(medianIndex(seconds));
    double[] objectives = objectives(s.history());
    int hit = firstReaching(objectives, fStar, target);
    IterationRecord at = s.history().get(hit >= 0 ? hit : s.history().size() - 1);
    List<BenchmarkResult.Point> history = new ArrayList<>();
    for (IterationRecord r : s.history()) {
      history.add(new BenchmarkResult.Point(r.iteration(), jobsAt(r.passes(), s.jobs(),
          s.passes()), r.passes(), r.seconds(), r.objective()));
    }
    return new BenchmarkResult(label, solverSettings, at.passes(),
        jobsAt(at.passes(), s.jobs(), s.passes()), s.jobs(), at.bytesToDriver(), median(seconds),
        seconds, at.iteration(), s.objective(),
        Arrays.stream(objectives).min().orElse(s.objective()), hit >= 0, Optional.empty(),
        history, BenchmarkResult.Clock.RECORDED, s.end());
  }

  /**
   * The Spark jobs a run had started by the record that counted {@code passesAt} of its passes:
   * its setup jobs ({@code jobs - passes}: caching the blocks) and one job a pass, where every pass
   * is a Spark job (the RDD and Dataset folds); all of them where its passes are sweeps on the
   * driver ({@code spark.fold = driver}, fewer jobs than passes: its jobs, the cache and the
   * collect, come before its first record).
   */
  static long jobsAt(long passesAt, long jobs, long passes) {
    return jobs >= passes ? passesAt + jobs - passes : jobs;
  }

  private static double[] objectives(List<IterationRecord> history) {
    return history.stream().mapToDouble(IterationRecord::objective).toArray();
  }

  /** The index of the median of {@code values} (the lower middle one for an even length). */
  static int medianIndex(double[] values) {
    Integer[] order = new Integer[values.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    return order[(values.length - 1) / 2];
  }

  /** The first index with {@code (f_i - fStar) / |fStar| <= target}, or -1. */
  static int firstReaching(double[] objectives, double fStar, double target) {
    for (int i = 0; i < objectives.length; i++) {
      if ((objectives[i] - fStar) / Math.abs(fStar) <= target) {
        return i;
      }
    }
    return -1;
  }

  /**
   * What the table needs of one timed fit of ours, in this JVM or a fresh one
   * ({@link FreshJvmFits}): its history (iteration, objective, passes, bytes to the driver and
   * seconds of each record), totals and how it ended.
   */
  record TimedFit(List<IterationRecord> history, long jobs, long passes, double objective,
      boolean converged, String end, long numRows) {

    static TimedFit of(TrainingSummary s) {
      return new TimedFit(s.history(), s.jobs(), s.passes(), s.objective(),
          s.termination().converged(), s.termination().description(), s.numRows());
    }

    ObjectNode json() {
      ObjectNode root = BenchmarkReport.JSON.createObjectNode();
      root.put("jobs", jobs).put("passes", passes).put("objective", objective)
          .put("converged", converged).put("end", end).put("numRows", numRows);
      ArrayNode h = root.putArray("history");
      for (IterationRecord r : history) {
        h.addObject().put("iteration", r.iteration()).put("objective", r.objective())
            .put("passes", r.passes()).put("bytesToDriver", r.bytesToDriver())
            .put("seconds", r.seconds());
      }
      return root;
    }

    /** The fit {@link #json()} wrote; the records' other fields are empty. */
    static TimedFit fromJson(JsonNode root) {
      List<IterationRecord> history = new ArrayList<>();
      for (JsonNode r : root.get("history")) {
        history.add(new IterationRecord(r.get("iteration").asInt(), r.get("objective").asDouble(),
            Double.NaN, Double.NaN, 0, r.get("passes").asLong(), r.get("bytesToDriver").asLong(),
            r.get("seconds").asDouble(), Optional.empty(), new double[0], "", Optional.empty()));
      }
      return new TimedFit(history, root.get("jobs").asLong(), root.get("passes").asLong(),
          root.get("objective").asDouble(), root.get("converged").asBoolean(),
          root.get("end").asText(), root.get("numRows").asLong());
    }
  }

  /**
   * Prints each iteration of a run as it ends (the solver's progress line after {@code label}):
   * the report is written only when every run is done, so a long run stopped early, or one that
   * is still going, is read off the log.
   */
  private static Consumer<IterationRecord> progress(String label) {
    return r -> System.out.println("  " + label + ": " + r.progressLine());
  }

  /** One MLlib fit: its objective history, jobs, bytes and seconds. */
  record MllibRun(double[] history, long jobs, long bytes, double seconds) {

    ObjectNode json() {
      ObjectNode root = BenchmarkReport.JSON.createObjectNode();
      root.put("jobs", jobs).put("bytes", bytes).put("seconds", seconds);
      ArrayNode h = root.putArray("history");
      for (double f : history) {
        h.add(f);
      }
      return root;
    }

    static MllibRun fromJson(JsonNode root) {
      JsonNode h = root.get("history");
      double[] history = new double[h.size()];
      for (int i = 0; i < history.length; i++) {
        history[i] = h.get(i).asDouble();
      }
      return new MllibRun(history, root.get("jobs").asLong(), root.get("bytes").asLong(),
          root.get("seconds").asDouble());
    }
  }

  private static MllibRun mllibRun(SparkSession spark, Dataset<Row> train,
      ModelTraining.Settings settings, ModelType type, int maxIter) {
    SparkContext sc = spark.sparkContext();
    String group = "mllib-" + UUID.randomUUID();
    PassCounter counter = PassCounter.register(sc, group);
    sc.setJobGroup(group, "MLlib L-BFGS baseline", false);
    try {
      long start = System.nanoTime();
      LogisticRegressionModel m = mllib(settings, type, maxIter).fit(train);
      double seconds = (System.nanoTime() - start) / 1e9;
      counter.awaitQuiet(5000);
      return new MllibRun(m.summary().objectiveHistory(), counter.jobs(), counter.bytesSent(),
          seconds);
    } finally {
      sc.clearJobGroup();
      counter.unregister(sc);
    }
  }

  /**
   * MLlib's jobs, bytes and seconds to the target: refits with {@code maxIter} = the first
   * iteration of the full run's history that reaches it, and checks that the refit's own final
   * objective reaches it too ({@link BenchmarkResult.RefitCheck}; the row is marked not reached
   * when it does not). When the full run never reached it, its own (single) run is reported,
   * marked as not reached (timed again by {@code refit} when {@code cold}). The history plotted
   * is the full run's objectives, with jobs and seconds interpolated between the measured fits
   * ({@link #interpolate}); when {@code cold}, the full run's clock (warm, in this JVM) is not
   * one of them, and past the refit the line continues at the refit's jobs and seconds per
   * iteration.
   *
   * @param refit one timed fit to the given {@code maxIter}
   * @param cold whether {@code refit} times each fit in a fresh JVM
   */
  private static BenchmarkResult mllibRow(ModelTraining.Settings settings, ModelType type,
      MllibRun full, IntFunction<MllibRun> refit, boolean cold,
      int maxIter, double fStar, double target, int repeats) {
    double[] history = full.history();
    int last = history.length - 1;
    double best = Arrays.stream(history).min().orElseThrow();
    SortedMap<String, String> params = mllibSettings(mllib(settings, type, maxIter));
    String end = last < maxIter ? "converged (tol 1e-12) after " + last + " iterations"
        : "maxIter " + maxIter + " reached";
    int hit = firstReaching(history, fStar, target);
    if (hit < 0) {
      MllibRun timed = cold ? refit.apply(maxIter) : full;
      return new BenchmarkResult(BenchmarkResult.MLLIB, params, timed.jobs(), timed.jobs(),
          timed.jobs(), timed.bytes(), timed.seconds(), new double[] {timed.seconds()}, last,
          history[last], best, false, Optional.empty(),
          interpolate(history, new double[][] {{0, 0, 0}, {last, timed.jobs(), timed.seconds()}}),
          BenchmarkResult.Clock.INTERPOLATED, end);
    }
    double[] seconds = new double[repeats];
    MllibRun run = null;
    for (int r = 0; r < repeats; r++) {
      run = refit.apply(Math.max(hit, 1));
      seconds[r] = run.seconds();
    }
    double[] refitted = run.history();
    BenchmarkResult.RefitCheck check =
        BenchmarkResult.RefitCheck.of(Math.max(hit, 1), refitted, fStar, target);
    if (!check.reachesTarget()) {
      System.out.printf(Locale.ROOT, "warning: MLlib's refit to maxIter %d ended at relative "
          + "suboptimality %.3e, above the target %s that its full run reached at iteration %d; "
          + "its row is marked not reached%n", check.maxIter(), check.suboptimality(), target, hit);
    }
    double mid = median(seconds);
    int refitLast = refitted.length - 1;
    double[][] anchors = cold
        ? new double[][] {{0, 0, 0}, {Math.max(refitLast, 1), run.jobs(), mid}}
        : refitLast < last
            ? new double[][] {{0, 0, 0}, {refitLast, run.jobs(), mid}, {last, full.jobs(), full.seconds()}}
            : new double[][] {{0, 0, 0}, {last, full.jobs(), full.seconds()}};
    return new BenchmarkResult(BenchmarkResult.MLLIB, params, run.jobs(), run.jobs(), run.jobs(),
        run.bytes(), mid, seconds, hit, refitted[refitLast], best, check.reachesTarget(),
        Optional.of(check), interpolate(history, anchors), BenchmarkResult.Clock.INTERPOLATED,
        end);
  }

  /**
   * MLlib's history as points: iteration {@code i}'s objective, with jobs and seconds linear
   * between the {@code anchors} ({@code {iteration, jobs, seconds}} of measured fits, by
   * increasing iteration, the first at iteration 0); past the last anchor, the line through the
   * last two continues.
   */
  static List<BenchmarkResult.Point> interpolate(double[] objectives, double[][] anchors) {
    List<BenchmarkResult.Point> points = new ArrayList<>();
    int a = 0;
    for (int i = 0; i < objectives.length; i++) {
      while (a + 2 < anchors.length && i > anchors[a + 1][0]) {
        a++;
      }
      double[] lo = anchors[a];
      double[] hi = anchors[Math.min(a + 1, anchors.length - 1)];
      double t = hi[0] > lo[0] ? (i - lo[0]) / (hi[0] - lo[0]) : 0.0;
      double jobs = lo[1] + t * (hi[1] - lo[1]);
      points.add(new BenchmarkResult.Point(i, jobs, jobs, lo[2] + t * (hi[2] - lo[2]),
          objectives[i]));
    }
    return points;
  }

  /** The params of an MLlib estimator as text, by name. */
  private static SortedMap<String, String> mllibSettings(LogisticRegression lr) {
    SortedMap<String, String> out = new TreeMap<>();
    for (org.apache.spark.ml.param.Param<?> p : lr.params()) {
      if (lr.isDefined(p)) {
        out.put(p.name(), String.valueOf(lr.getOrDefault(p)));
      }
    }
    return out;
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  private static String format(BenchmarkResult r) {
    return String.format(Locale.ROOT, "%-14s %s jobs %4d (solver passes %4d) bytes %,d seconds %7.2f (runs %s) iterations %4d f %.12e",
        r.method(), r.reached() ? "reached  " : "NOT REACHED", r.jobsToTarget(), r.solverPasses(),
        r.bytesSent(), r.medianSeconds(), Arrays.toString(r.seconds()), r.iterations(),
        r.finalObjective());
  }
}
