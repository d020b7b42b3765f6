package dev.sparknewton.cli;

import dev.sparknewton.data.DataLoader;
import dev.sparknewton.data.DataSpec;
import dev.sparknewton.data.LabelKind;
import dev.sparknewton.data.TrainingData;
import dev.sparknewton.distributed.ConnectSessions;
import dev.sparknewton.distributed.DistributedFolds;
import dev.sparknewton.distributed.FoldChoice;
import dev.sparknewton.objective.OverBudgetCurvature;
import dev.sparknewton.ml.ModelTraining;
import dev.sparknewton.ml.ModelType;
import dev.sparknewton.ml.NetworkSpec;
import dev.sparknewton.ml.Separation;
import dev.sparknewton.ml.SolverSettings;
import dev.sparknewton.ml.Networks;
import dev.sparknewton.models.Curvature;
import dev.sparknewton.ml.TestEvaluation;
import dev.sparknewton.ml.TestMetrics;
import dev.sparknewton.ml.TrainingSummary;
import dev.sparknewton.ml.checkpoint.Checkpointing;
import dev.sparknewton.ml.inference.InferenceConfig;
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
 * the summary. The fit is {@link ModelTraining#plan} and {@link ModelTraining#fit} with the
 * {@link SolverSettings} of the {@code solver.*} keys: the training path the Spark ML estimators
 * ({@code ml.classification}, {@code ml.regression}) run with their params.
 */
final class TrainCommand {
  private static final List<String> FORMATS = List.of(DataSpec.FORMATS);

  private TrainCommand() {}

  static int run(List<String> args) {
    JobConfig config = JobConfig.fromArguments(args);
    // Everything that can be checked without data is checked before Spark starts.
    DataSpec dataSpec = dataSpec(config);
    ModelTraining.Settings settings = settings(config);
    SolverSettings solverSettings = SolverSettings.from(config);
    Checkpointing checkpointing = CheckpointOptions.of(config);
    Optional<InferenceConfig> standardErrors = standardErrors(config);
    String outputDir = outputDir(config, config.string("solver.name"));
    AtomicOutputDirectory.checkBeforeSpark(outputDir, config.bool("output.overwrite"), config.inputPaths());

    SparkSession spark = session(config);
    RunOutput output = RunOutput.prepare(
        outputDir, config.bool("output.overwrite"), config.inputPaths(), hadoopConfiguration(spark));
    TrainingData data = DataLoader.load(spark, dataSpec);
    System.out.println("data: " + data.description());
    ModelTraining.Plan plan = ModelTraining.plan(data, settings, solverSettings);
    int parameters = plan.parameters();
    SolverSettings.Choice choice = plan.choice();
    Solver solver = plan.solver();
    settings = settings(config, solver.name());
    System.out.printf("model: %s, %d parameters; solver: %s (%s), regParam %s, fitIntercept %s%s%n",
        ModelTraining.type(data, settings).configName(), parameters, solver.name(),
        choice.reason(), settings.regParam(), settings.fitIntercept(),
        settings.network().isPresent()
            ? ", curvature " + settings.curvature().configName() : "");
    TrainingSummary summary = ModelTraining.fit(spark, data, settings, solver,
        r -> System.out.println(r.progressLine()), checkpointing, standardErrors);
    summary.standardErrors().ifPresent(r -> System.out.println("standard errors: " + (r.computed()
        ? r.table().get() + "; in summary.json" : "none: " + r.failure().get())));
    if (data.test().isPresent()) {
      TestMetrics m = TestEvaluation.evaluate(summary.model(), data.test().get());
      summary = summary.withTestMetrics(m);
      System.out.println("test: " + m.describe());
    }
    output.write(summary, config.render());
    System.out.printf(
        "%s after %d iterations: f %.12e, |g| %.3e, %d passes (%d Spark jobs), %.2fs; output in %s%n",
        summary.termination().description(), summary.iterations(), summary.objective(),
        summary.gradientNorm(), summary.passes(), summary.jobs(), summary.wallSeconds(),
        output.target());
    if (summary.faults().any()) {
      System.out.println("recovered from faults: " + summary.faults().describe());
    }
    Termination t = summary.termination();
    if (t.failed()) {
      System.err.println("error: the solver failed: " + t.description());
      return Main.EXIT_NUMERICAL_FAILURE;
    }
    if (settings.regParam() == 0.0
        && Separation.separates(summary.model(), data.train())) {
      System.err.println("error: the training data are separable: with model.regParam = 0 the final "
          + "model classifies every row right, so the loss has no minimum (it falls toward 0 as the "
          + "weights grow without bound) and '" + t.description() + "' is an artifact of the "
          + "tolerance; set model.regParam > 0");
      return Main.EXIT_NUMERICAL_FAILURE;
    }
    return 0;
  }

  /** The {@code inference.*} keys: the table to compute after training, if any. */
  static Optional<InferenceConfig> standardErrors(JobConfig c) {
    if (!c.bool("inference.standardErrors")) {
      return Optional.empty();
    }
    return Optional.of(InferenceConfig.of(c.choice("inference.hessian", InferenceConfig.HESSIANS),
        c.number("model.regParam"), c.choice("inference.method", InferenceConfig.METHODS),
        c.megabytes("inference.denseMaxMb"), c.integer("inference.rank"),
        c.integer("inference.probes"), c.longValue("solver.seed")));
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
    int maxClasses = c.integer("model.maxClasses");
    if (maxClasses < 2) {
      throw new IllegalArgumentException("model.maxClasses must be >= 2, got " + maxClasses);
    }
    return new DataSpec(path, format, numFeatures, c.string("data.labelCol"),
        c.string("data.featuresCol"), optional(c.string("data.weightCol")),
        optional(c.string("data.testPath")), testFraction, c.longValue("data.seed"),
        c.string("data.csvDelimiter"), optional(c.string("data.positiveLabel")),
        labelKind(c), maxClasses, optional(c.string("data.labelsPath")),
        optional(c.string("data.testLabelsPath")));
  }

  /** The labels {@code model.type} needs: {@code auto} lets the data decide. */
  static LabelKind labelKind(JobConfig c) {
    List<String> names = new java.util.ArrayList<>(List.of("auto"));
    for (ModelType t : ModelType.values()) {
      names.add(t.configName());
    }
    Optional<ModelType> type = ModelType.parse(c.choice("model.type", names));
    if (type.isPresent() && type.get().network()) {
      // mlp: softmax on classes, squared error on a real target; an autoencoder reads no label,
      // so any number will do.
      return type.get() == ModelType.MLP && c.string("model.output").equals("softmax")
          ? LabelKind.MULTICLASS : LabelKind.REAL;
    }
    return type.map(ModelType::labelKind).orElse(LabelKind.AUTO);
  }

  /** The training settings for the configured solver ({@code solver.name}). */
  static ModelTraining.Settings settings(JobConfig c) {
    return settings(c, c.string("solver.name"));
  }

  /** The training settings for solver {@code solverName} (which decides the auto curvature). */
  static ModelTraining.Settings settings(JobConfig c, String solverName) {
    Optional<NetworkSpec> network = network(c);
    return new ModelTraining.Settings(
        c.number("model.regParam"), c.bool("model.fitIntercept"), c.integer("spark.partitions"),
        c.integer("spark.aggregationDepth"), c.number("data.maxBlockSizeMb"),
        c.megabytes("solver.driverCurvatureMb"), c.megabytes("solver.curvatureCacheMb"),
        network, curvature(c, solverName, network.isPresent()),
        FoldChoice.parse("spark.fold", c.string("spark.fold")),
        OverBudgetCurvature.parse(
            "solver.curvatureOverBudget", c.string("solver.curvatureOverBudget")));
  }

  /** The network of {@code model.type = mlp | autoencoder}, else empty. */
  static Optional<NetworkSpec> network(JobConfig c) {
    Optional<ModelType> type = ModelType.parse(c.string("model.type"));
    if (type.isEmpty() || !type.get().network()) {
      return Optional.empty();
    }
    List<Integer> hidden = new java.util.ArrayList<>();
    for (String w : c.strings("model.layers")) {
      try {
        hidden.add(Integer.parseInt(w.trim()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "model.layers: expected a list of hidden widths like [128, 64], got '" + w + "'");
      }
    }
    String output = type.get() == ModelType.AUTOENCODER ? "squared"
        : c.choice("model.output", NetworkSpec.OUTPUTS);
    return Optional.of(new NetworkSpec(type.get(), hidden,
        c.choice("model.activation", Networks.ACTIVATIONS), output, c.longValue("model.initSeed")));
  }

  /**
   * {@code solver.curvature}: auto is the Gauss-Newton matrix for Hessian-free and exact Newton
   * (which factors a dense matrix), the exact Hessian for the solvers that use negative curvature
   * (Newton-CG's exit, the trust region's boundary step, LRSFN's |lambda|); linear models have
   * one curvature.
   */
  static Curvature curvature(JobConfig c, String solverName, boolean network) {
    String name = c.choice("solver.curvature", List.of("auto", "ggn", "hessian"));
    if (!network) {
      return Curvature.GAUSS_NEWTON;
    }
    if (name.equals("auto")) {
      return List.of("newton-cg", "trust-region", "lrsfn").contains(solverName)
          ? Curvature.HESSIAN : Curvature.GAUSS_NEWTON;
    }
    return Curvature.parse(name);
  }

  /**
   * The session of the job: a Spark Connect client session when {@code spark.remote} or
   * {@code SPARK_REMOTE} names a server (this project's classes uploaded as an artifact), else a
   * classic one.
   */
  static SparkSession session(JobConfig c) {
    Optional<String> remote = ConnectSessions.remote(c.string("spark.remote"),
        System.getenv("SPARK_REMOTE"));
    if (remote.isPresent()) {
      System.out.println("spark: Spark Connect client of " + remote.get());
      return ConnectSessions.connect(remote.get());
    }
    SparkSession.Builder b = SparkSession.builder().appName(c.string("spark.appName"));
    String master = c.string("spark.master");
    if (!master.isEmpty()) {
      b = b.master(master);
    }
    return b.getOrCreate();
  }

  /**
   * The Hadoop configuration for output files: the session's, or on Spark Connect (no
   * SparkContext on the client) the client's defaults, so output goes to the client's file
   * systems.
   */
  static org.apache.hadoop.conf.Configuration hadoopConfiguration(SparkSession spark) {
    // No method reference to hadoopConfiguration: a lambda's target is linked eagerly, and the
    // Connect client's stand-in SparkContext has no such method.
    java.util.Optional<org.apache.spark.SparkContext> sc = DistributedFolds.sparkContext(spark);
    if (sc.isPresent()) {
      return sc.get().hadoopConfiguration();
    }
    return new org.apache.hadoop.conf.Configuration();
  }

  private static Optional<String> optional(String s) {
    return s.isEmpty() ? Optional.empty() : Optional.of(s);
  }
}
