package dev.sparknewton.cli;

import dev.sparknewton.data.DataLoader;
import dev.sparknewton.data.TrainingData;
import dev.sparknewton.distributed.ConnectSessions;
import dev.sparknewton.distributed.PassCounter;
import dev.sparknewton.distributed.PassFloor;
import dev.sparknewton.distributed.RddBlockFold;
import dev.sparknewton.ml.IterationRecord;
import dev.sparknewton.ml.ModelTraining;
import dev.sparknewton.ml.ModelType;
import dev.sparknewton.ml.TrainingSummary;
import dev.sparknewton.solvers.Solver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.UUID;
import java.util.function.IntFunction;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

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
 * history that reaches the target. Seconds are medians over {@code benchmark.repeats} runs.
 */
final class BenchmarkCommand {

  /** One method's result. */
  record Result(String method, long solverPasses, long jobsToTarget, long totalJobs,
      long bytesSent, double medianSeconds, double[] seconds, int iterations,
      double finalObjective, boolean reached) {}

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
    TrainingData loaded = DataLoader.load(spark, dataSpec);
    Dataset<Row> train = settings.partitions() > 0
        ? loaded.train().repartition(settings.partitions()) : loaded.train();
    TrainingData data = new TrainingData(train, loaded.test(), loaded.numFeatures(), loaded.labels(),
        loaded.featureNames(), loaded.description());
    if (settings.network().isPresent()) {
      return NetworkBenchmark.run(config, spark, data, settings, labels, entryConfigs, output);
    }
    ModelType type = ModelType.of(data.labels());
    int dimension = ModelTraining.model(data, settings).dimension();
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
            + "%d partitions, master %s%n",
        data.description(), type.configName(), dimension, settings.regParam(),
        settings.fitIntercept(), train.rdd().getNumPartitions(), spark.sparkContext().master());

    PassFloor floor;
    try (RddBlockFold fold = ModelTraining.cacheBlocks(data, settings)) {
      floor = PassFloor.measure(fold, data.numFeatures(), FLOOR_REPEATS);
    }
    System.out.printf(Locale.ROOT, "pass floor: empty pass %.1f ms, streaming pass %.1f ms "
        + "(medians of %d)%n", 1e3 * floor.emptySeconds(), 1e3 * floor.streamingSeconds(),
        FLOOR_REPEATS);

    List<Double> finals = new ArrayList<>();
    boolean converged = false;
    if (knownMinimum.isPresent()) {
      // Established by a converged run outside this benchmark: f* is not just the best seen.
      System.out.printf("known minimum (benchmark.knownMinimum): %.15e%n",
          knownMinimum.getAsDouble());
      finals.add(knownMinimum.getAsDouble());
      converged = true;
    }
    if (!referenceName.equals("none")) {
      Solver ref = reference.apply(dimension);
      TrainingSummary s = ModelTraining.fit(spark, data, settings, ref, r -> { });
      System.out.printf("reference %s to tol 1e-14: f %.15e, %s, %d passes%n", ref.name(),
          s.objective(), s.termination().description(), s.passes());
      finals.add(s.objective());
      converged |= s.termination().converged();
    }
    int mllibMaxIter = config.integer("benchmark.mllibMaxIter");
    if (mllibMaxIter < 1) {
      throw new IllegalArgumentException("benchmark.mllibMaxIter must be >= 1, got " + mllibMaxIter);
    }
    MllibRun full = null;
    if (mllib) {
      full = mllibRun(spark, train, settings, type, mllibMaxIter);
      double[] h = full.model().summary().objectiveHistory();
      System.out.printf("MLlib L-BFGS to tol 1e-12 (maxIter %d): f %.15e after %d iterations, "
          + "%d jobs, %.1f s%n", mllibMaxIter, h[h.length - 1], h.length - 1, full.jobs(),
          full.seconds());
      finals.add(h[h.length - 1]);
      converged |= h.length - 1 < mllibMaxIter;
    }
    List<List<TrainingSummary>> runs = new ArrayList<>();
    for (int i = 0; i < solvers.size(); i++) {
      List<TrainingSummary> repeated = new ArrayList<>();
      for (int r = 0; r < repeats; r++) {
        repeated.add(ModelTraining.fit(spark, data, entrySettings.get(i), solvers.get(i), x -> { }));
      }
      runs.add(repeated);
      finals.add(repeated.get(0).objective());
      converged |= repeated.get(0).termination().converged();
      System.out.printf("%s: f %.15e, %s%n", labels.get(i), repeated.get(0).objective(),
          repeated.get(0).termination().description());
    }
    double fStar = finals.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
    System.out.printf("f* = %.15e (the smallest objective of any run%s)%n", fStar,
        knownMinimum.isPresent() ? " and benchmark.knownMinimum" : "");

    List<Result> rows = new ArrayList<>();
    for (int i = 0; i < solvers.size(); i++) {
      rows.add(ours(runs.get(i), labels.get(i), fStar, target));
      System.out.println(format(rows.get(rows.size() - 1)));
    }
    if (full != null) {
      rows.add(mllibRow(spark, train, settings, type, full, fStar, target, repeats));
      System.out.println(format(rows.get(rows.size() - 1)));
    }
    String table = (converged ? "" : "Warning: no run converged (MLlib stopped at benchmark.mllibMaxIter, "
        + "ours at solver.maxIter), so f* is only the best objective seen, not the optimum, and "
        + "'reaching the target' means coming within it of that value.\n\n")
        + markdown(rows, target, fStar, floor);
    System.out.println();
    System.out.println(table);
    output.write((fs, dir) -> {
      AtomicOutputDirectory.writeText(fs, new org.apache.hadoop.fs.Path(dir, "benchmark.md"), table);
      AtomicOutputDirectory.writeText(fs, new org.apache.hadoop.fs.Path(dir, "config.conf"), config.render());
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

  /**
   * The entry {@code tron-distributed}: trust-region Newton-CG with the diagonal preconditioner,
   * every Hessian-vector product a Spark job on all rows, as Spark-LIBLINEAR and Photon-ML run
   * TRON (Lin, Tsai, Lee, Lin, "Large-scale logistic regression and linear support vector
   * machines using Spark", IEEE BigData 2014).
   */
  static final String TRON_DISTRIBUTED = "tron-distributed";
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

  /** Passes, jobs, bytes and seconds to the target, from the histories of repeated runs. */
  private static Result ours(List<TrainingSummary> runs, String label, double fStar, double target) {
    double[] seconds = new double[runs.size()];
    int hit = -1;
    TrainingSummary s = null;
    for (int r = 0; r < runs.size(); r++) {
      s = runs.get(r);
      double[] objectives = s.history().stream().mapToDouble(IterationRecord::objective).toArray();
      hit = firstReaching(objectives, fStar, target);
      seconds[r] = s.history().get(hit >= 0 ? hit : objectives.length - 1).seconds();
    }
    IterationRecord at = s.history().get(hit >= 0 ? hit : s.history().size() - 1);
    long setupJobs = s.jobs() - s.passes();
    return new Result(label, at.passes(), at.passes() + setupJobs, s.jobs(), at.bytesToDriver(),
        median(seconds), seconds, at.iteration(), s.objective(), hit >= 0);
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

  /** One MLlib fit with its jobs, bytes and seconds. */
  private record MllibRun(LogisticRegressionModel model, long jobs, long bytes, double seconds) {}

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
      return new MllibRun(m, counter.jobs(), counter.bytesSent(), seconds);
    } finally {
      sc.clearJobGroup();
      counter.unregister(sc);
    }
  }

  /**
   * MLlib's jobs, bytes and seconds to the target: refits with {@code maxIter} = the first
   * iteration of the full run's history that reaches it. When the full run never reached it, its
   * own (single) run is reported, marked as not reached.
   */
  private static Result mllibRow(SparkSession spark, Dataset<Row> train,
      ModelTraining.Settings settings, ModelType type, MllibRun full, double fStar,
      double target, int repeats) {
    double[] history = full.model().summary().objectiveHistory();
    int hit = firstReaching(history, fStar, target);
    if (hit < 0) {
      return new Result("mllib-lbfgs", full.jobs(), full.jobs(), full.jobs(), full.bytes(),
          full.seconds(), new double[] {full.seconds()}, history.length - 1,
          history[history.length - 1], false);
    }
    double[] seconds = new double[repeats];
    MllibRun run = null;
    for (int r = 0; r < repeats; r++) {
      run = mllibRun(spark, train, settings, type, Math.max(hit, 1));
      seconds[r] = run.seconds();
    }
    double[] h = run.model().summary().objectiveHistory();
    return new Result("mllib-lbfgs", run.jobs(), run.jobs(), run.jobs(), run.bytes(),
        median(seconds), seconds, hit, h[h.length - 1], true);
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  private static String format(Result r) {
    return String.format(Locale.ROOT, "%-14s %s jobs %4d (solver passes %4d) bytes %,d seconds %7.2f (runs %s) iterations %4d f %.12e",
        r.method(), r.reached() ? "reached  " : "NOT REACHED", r.jobsToTarget(), r.solverPasses(),
        r.bytesSent(), r.medianSeconds(), Arrays.toString(r.seconds()), r.iterations(),
        r.finalObjective());
  }

  static String markdown(List<Result> rows, double target, double fStar, PassFloor floor) {
    Result base = rows.stream().filter(r -> r.method().equals("mllib-lbfgs")).findFirst().orElse(null);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Target: (f - f*) / |f*| <= %.0e, f* = %.12e%n%n", target, fStar));
    sb.append(String.format(Locale.ROOT, "Pass floor on the same cached blocks (medians of %d): "
        + "empty pass %.1f ms, streaming pass (X 1 over every block) %.1f ms. \"s/pass\" is the "
        + "seconds to target per pass (per job for MLlib, whose jobs are its passes), driver work "
        + "included, as a multiple of the streaming pass.%n%n",
        FLOOR_REPEATS, 1e3 * floor.emptySeconds(), 1e3 * floor.streamingSeconds()));
    sb.append("| method | Spark jobs to target | solver passes | iterations | MB to driver to target | seconds to target (median) | s/pass (x floor) | final suboptimality | jobs vs MLlib | time vs MLlib |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : rows) {
      String jobsRatio = base == null ? "" : String.format(Locale.ROOT, "%.1fx fewer", (double) base.jobsToTarget() / r.jobsToTarget());
      String timeRatio = base == null ? "" : String.format(Locale.ROOT, "%.1fx faster", base.medianSeconds() / r.medianSeconds());
      if (r == base) {
        jobsRatio = "1x";
        timeRatio = "1x";
      }
      boolean mllib = r.method().equals("mllib-lbfgs");
      long passes = Math.max(1, mllib ? r.jobsToTarget() : r.solverPasses());
      sb.append(String.format(Locale.ROOT, "| %s%s | %d | %s | %d | %.1f | %.2f | %.1f | %.1e | %s | %s |%n",
          r.method(), r.reached() ? "" : " (target not reached)", r.jobsToTarget(),
          mllib ? "-" : Long.toString(r.solverPasses()), r.iterations(),
          r.bytesSent() / 1e6, r.medianSeconds(),
          r.medianSeconds() / passes / floor.streamingSeconds(),
          (r.finalObjective() - fStar) / Math.abs(fStar), jobsRatio, timeRatio));
    }
    return sb.toString();
  }
}
