package dev.sparknewton.ml;

import dev.sparknewton.data.Blockifier;
import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.TrainingData;
import dev.sparknewton.distributed.DatasetBlockFold;
import dev.sparknewton.distributed.DistributedFold;
import dev.sparknewton.distributed.DistributedFolds;
import dev.sparknewton.distributed.DriverBlockFold;
import dev.sparknewton.distributed.FaultCounts;
import dev.sparknewton.distributed.FoldChoice;
import dev.sparknewton.distributed.PassCounter;
import dev.sparknewton.distributed.RddBlockFold;
import dev.sparknewton.ml.checkpoint.Checkpoint;
import dev.sparknewton.ml.checkpoint.CheckpointCounts;
import dev.sparknewton.ml.checkpoint.Checkpointing;
import dev.sparknewton.ml.checkpoint.RunCheckpoints;
import dev.sparknewton.ml.inference.CoefficientInference;
import dev.sparknewton.ml.inference.InferenceConfig;
import dev.sparknewton.ml.inference.InferenceResult;
import dev.sparknewton.models.Curvature;
import dev.sparknewton.models.LinearModel;
import dev.sparknewton.models.Model;
import dev.sparknewton.models.PredictionAggregator;
import dev.sparknewton.models.Shared;
import dev.sparknewton.objective.BlockFold;
import dev.sparknewton.objective.L2Regularized;
import dev.sparknewton.objective.ModelObjective;
import dev.sparknewton.objective.OverBudgetCurvature;
import dev.sparknewton.objective.SecondOrderObjective;
import dev.sparknewton.solvers.Solver;
import dev.sparknewton.solvers.SolverRun;
import dev.sparknewton.solvers.SolverState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * Fits an L2-regularized linear model ({@link ModelType}: binary or multinomial logistic
 * regression, least squares; the type follows from the labels of the data) with any
 * {@link Solver} over the cached row blocks of the training data: blockify, cache, run the
 * solver's iterations while counting passes and time, release the cache. With
 * {@link Checkpointing} the run writes checkpoints of its optimizer and continues from one when
 * restarted ({@link RunCheckpoints}): the resumed run's records, counters and model are those of
 * the run that was never stopped (its seconds add the restart's).
 */
public final class ModelTraining {

  /**
   * @param regParam lambda {@code >= 0}
   * @param partitions partitions of the cached blocks; 0 keeps the input's
   * @param driverCurvatureBytes curvature samples up to this size are collected to the driver
   * @param curvatureCacheBytes per-JVM budget for keeping each point's per-row curvature state
   *     between the passes of an iteration (0: recompute it in every product)
   * @param fold the fold over the cached blocks ({@code spark.fold}); {@code auto} follows the
   *     session ({@link DistributedFolds#resolve})
   * @param overBudget what a curvature sample larger than {@code driverCurvatureBytes} becomes
   *     ({@code solver.curvatureOverBudget})
   */
  public record Settings(
      double regParam, boolean fitIntercept, int partitions, int aggregationDepth,
      double maxBlockSizeMb, long driverCurvatureBytes, long curvatureCacheBytes,
      Optional<NetworkSpec> network, Curvature curvature, FoldChoice fold,
      OverBudgetCurvature overBudget) {

    /** Settings whose over-budget curvature samples stay distributed. */
    public Settings(double regParam, boolean fitIntercept, int partitions, int aggregationDepth,
        double maxBlockSizeMb, long driverCurvatureBytes, long curvatureCacheBytes,
        Optional<NetworkSpec> network, Curvature curvature, FoldChoice fold) {
      this(regParam, fitIntercept, partitions, aggregationDepth, maxBlockSizeMb,
          driverCurvatureBytes, curvatureCacheBytes, network, curvature, fold,
          OverBudgetCurvature.DISTRIBUTED);
    }

    /**
     * A linear model (its type from the labels), Gauss-Newton curvature (its Hessian), the fold
     * the session offers ({@code auto}).
     */
    public Settings(double regParam, boolean fitIntercept, int partitions, int aggregationDepth,
        double maxBlockSizeMb, long driverCurvatureBytes, long curvatureCacheBytes) {
      this(regParam, fitIntercept, partitions, aggregationDepth, maxBlockSizeMb,
          driverCurvatureBytes, curvatureCacheBytes, Optional.empty(), Curvature.GAUSS_NEWTON,
          FoldChoice.AUTO);
    }

    /** The same settings with curvature products by {@code kind}. */
    public Settings withCurvature(Curvature kind) {
      return new Settings(regParam, fitIntercept, partitions, aggregationDepth, maxBlockSizeMb,
          driverCurvatureBytes, curvatureCacheBytes, network, kind, fold, overBudget);
    }

    /** The same settings with the fold {@code choice}. */
    public Settings withFold(FoldChoice choice) {
      return new Settings(regParam, fitIntercept, partitions, aggregationDepth, maxBlockSizeMb,
          driverCurvatureBytes, curvatureCacheBytes, network, curvature, choice, overBudget);
    }

    /** The same settings with over-budget curvature samples becoming {@code choice}. */
    public Settings withOverBudget(OverBudgetCurvature choice) {
      return new Settings(regParam, fitIntercept, partitions, aggregationDepth, maxBlockSizeMb,
          driverCurvatureBytes, curvatureCacheBytes, network, curvature, fold, choice);
    }

    public Settings {
      if (!(regParam >= 0.0) || Double.isInfinite(regParam)) {
        throw new IllegalArgumentException("model.regParam must be finite and >= 0, got " + regParam);
      }
      if (partitions < 0) {
        throw new IllegalArgumentException("spark.partitions must be >= 0, got " + partitions);
      }
      if (aggregationDepth < 1) {
        throw new IllegalArgumentException(
            "spark.aggregationDepth must be >= 1, got " + aggregationDepth);
      }
      if (!(maxBlockSizeMb > 0.0)) {
        throw new IllegalArgumentException("data.maxBlockSizeMb must be > 0, got " + maxBlockSizeMb);
      }
      java.util.Objects.requireNonNull(fold, "fold");
      java.util.Objects.requireNonNull(overBudget, "overBudget");
      if (driverCurvatureBytes < 0 || curvatureCacheBytes < 0) {
        throw new IllegalArgumentException("memory budgets must be >= 0, got "
            + driverCurvatureBytes + " and " + curvatureCacheBytes);
      }
    }
  }

  private ModelTraining() {}

  /**
   * What a run will train and with which solver: the first half of the one training path that the
   * command line ({@code train}) and the Spark ML estimators share, {@link #plan} then
   * {@link #fit}.
   *
   * @param parameters {@code P}, the model's dimension
   * @param choice the solver {@code auto} resolved to, and why
   */
  public record Plan(int parameters, SolverSettings.Choice choice, Solver solver) {}

  /**
   * The model of {@code data} under {@code settings} (its type from the labels, or the configured
   * network) and the solver {@code solver} chooses for its dimension.
   */
  public static Plan plan(TrainingData data, Settings settings, SolverSettings solver) {
    int parameters = model(data, settings).dimension();
    return new Plan(parameters, solver.choose(parameters), solver.create(parameters));
  }

  /**
   * Held-out rows, blockified and cached like the training data, on which a run scores its
   * iterates (test accuracy and loss per iteration, for convergence plots and "passes to 97%"
   * tables). Its jobs run in a job group of their own, so they count neither as the run's passes
   * nor as its jobs.
   */
  public static final class TestMonitor implements AutoCloseable {
    private final RddBlockFold fold;
    private final boolean classes;
    private final int every;
    private final boolean owner;
    private double seconds;

    private TestMonitor(RddBlockFold fold, boolean classes, int every, boolean owner) {
      this.fold = fold;
      this.classes = classes;
      this.every = every;
      this.owner = owner;
    }

    /**
     * The same cached rows, scoring every {@code k}-th iteration; closing the view leaves the
     * rows cached.
     */
    public TestMonitor every(int k) {
      if (k < 1) {
        throw new IllegalArgumentException("score every >= 1 iterations, got " + k);
      }
      return new TestMonitor(fold, classes, k, false);
    }

    /** Seconds spent scoring so far (which a run subtracts from its own). */
    double seconds() {
      return seconds;
    }

    /**
     * Caches {@code data.test()} (which must be present).
     *
     * @param every score iterations {@code 0, every, 2 every, ...} and the last one
     */
    public static TestMonitor cache(TrainingData data, Settings settings, int every) {
      if (every < 1) {
        throw new IllegalArgumentException("score every >= 1 iterations, got " + every);
      }
      JavaRDD<RowBlock> blocks = Blockifier.blockify(data.test().orElseThrow(() ->
              new IllegalArgumentException("scoring iterates needs test data (data.testPath)")),
          data.numFeatures(), settings.maxBlockSizeMb(), settings.partitions());
      return new TestMonitor(RddBlockFold.cache(blocks, settings.aggregationDepth()),
          data.labels().kind() != dev.sparknewton.data.LabelKind.REAL, every, true);
    }

    boolean due(SolverState s) {
      return s.iteration() % every == 0 || s.termination().isPresent();
    }

    /** Scores {@code theta} in one pass over the test blocks, outside the caller's job group. */
    IterationRecord.Prediction score(SparkContext sc, Model model, double[] theta) {
      long start = System.nanoTime();
      try {
        return outsideJobGroup(sc, "test scores", () -> {
          try (Shared<double[]> p = fold.share(theta.clone())) {
            PredictionAggregator a =
                fold.aggregate("test scores", new PredictionAggregator(p, model));
            return new IterationRecord.Prediction(
                classes ? a.accuracy() : Double.NaN, a.meanLoss());
          }
        });
      } finally {
        seconds += (System.nanoTime() - start) / 1e9;
      }
    }

    @Override
    public void close() {
      if (owner) {
        fold.close();
      }
    }
  }

  /**
   * Trains on {@code data.train()} from {@code w = 0}: blockifies and caches the data, runs the
   * solver, and releases the cache. Jobs, tasks, bytes and seconds count from the input DataFrame.
   *
   * @param progress receives each iteration as it completes (e.g. to print a progress line)
   */
  public static TrainingSummary fit(
      SparkSession spark, TrainingData data, Settings settings, Solver solver,
      Consumer<IterationRecord> progress) {
    return fit(spark, data, settings, solver, progress, Checkpointing.none());
  }

  /**
   * As {@link #fit(SparkSession, TrainingData, Settings, Solver, Consumer)}, with checkpoints
   * of the optimizer as {@code checkpointing} says; when it resumes, the records of the
   * iterations before the checkpoint are not passed to {@code progress} again.
   *
   * @throws IllegalArgumentException when the checkpoint to resume from was written for other
   *     data or settings
   */
  public static TrainingSummary fit(
      SparkSession spark, TrainingData data, Settings settings, Solver solver,
      Consumer<IterationRecord> progress, Checkpointing checkpointing) {
    return fit(spark, data, settings, solver, progress, checkpointing, Optional.empty());
  }

  /**
   * As {@link #fit(SparkSession, TrainingData, Settings, Solver, Consumer, Checkpointing)}, and,
   * when {@code standardErrors} is present, the coefficient standard errors at the fitted model
   * ({@link CoefficientInference}) on the same cached blocks before they are released, in
   * {@link TrainingSummary#standardErrors()}. Their passes run outside the run's job group (they
   * count neither as its passes nor as its jobs, and not in its seconds); a run whose solver
   * failed gets a result without a table that says why.
   *
   * @throws IllegalArgumentException before any Spark job, when the table cannot be computed for
   *     this model (a network or multinomial model; the exact method beyond its budget)
   */
  public static TrainingSummary fit(
      SparkSession spark, TrainingData data, Settings settings, Solver solver,
      Consumer<IterationRecord> progress, Checkpointing checkpointing,
      Optional<InferenceConfig> standardErrors) {
    Optional<LinearModel> inferred = standardErrors.map(config -> {
      if (settings.network().isPresent()) {
        throw new IllegalArgumentException("coefficient standard errors are defined for linear "
            + "models (binary logistic regression, least squares), not for a " + type(data,
            settings).configName() + " network");
      }
      LinearModel m = linearModel(data, settings);
      CoefficientInference.check(m, config);
      return m;
    });
    return counted(spark, solver, (start, counter) -> {
      try (DistributedFold fold = cacheFold(spark, data, settings)) {
        TrainingSummary run = iterate(spark, fold, data, settings, solver, progress, start,
            counter, null, checkpointing);
        if (inferred.isEmpty()) {
          return run;
        }
        java.util.function.Supplier<InferenceResult> table =
            () -> standardErrors(fold, inferred.get(), standardErrors.get(), run);
        // Over Spark Connect nothing counts jobs: no group to step out of.
        return run.withStandardErrors(DistributedFolds.sparkContext(spark)
            .map(sc -> outsideJobGroup(sc, "standard errors", table)).orElseGet(table));
      }
    });
  }

  /** The table of {@code run}'s fitted model on {@code fold}, unless its solver failed. */
  private static InferenceResult standardErrors(BlockFold fold, LinearModel model,
      InferenceConfig config, TrainingSummary run) {
    if (run.termination().failed()) {
      return InferenceResult.failed("the solver failed (" + run.termination().description()
          + "), so there is no optimum to take the Hessian at", 0);
    }
    LinearModelFit fit = run.linear();
    return new CoefficientInference(model, fold, config)
        .at(model.parameters(fit.coefficientMatrix(), fit.intercepts()));
  }

  /**
   * Runs {@code body} in a job group of its own, named after {@code what}, and restores the
   * caller's group (or none) afterwards: jobs that a run's {@link PassCounter} must not count.
   */
  static <T> T outsideJobGroup(SparkContext sc, String what, java.util.function.Supplier<T> body) {
    String group = sc.getLocalProperty("spark.jobGroup.id");
    String description = sc.getLocalProperty("spark.job.description");
    sc.setJobGroup("spark-newton-" + what.replace(' ', '-') + "-" + UUID.randomUUID(), what,
        false);
    try {
      return body.get();
    } finally {
      if (group != null) {
        sc.setJobGroup(group, description == null ? "" : description, false);
      } else {
        sc.clearJobGroup();
      }
    }
  }

  /**
   * Trains from {@code w = 0} on blocks already cached by {@link #cacheFold} or
   * {@link #cacheBlocks} (and left cached,
   * for the caller to reuse and close); passes count from this call.
   */
  public static TrainingSummary fit(
      SparkSession spark, DistributedFold fold, TrainingData data, Settings settings,
      Solver solver, Consumer<IterationRecord> progress) {
    return fit(spark, fold, data, settings, solver, progress, null);
  }

  /**
   * As {@link #fit(SparkSession, DistributedFold, TrainingData, Settings, Solver, Consumer)}, with
   * the iterates scored on {@code monitor}'s held-out rows (null: not scored).
   */
  public static TrainingSummary fit(
      SparkSession spark, DistributedFold fold, TrainingData data, Settings settings,
      Solver solver, Consumer<IterationRecord> progress, TestMonitor monitor) {
    return counted(spark, solver, (start, counter) -> iterate(spark, fold, data, settings, solver,
        progress, start, counter, monitor, Checkpointing.none()));
  }

  /**
   * A training body: from its start time and the counter of its job group, its summary, whose
   * jobs, tasks and bytes are added to the counter's.
   */
  private interface CountedBody {
    TrainingSummary run(long startNanos, PassCounter counter);
  }

  /**
   * Runs {@code body} in a job group of its own and adds the group's job counts to its summary.
   * The group's counts are readable during the run, settled after each iteration's jobs
   * ({@link PassCounter#settledBytesSent}). On a session without a SparkContext (Spark Connect)
   * the body runs with no counter (null) and the summary counts passes only.
   */
  private static TrainingSummary counted(SparkSession spark, Solver solver, CountedBody body) {
    Optional<SparkContext> context = DistributedFolds.sparkContext(spark);
    if (context.isEmpty()) {
      // Spark Connect: no listener bus on the client, so no job, task or byte counts; the fold
      // still counts the passes.
      return body.run(System.nanoTime(), null);
    }
    SparkContext sc = context.get();
    String group = "spark-newton-" + UUID.randomUUID();
    PassCounter counter = PassCounter.register(sc, group);
    sc.setJobGroup(group, "spark-newton " + solver.name(), false);
    try {
      TrainingSummary s = body.run(System.nanoTime(), counter);
      counter.awaitQuiet(5000);
      return s.withJobs(s.jobs() + counter.jobs(), s.tasks() + counter.tasks(),
          s.bytesSent() + counter.bytesSent(), counter.faults());
    } finally {
      sc.clearJobGroup();
      counter.unregister(sc);
    }
  }

  private static TrainingSummary iterate(SparkSession spark,
      DistributedFold fold, TrainingData data, Settings settings, Solver solver,
      Consumer<IterationRecord> progress, long start, PassCounter counter,
      TestMonitor monitor, Checkpointing checkpointing) {
    Model model = model(data, settings);
    SecondOrderObjective objective = objective(fold, model, settings);
    SparkContext sc = counter == null ? null : spark.sparkContext();
    // Checkpoints are the driver's state: on Spark Connect (no SparkContext) the client's own
    // Hadoop configuration reaches the file systems it writes them to, as for the output.
    RunCheckpoints checkpoints = RunCheckpoints.open(checkpointing,
        sc == null ? new org.apache.hadoop.conf.Configuration() : sc.hadoopConfiguration(),
        RunCheckpoints.fingerprint(checkpointing, fold.numRows(), data.numFeatures(),
            data.labels(), fold.numPartitions(), model.dimension(), solver.name()));
    List<IterationRecord> history = new ArrayList<>();
    SolverRun it;
    // The run's counts so far (a checkpoint's, or none), less what this process counted
    // before its first iteration: caching the blocks again and re-evaluating the iterate are the
    // restart's cost, not an iteration's.
    CheckpointCounts offset;
    Optional<Checkpoint> resumed = checkpoints.resumable();
    if (resumed.isPresent()) {
      Checkpoint c = resumed.get();
      fold.setPhase("resume at iter " + c.iteration());
      it = solver.resume(objective, c.snapshot());
      history.addAll(c.history());
      // No counter on Spark Connect: this process counts no jobs, tasks or bytes.
      long bytes = counter == null ? 0 : counter.settledBytesSent(sc, 10_000);
      offset = new CheckpointCounts(c.counts().passes() - fold.passes(),
          c.counts().jobs() - (counter == null ? 0 : counter.jobs()),
          c.counts().tasks() - (counter == null ? 0 : counter.tasks()),
          c.counts().bytesSent() - bytes, c.counts().seconds());
      fold.setPhase("iter " + (c.iteration() + 1));
    } else {
      offset = new CheckpointCounts(-fold.passes(), 0, 0, 0, 0.0);
      fold.setPhase("iter 0");
      it = solver.iterations(objective,
          model.initialPoint(settings.network().map(NetworkSpec::initSeed).orElse(0L)));
    }
    SolverState last = null;
    double scoring = monitor == null ? 0.0 : monitor.seconds();
    while (it.hasNext()) {
      SolverState s = it.next();
      // The run's seconds leave out the time spent scoring its iterates.
      double elapsed = offset.seconds() + seconds(start)
          - (monitor == null ? 0.0 : monitor.seconds() - scoring);
      IterationRecord r = IterationRecord.of(s, offset.passes() + fold.passes(),
          offset.bytesSent() + (counter == null ? 0 : counter.settledBytesSent(sc, 10_000)),
          elapsed);
      if (monitor != null && monitor.due(s)) {
        r = r.withTest(monitor.score(sc, model, s.point()));
      }
      history.add(r);
      progress.accept(r);
      if (checkpoints.due(s)) {
        checkpoints.write(new CheckpointCounts(r.passes(),
            offset.jobs() + (counter == null ? 0 : counter.jobs()),
            offset.tasks() + (counter == null ? 0 : counter.tasks()), r.bytesToDriver(),
            r.seconds()), history, it.snapshot());
      }
      last = s;
      fold.setPhase("iter " + (s.iteration() + 1));
    }
    if (last == null || last.termination().isEmpty()) {
      throw new IllegalStateException(solver.name() + " stopped without a termination reason");
    }
    ModelFit fit = fitOf(model, last.point(), data, settings);
    return new TrainingSummary(solver.name(), fold.numRows(), data.numFeatures(),
        model.dimension(), fit, last.value(),
        last.gradientNorm(), last.iteration(), offset.passes() + fold.passes(), offset.jobs(),
        offset.tasks(), offset.bytesSent(), FaultCounts.NONE, offset.seconds() + seconds(start)
            - (monitor == null ? 0.0 : monitor.seconds() - scoring),
        last.termination().get(), List.copyOf(history), Optional.empty(), Optional.empty());
  }

  /**
   * Blockifies {@code data.train()} as {@code settings} say and caches the blocks; the caller
   * closes the returned fold (which releases the cache).
   */
  public static RddBlockFold cacheBlocks(TrainingData data, Settings settings) {
    JavaRDD<RowBlock> blocks = Blockifier.blockify(
        data.train(), data.numFeatures(), settings.maxBlockSizeMb(), settings.partitions());
    return RddBlockFold.cache(blocks, settings.aggregationDepth());
  }

  /**
   * Blockifies and caches {@code data.train()} in the fold {@code settings.fold()} names
   * ({@code auto}: the RDD fold when {@code spark} has a SparkContext, the Dataset fold on a
   * Spark Connect session; {@code driver}: the cached blocks collected to the driver when they fit
   * its budget {@code solver.driverCurvatureMb}, a one-line refusal otherwise); the caller closes
   * it.
   */
  public static DistributedFold cacheFold(SparkSession spark, TrainingData data,
      Settings settings) {
    FoldChoice choice = DistributedFolds.resolve(settings.fold(), spark);
    if (choice == FoldChoice.RDD) {
      return cacheBlocks(data, settings);
    }
    if (choice == FoldChoice.DRIVER) {
      return DriverBlockFold.collect(cacheBlocks(data, settings), settings.driverCurvatureBytes(),
          "solver.driverCurvatureMb");
    }
    return DatasetBlockFold.blockify(data.train(), data.numFeatures(), settings.maxBlockSizeMb(),
        settings.partitions(), settings.aggregationDepth());
  }

  /** The type of the model {@link #fit} trains: configured for networks, else from the labels. */
  public static ModelType type(TrainingData data, Settings settings) {
    return settings.network().map(NetworkSpec::type).orElseGet(() -> ModelType.of(data.labels()));
  }

  /**
   * The model {@link #fit} trains on {@code data}: the configured network, or the linear model
   * whose type follows from the labels.
   */
  public static Model model(TrainingData data, Settings settings) {
    if (settings.network().isPresent()) {
      return Networks.build(settings.network().get(), data.numFeatures(), data.labels());
    }
    return linearModel(data, settings);
  }

  /** The linear model of {@code data}'s labels; refuses a network configuration. */
  public static LinearModel linearModel(TrainingData data, Settings settings) {
    if (settings.network().isPresent()) {
      throw new IllegalArgumentException("this needs a linear model, not model.type = "
          + settings.network().get().type().configName());
    }
    return ModelType.of(data.labels())
        .linearModel(data.numFeatures(), settings.fitIntercept(), data.labels());
  }

  /**
   * The objective that {@link #fit} minimizes, over {@code fold}: the data term of {@code model}
   * and {@code (lambda / 2)} times the squared norm of its penalized coordinates (every
   * coefficient or weight, no intercept or bias), in the model's parameter layout; its curvature
   * products multiply by {@code settings.curvature()}.
   */
  public static SecondOrderObjective objective(BlockFold fold, Model model, Settings settings) {
    ModelObjective data = new ModelObjective(model, fold, settings.driverCurvatureBytes(),
        settings.curvatureCacheBytes(), settings.curvature(), settings.overBudget());
    return new L2Regularized(data, settings.regParam(), model.penalized());
  }

  /** The fitted model at {@code theta}. */
  static ModelFit fitOf(Model model, double[] theta, TrainingData data, Settings settings) {
    ModelType type = type(data, settings);
    if (type.network()) {
      return new NetworkFit(type, model, theta, data.numFeatures(), data.labels(),
          data.featureNames());
    }
    LinearModel linear = (LinearModel) model;
    double[] intercepts = linear.intercepts(theta);
    if (type == ModelType.MULTINOMIAL_LOGISTIC && settings.fitIntercept()) {
      // softmax(z + t 1) = softmax(z): the unpenalized intercepts are fixed only up to a common
      // shift, so report the centered ones (sum b_k = 0), as Spark MLlib does.
      double mean = Arrays.stream(intercepts).sum() / intercepts.length;
      for (int k = 0; k < intercepts.length; k++) {
        intercepts[k] -= mean;
      }
    }
    return new LinearModelFit(type, linear.coefficients(theta), intercepts, data.labels(),
        data.featureNames());
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
