package dev.sparknewton.cli;

import dev.sparknewton.data.DataLoader;
import dev.sparknewton.data.TrainingData;
import dev.sparknewton.distributed.PassCounter;
import dev.sparknewton.ml.IterationRecord;
import dev.sparknewton.ml.LogisticRegressionTraining;
import dev.sparknewton.ml.TrainingSummary;
import dev.sparknewton.solvers.Solver;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;

/**
 * {@code benchmark}: on one dataset, in one run, the passes (Spark jobs) and seconds each of our
 * solvers and Spark MLlib's L-BFGS {@code LogisticRegression} need to reach a relative
 * suboptimality {@code (f - f*) / |f*| <= target} of the same objective
 * ({@code standardization = false}, the same {@code regParam} and intercept setting).
 *
 * <p>{@code f*} is the smaller of our exact Newton run to {@code tol = 1e-14} and MLlib's final
 * objective at {@code tol = 1e-12}. Our passes and seconds are read off the iteration history
 * (counted from the input DataFrame, so blockifying and caching are included); MLlib's are
 * measured by refitting with {@code maxIter} equal to the first iteration of its objective
 * history that reaches the target. Seconds are medians over {@code benchmark.repeats} runs.
 */
final class BenchmarkCommand {

  /** One method's result. */
  record Result(String method, long solverPasses, long jobsToTarget, long totalJobs,
      double medianSeconds, double[] seconds, int iterations, double finalObjective,
      boolean reached) {}

  private BenchmarkCommand() {}

  static int run(List<String> args) {
    JobConfig config = JobConfig.fromArguments(args);
    var dataSpec = TrainCommand.dataSpec(config);
    var settings = TrainCommand.settings(config);
    List<String> entries = config.strings("benchmark.solvers");
    List<Solver> solvers = new ArrayList<>();
    List<String> labels = new ArrayList<>();
    List<LogisticRegressionTraining.Settings> entrySettings = new ArrayList<>();
    for (String entry : entries) {
      JobConfig entryConfig = solverConfig(config, entry);
      solvers.add(SolverFactory.create(entryConfig));
      entrySettings.add(TrainCommand.settings(entryConfig));
      labels.add(entry.trim().replaceAll("\\s+", " "));
    }
    Solver reference = SolverFactory.create(config.with("solver.name", "exact-newton")
        .with("solver.tol", 1e-14).with("solver.maxIter", 100).with("solver.hessianSampleFraction", 1.0));
    int repeats = config.integer("benchmark.repeats");
    if (repeats < 1) {
      throw new IllegalArgumentException("benchmark.repeats must be >= 1, got " + repeats);
    }
    double target = config.number("benchmark.targetSuboptimality");
    if (!(target > 0.0)) {
      throw new IllegalArgumentException("benchmark.targetSuboptimality must be > 0, got " + target);
    }
    String outDir = config.string("output.dir").isEmpty() ? "output/benchmark" : config.string("output.dir");

    SparkSession spark = TrainCommand.session(config);
    AtomicOutputDirectory output = AtomicOutputDirectory.prepare(
        outDir, config.bool("output.overwrite"), spark.sparkContext().hadoopConfiguration());
    TrainingData loaded = DataLoader.load(spark, dataSpec);
    Dataset<org.apache.spark.sql.Row> train = settings.partitions() > 0
        ? loaded.train().repartition(settings.partitions()) : loaded.train();
    TrainingData data = new TrainingData(train, loaded.test(), loaded.numFeatures(), loaded.labels(),
        loaded.featureNames(), loaded.description());
    System.out.printf("benchmark: %s, %d features, regParam %s, fitIntercept %s, %d partitions, master %s%n",
        data.description(), data.numFeatures(), settings.regParam(), settings.fitIntercept(),
        train.rdd().getNumPartitions(), spark.sparkContext().master());

    TrainingSummary ref = LogisticRegressionTraining.fit(spark, data, settings, reference, r -> { });
    double mllibStar = Double.NaN;
    LogisticRegressionModel full = null;
    if (config.bool("benchmark.mllib")) {
      full = mllib(settings, 1000).fit(train);
      double[] h = full.summary().objectiveHistory();
      mllibStar = h[h.length - 1];
    }
    double fStar = Double.isNaN(mllibStar) ? ref.objective() : Math.min(ref.objective(), mllibStar);
    System.out.printf("f* = %.15e (exact Newton to tol 1e-14: %.15e, %s; MLlib L-BFGS to tol 1e-12: %.15e)%n",
        fStar, ref.objective(), ref.termination().description(), mllibStar);

    List<Result> rows = new ArrayList<>();
    for (int i = 0; i < solvers.size(); i++) {
      rows.add(ours(spark, data, entrySettings.get(i), solvers.get(i), labels.get(i), fStar, target,
          repeats));
      System.out.println(format(rows.get(rows.size() - 1)));
    }
    if (full != null) {
      rows.add(mllibRow(spark, train, settings, full, fStar, target, repeats));
      System.out.println(format(rows.get(rows.size() - 1)));
    }
    String table = markdown(rows, target, fStar);
    System.out.println();
    System.out.println(table);
    output.write((fs, dir) -> {
      AtomicOutputDirectory.writeText(fs, new org.apache.hadoop.fs.Path(dir, "benchmark.md"), table);
      AtomicOutputDirectory.writeText(fs, new org.apache.hadoop.fs.Path(dir, "config.conf"), config.render());
    });
    System.out.println("written to " + output.target());
    return 0;
  }

  /**
   * One entry of {@code benchmark.solvers}: a solver name, optionally followed by
   * {@code key=value} settings of the {@code solver} section for that entry only, e.g.
   * {@code "newton-cg preconditioner=nystrom"}.
   */
  static JobConfig solverConfig(JobConfig config, String entry) {
    String[] tokens = entry.trim().split("\\s+");
    JobConfig c = config.with("solver.name", tokens[0]);
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

  private static LogisticRegression mllib(LogisticRegressionTraining.Settings s, int maxIter) {
    return new LogisticRegression()
        .setRegParam(s.regParam())
        .setElasticNetParam(0.0)
        .setStandardization(false)
        .setFitIntercept(s.fitIntercept())
        .setTol(1e-12)
        .setMaxIter(maxIter)
        .setWeightCol("weight")
        .setAggregationDepth(s.aggregationDepth());
  }

  private static Result ours(SparkSession spark, TrainingData data, LogisticRegressionTraining.Settings settings,
      Solver solver, String label, double fStar, double target, int repeats) {
    double[] seconds = new double[repeats];
    TrainingSummary s = null;
    int hit = -1;
    for (int r = 0; r < repeats; r++) {
      s = LogisticRegressionTraining.fit(spark, data, settings, solver, x -> { });
      double[] objectives = s.history().stream().mapToDouble(IterationRecord::objective).toArray();
      hit = firstReaching(objectives, fStar, target);
      seconds[r] = s.history().get(hit >= 0 ? hit : objectives.length - 1).seconds();
    }
    IterationRecord at = s.history().get(hit >= 0 ? hit : s.history().size() - 1);
    long setupJobs = s.jobs() - s.passes();
    return new Result(label, at.passes(), at.passes() + setupJobs, s.jobs(), median(seconds),
        seconds, at.iteration(), s.objective(), hit >= 0);
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

  private static Result mllibRow(SparkSession spark, Dataset<org.apache.spark.sql.Row> train,
      LogisticRegressionTraining.Settings settings, LogisticRegressionModel full, double fStar,
      double target, int repeats) {
    double[] history = full.summary().objectiveHistory();
    int hit = firstReaching(history, fStar, target);
    boolean reached = hit >= 0;
    int k = reached ? hit : history.length - 1;
    SparkContext sc = spark.sparkContext();
    double[] seconds = new double[repeats];
    long jobs = 0;
    double objective = Double.NaN;
    for (int r = 0; r < repeats; r++) {
      String group = "mllib-" + UUID.randomUUID();
      PassCounter counter = PassCounter.register(sc, group);
      sc.setJobGroup(group, "MLlib L-BFGS baseline", false);
      try {
        long start = System.nanoTime();
        LogisticRegressionModel m = mllib(settings, Math.max(k, 1)).fit(train);
        seconds[r] = (System.nanoTime() - start) / 1e9;
        double[] h = m.summary().objectiveHistory();
        objective = h[h.length - 1];
        counter.awaitQuiet(5000);
        jobs = counter.jobs();
      } finally {
        sc.clearJobGroup();
        counter.unregister(sc);
      }
    }
    return new Result("mllib-lbfgs", jobs, jobs, jobs, median(seconds), seconds, k, objective, reached);
  }

  static double median(double[] values) {
    double[] v = values.clone();
    Arrays.sort(v);
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
  }

  private static String format(Result r) {
    return String.format(Locale.ROOT, "%-14s %s jobs %4d (solver passes %4d) seconds %7.2f (runs %s) iterations %4d f %.12e",
        r.method(), r.reached() ? "reached  " : "NOT REACHED", r.jobsToTarget(), r.solverPasses(),
        r.medianSeconds(), Arrays.toString(r.seconds()), r.iterations(), r.finalObjective());
  }

  static String markdown(List<Result> rows, double target, double fStar) {
    Result base = rows.stream().filter(r -> r.method().equals("mllib-lbfgs")).findFirst().orElse(null);
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "Target: (f - f*) / |f*| <= %.0e, f* = %.12e%n%n", target, fStar));
    sb.append("| method | Spark jobs to target | solver passes | iterations | seconds to target (median) | jobs vs MLlib | time vs MLlib |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Result r : rows) {
      String jobsRatio = base == null ? "" : String.format(Locale.ROOT, "%.1fx fewer", (double) base.jobsToTarget() / r.jobsToTarget());
      String timeRatio = base == null ? "" : String.format(Locale.ROOT, "%.1fx faster", base.medianSeconds() / r.medianSeconds());
      if (r == base) {
        jobsRatio = "1x";
        timeRatio = "1x";
      }
      sb.append(String.format(Locale.ROOT, "| %s%s | %d | %s | %d | %.2f | %s | %s |%n",
          r.method(), r.reached() ? "" : " (target not reached)", r.jobsToTarget(),
          r.method().equals("mllib-lbfgs") ? "-" : Long.toString(r.solverPasses()), r.iterations(),
          r.medianSeconds(), jobsRatio, timeRatio));
    }
    return sb.toString();
  }

}
