package dev.sparknewton.ml;

import dev.sparknewton.data.Blockifier;
import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.TrainingData;
import dev.sparknewton.distributed.PassCounter;
import dev.sparknewton.distributed.RddBlockFold;
import dev.sparknewton.models.LinearModel;
import dev.sparknewton.objective.BlockFold;
import dev.sparknewton.objective.L2Regularized;
import dev.sparknewton.objective.ModelObjective;
import dev.sparknewton.objective.SecondOrderObjective;
import dev.sparknewton.solvers.Solver;
import dev.sparknewton.solvers.SolverState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;

/**
 * Fits an L2-regularized linear model ({@link ModelType}: binary or multinomial logistic
 * regression, least squares; the type follows from the labels of the data) with any
 * {@link Solver} over the cached row blocks of the training data: blockify, cache, run the
 * solver's iterations while counting passes and time, release the cache.
 */
public final class ModelTraining {

  /**
   * @param regParam lambda {@code >= 0}
   * @param partitions partitions of the cached blocks; 0 keeps the input's
   * @param driverCurvatureBytes curvature samples up to this size are collected to the driver
   * @param curvatureCacheBytes per-JVM budget for keeping each point's per-row curvature state
   *     between the passes of an iteration (0: recompute it in every product)
   */
  public record Settings(
      double regParam, boolean fitIntercept, int partitions, int aggregationDepth,
      double maxBlockSizeMb, long driverCurvatureBytes, long curvatureCacheBytes) {
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
      if (driverCurvatureBytes < 0 || curvatureCacheBytes < 0) {
        throw new IllegalArgumentException("memory budgets must be >= 0, got "
            + driverCurvatureBytes + " and " + curvatureCacheBytes);
      }
    }
  }

  private ModelTraining() {}

  /**
   * Trains on {@code data.train()} from {@code w = 0}: blockifies and caches the data, runs the
   * solver, and releases the cache. Jobs, tasks, bytes and seconds count from the input DataFrame.
   *
   * @param progress receives each iteration as it completes (e.g. to print a progress line)
   */
  public static TrainingSummary fit(
      SparkSession spark, TrainingData data, Settings settings, Solver solver,
      Consumer<IterationRecord> progress) {
    return counted(spark, solver, (start, bytes) -> {
      try (RddBlockFold fold = cacheBlocks(data, settings)) {
        return iterate(fold, data, settings, solver, progress, start, bytes);
      }
    });
  }

  /**
   * Trains from {@code w = 0} on blocks already cached by {@link #cacheBlocks} (and left cached,
   * for the caller to reuse and close); passes count from this call.
   */
  public static TrainingSummary fit(
      SparkSession spark, RddBlockFold fold, TrainingData data, Settings settings, Solver solver,
      Consumer<IterationRecord> progress) {
    return counted(spark, solver,
        (start, bytes) -> iterate(fold, data, settings, solver, progress, start, bytes));
  }

  /** A training body: from its start time and a reader of the bytes sent so far, its summary. */
  private interface CountedBody {
    TrainingSummary run(long startNanos, LongSupplier bytesSent);
  }

  /**
   * Runs {@code body} in a job group of its own and adds the group's job counts to its summary.
   * The group's bytes are readable during the run, settled after each iteration's jobs.
   */
  private static TrainingSummary counted(SparkSession spark, Solver solver, CountedBody body) {
    SparkContext sc = spark.sparkContext();
    String group = "spark-newton-" + UUID.randomUUID();
    PassCounter counter = PassCounter.register(sc, group);
    sc.setJobGroup(group, "spark-newton " + solver.name(), false);
    try {
      TrainingSummary s = body.run(System.nanoTime(), () -> counter.settledBytesSent(sc, 10_000));
      counter.awaitQuiet(5000);
      return s.withJobs(counter.jobs(), counter.tasks(), counter.bytesSent());
    } finally {
      sc.clearJobGroup();
      counter.unregister(sc);
    }
  }

  private static TrainingSummary iterate(
      RddBlockFold fold, TrainingData data, Settings settings, Solver solver,
      Consumer<IterationRecord> progress, long start, LongSupplier bytesSent) {
    LinearModel model = model(data, settings);
    ModelType type = ModelType.of(data.labels());
    long before = fold.passes();
    SecondOrderObjective objective = objective(fold, model, settings);
    List<IterationRecord> history = new ArrayList<>();
    fold.setPhase("iter 0");
    Iterator<SolverState> it = solver.iterations(objective, new double[objective.dimension()]);
    SolverState last = null;
    while (it.hasNext()) {
      SolverState s = it.next();
      IterationRecord r = IterationRecord.of(
          s, fold.passes() - before, bytesSent.getAsLong(), seconds(start));
      history.add(r);
      progress.accept(r);
      last = s;
      fold.setPhase("iter " + (s.iteration() + 1));
    }
    if (last == null || last.termination().isEmpty()) {
      throw new IllegalStateException(solver.name() + " stopped without a termination reason");
    }
    double[] theta = last.point();
    double[] intercepts = model.intercepts(theta);
    if (type == ModelType.MULTINOMIAL_LOGISTIC && settings.fitIntercept()) {
      // softmax(z + t 1) = softmax(z): the unpenalized intercepts are fixed only up to a common
      // shift, so report the centered ones (sum b_k = 0), as Spark MLlib does.
      double mean = Arrays.stream(intercepts).sum() / intercepts.length;
      for (int k = 0; k < intercepts.length; k++) {
        intercepts[k] -= mean;
      }
    }
    LinearModelFit fit = new LinearModelFit(type, model.coefficients(theta), intercepts,
        data.labels(), data.featureNames());
    return new TrainingSummary(solver.name(), fold.numRows(), data.numFeatures(),
        model.dimension(), fit, last.value(),
        last.gradientNorm(), last.iteration(), fold.passes() - before, 0, 0, 0, seconds(start),
        last.termination().get(), List.copyOf(history), java.util.Optional.empty());
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

  /** The linear model {@link #fit} trains on {@code data}: its type follows from the labels. */
  public static LinearModel model(TrainingData data, Settings settings) {
    return ModelType.of(data.labels())
        .linearModel(data.numFeatures(), settings.fitIntercept(), data.labels());
  }

  /**
   * The objective that {@link #fit} minimizes, over {@code fold}: the data term of {@code model}
   * and {@code (lambda / 2)} times the squared norm of its penalized coordinates (every
   * coefficient, no intercept), in the model's parameter layout.
   */
  public static SecondOrderObjective objective(BlockFold fold, LinearModel model, Settings settings) {
    ModelObjective data = new ModelObjective(
        model, fold, settings.driverCurvatureBytes(), settings.curvatureCacheBytes());
    return new L2Regularized(data, settings.regParam(), model.penalized());
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
