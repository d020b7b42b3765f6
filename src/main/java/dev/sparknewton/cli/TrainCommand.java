package dev.sparknewton.cli;

import dev.sparknewton.data.DataLoader;
import dev.sparknewton.data.DataSpec;
import dev.sparknewton.data.LabelKind;
import dev.sparknewton.data.TrainingData;
import dev.sparknewton.ml.BinaryMetrics;
import dev.sparknewton.ml.LogisticRegressionTraining;
import dev.sparknewton.ml.TrainingSummary;
import dev.sparknewton.solvers.Solver;
import dev.sparknewton.solvers.Termination;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.SparkSession;

/**
 * {@code train}: validate the whole configuration, load and validate the data, fit, evaluate on
 * the test data, write the output directory atomically, print a progress line per iteration and
 * the summary.
 */
final class TrainCommand {
  private static final List<String> FORMATS = List.of("libsvm", "parquet", "csv", "table", "embedded");

  private TrainCommand() {}

  static int run(List<String> args) {
    JobConfig config = JobConfig.fromArguments(args);
    // Everything that can be checked without data is checked before Spark starts.
    DataSpec dataSpec = dataSpec(config);
    LogisticRegressionTraining.Settings settings = settings(config);
    Solver solver = SolverFactory.create(config);
    String outputDir = outputDir(config, solver.name());

    SparkSession spark = session(config);
    RunOutput output = RunOutput.prepare(
        outputDir, config.bool("output.overwrite"), spark.sparkContext().hadoopConfiguration());
    TrainingData data = DataLoader.load(spark, dataSpec);
    System.out.println("data: " + data.description());
    System.out.printf("solver: %s, regParam %s, fitIntercept %s%n",
        solver.name(), settings.regParam(), settings.fitIntercept());
    TrainingSummary summary = LogisticRegressionTraining.fit(
        spark, data, settings, solver, r -> System.out.println(r.progressLine()));
    if (data.test().isPresent()) {
      BinaryMetrics m = BinaryMetrics.evaluate(summary.model(), data.test().get());
      summary = summary.withTestMetrics(m);
      System.out.printf("test: %d rows, accuracy %.4f, AUC %.4f, log-loss %.5f%n",
          m.rows(), m.accuracy(), m.auc(), m.logLoss());
    }
    output.write(summary, config.render());
    System.out.printf(
        "%s after %d iterations: f %.12e, |g| %.3e, %d passes (%d Spark jobs), %.2fs; output in %s%n",
        summary.termination().description(), summary.iterations(), summary.objective(),
        summary.gradientNorm(), summary.passes(), summary.jobs(), summary.wallSeconds(),
        output.target());
    Termination t = summary.termination();
    if (t == Termination.NON_FINITE || t == Termination.LINE_SEARCH_FAILED) {
      System.err.println("error: the solver failed: " + t.description());
      return Main.EXIT_NUMERICAL_FAILURE;
    }
    return 0;
  }

  /** {@code output.dir}, or {@code output/<yyyyMMdd-HHmmss>-<what>} when it is empty. */
  static String outputDir(JobConfig c, String what) {
    String dir = c.string("output.dir");
    return dir.isEmpty()
        ? "output/" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
            + "-" + what
        : dir;
  }

  static DataSpec dataSpec(JobConfig c) {
    String format = c.choice("data.format", FORMATS);
    String path = c.string("data.path");
    if (!format.equals("embedded") && path.isEmpty()) {
      throw new IllegalArgumentException("data.path is required for data.format = " + format);
    }
    int numFeatures = c.integer("data.numFeatures");
    if (numFeatures < 0) {
      throw new IllegalArgumentException("data.numFeatures must be >= 0, got " + numFeatures);
    }
    double testFraction = c.number("data.testFraction");
    if (testFraction < 0.0 || testFraction >= 1.0) {
      throw new IllegalArgumentException("data.testFraction must be in [0, 1), got " + testFraction);
    }
    return new DataSpec(path, format, numFeatures, c.string("data.labelCol"),
        c.string("data.featuresCol"), optional(c.string("data.weightCol")),
        optional(c.string("data.testPath")), testFraction, c.longValue("data.seed"),
        c.string("data.csvDelimiter"), optional(c.string("data.positiveLabel")),
        // Binary until the model type is configurable: the only model is binary logistic
        // regression, which must keep rejecting data with more than two labels.
        LabelKind.BINARY, DataSpec.DEFAULT_MAX_CLASSES);
  }

  static LogisticRegressionTraining.Settings settings(JobConfig c) {
    double driverMb = c.number("solver.driverCurvatureMb");
    if (driverMb < 0) {
      throw new IllegalArgumentException("solver.driverCurvatureMb must be >= 0, got " + driverMb);
    }
    return new LogisticRegressionTraining.Settings(
        c.number("model.regParam"), c.bool("model.fitIntercept"), c.integer("spark.partitions"),
        c.integer("spark.aggregationDepth"), c.number("data.maxBlockSizeMb"),
        (long) (driverMb * 1024 * 1024));
  }

  static SparkSession session(JobConfig c) {
    SparkSession.Builder b = SparkSession.builder().appName(c.string("spark.appName"));
    String master = c.string("spark.master");
    if (!master.isEmpty()) {
      b = b.master(master);
    }
    return b.getOrCreate();
  }

  private static Optional<String> optional(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
