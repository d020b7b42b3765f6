package dev.sparknewton.objective;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.models.Curvature;
import dev.sparknewton.models.CurvatureAggregator;
import dev.sparknewton.models.LineValuesAggregator;
import dev.sparknewton.models.LinearModel;
import dev.sparknewton.models.Model;
import dev.sparknewton.models.OffsetValuesAggregator;
import dev.sparknewton.models.PointStates;
import dev.sparknewton.models.Shared;
import dev.sparknewton.models.SoftmaxCrossEntropy;
import dev.sparknewton.models.ValueGradientAggregator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The data term of a {@link Model} over the row blocks of a {@link BlockFold},
 *
 * <pre>  f(theta) = (1 / sum_i c_i) sum_i c_i l(f_theta(x_i); y_i)</pre>
 *
 * with {@code c_i} the instance weights; regularization is added by {@link L2Regularized} with
 * the model's {@link Model#penalized()} mask. Its curvature is the Gauss-Newton matrix
 * {@code (1 / sum c_i) sum c_i J_i^T H_l J_i}, the exact Hessian for the linear models, or, when
 * constructed so, the exact Hessian of any model ({@link Curvature}).
 *
 * <p>Each method of its evaluations is one {@link BlockFold#aggregate} (one pass), except that
 * (1) whatever the {@link EvaluationRequest} asks for is computed in the evaluation's own pass,
 * and (2) a curvature sample small enough is collected to the driver once, after which every
 * product on it runs on the driver with no pass at all. The collected rows are kept for the next
 * evaluation that asks for the same rows ({@link RowSample#equals}: a sample of all rows, or the
 * same fraction and seed), so a fixed sample (all rows, the default) costs one collecting pass
 * per fit, not one per iteration; only the rows' curvature state is recomputed at each point.
 * While the held rows are every row, losses along a line or at offsets ({@code valuesAlong},
 * {@code valuesAt}) are summed over them on the driver, with no pass (the same rows, a different
 * order of summation: equal to rounding). A sample larger than the driver budget is drawn down
 * to a seeded sub-sample that fits ({@link DriverSampleBudget}), or stays distributed; the rows
 * held on the driver never exceed the budget. The per-row curvature state computed by the
 * evaluation pass is kept next to the blocks ({@link PointStates}, within
 * {@code curvatureCacheBytes} per JVM) and reused by the products at the same point.
 */
public final class ModelObjective implements SecondOrderObjective {
  private static final org.apache.logging.log4j.Logger LOG =
      org.apache.logging.log4j.LogManager.getLogger(ModelObjective.class);
  private final Model model;
  private final BlockFold fold;
  private final long driverCurvatureBytes;
  private final long curvatureCacheBytes;
  private final Curvature curvature;
  private final boolean sampleDown;
  private DriverSampleBudget sampleBudget;
  private String lastNote;
  /** The sample whose rows {@link #heldRows} holds on the driver, or null. */
  private RowSample heldSample;
  /** The driver-held rows of {@link #heldSample}, within the budget; one sample at a time. */
  private LocalBlockFold heldRows;
  /** Whether {@link #heldRows} is every row of the data (all rows asked for, none cut). */
  private boolean heldAllRows;

  /**
   * The {@link Curvature#GAUSS_NEWTON} curvature (the Hessian for linear models); a sample over
   * the budget stays distributed.
   */
  public ModelObjective(
      Model model, BlockFold fold, long driverCurvatureBytes, long curvatureCacheBytes) {
    this(model, fold, driverCurvatureBytes, curvatureCacheBytes, Curvature.GAUSS_NEWTON);
  }

  /**
   * @param driverCurvatureBytes a curvature sample, or a smaller sample drawn from it, whose size
   *     is at most this is collected to the driver (0: never; products then stay distributed);
   *     the collected bytes never exceed it
   * @param curvatureCacheBytes the per-JVM budget for keeping the curvature state of the
   *     evaluated point between passes (0: recompute it in every product)
   * @param curvature the matrix that curvature products multiply by; the dense matrix is always
   *     the Gauss-Newton one
   */
  public ModelObjective(Model model, BlockFold fold, long driverCurvatureBytes,
      long curvatureCacheBytes, Curvature curvature) {
    this(model, fold, driverCurvatureBytes, curvatureCacheBytes, curvature,
        OverBudgetCurvature.DISTRIBUTED);
  }

  /**
   * @param overBudget what a curvature sample larger than {@code driverCurvatureBytes} becomes:
   *     a smaller sample of the same seed that fits, collected (one pass per sample, then none
   *     per product), or distributed products (one pass each)
   */
  public ModelObjective(Model model, BlockFold fold, long driverCurvatureBytes,
      long curvatureCacheBytes, Curvature curvature, OverBudgetCurvature overBudget) {
    this.sampleDown = overBudget == OverBudgetCurvature.SAMPLE;
    this.curvature = curvature;
    this.model = model;
    this.fold = fold;
    this.driverCurvatureBytes = driverCurvatureBytes;
    this.curvatureCacheBytes = curvatureCacheBytes;
  }

  @Override
  public int dimension() {
    return model.dimension();
  }

  /** The loss's lower bound: {@code f} is a weighted mean of losses with non-negative weights. */
  @Override
  public double lowerBound() {
    return model.loss().lowerBound();
  }

  /** A linear model under the softmax loss: its classes' coefficients of each feature. */
  @Override
  public Optional<ClassSumGroups> classSumGroups() {
    if (model instanceof LinearModel linear && model.loss() instanceof SoftmaxCrossEntropy
        && model.numOutputs() >= 2) {
      int rows = linear.numFeatures() + (linear.intercept() ? 1 : 0);
      return Optional.of(new ClassSumGroups(rows, model.numOutputs(), rows, null));
    }
    return Optional.empty();
  }

  public Model model() {
    return model;
  }

  public Curvature curvatureKind() {
    return curvature;
  }

  /** False for the exact Hessian of a model not linear in its parameters. */
  @Override
  public boolean diagonalIsCurvature() {
    return curvature == Curvature.GAUSS_NEWTON || model.linearInParameters();
  }

  @Override
  public Evaluation evaluate(double[] w, EvaluationRequest request) {
    checkDimension(w.length, "point");
    double[] point = w.clone();
    RowSample rows = request.gradientSample();
    PointStates states = rows.isAll() ? PointStates.fresh(curvatureCacheBytes) : PointStates.none();
    try (Shared<double[]> theta = fold.share(point);
        Shared<ColumnMatrix> omega = request.blockDirections().map(fold::share).orElse(null)) {
      List<CurvatureAggregator> fused = new ArrayList<>();
      String pass = (rows.isAll() ? "gradient" : "gradient (" + rows + ")")
          + (request.diagonal() ? " + diagonal" : "")
          + (request.gradientSquares() ? " + squares" : "");
      if (request.denseHessianSample().isPresent()) {
        RowSample s = request.denseHessianSample().get();
        fused.add(CurvatureAggregator.denseMatrix(theta, model, s, states));
        pass += " + dense Hessian (" + s + ")";
      }
      if (omega != null) {
        RowSample s = request.blockSample().orElseThrow();
        fused.add(CurvatureAggregator.blockProduct(theta, omega, model, s, states, curvature));
        pass += " + H*V r=" + omega.get().cols() + " (" + s + ")";
      }
      ValueGradientAggregator agg = fold.aggregate(pass, new ValueGradientAggregator(theta, model,
          request.diagonal(), request.gradientSquares(), rows, fused, states));
      if (!(agg.weightSum() > 0.0)) {
        // Bad input (all weights 0, e.g. in the training part of a split) or a sample too small
        // for the data: a one-line refusal, not a numerical outcome.
        throw new IllegalArgumentException(rows.isAll()
            ? "the training data have no rows with positive weight"
            : "the row sample " + rows + " has no rows with positive weight; raise the sample"
                + " fraction (solver.batchFraction, solver.gradientSampleFraction or"
                + " solver.hessianSampleFraction)");
      }
      double scale = 1.0 / agg.weightSum();
      double[] gradient = agg.gradientSum(dimension());
      Vectors.scale(scale, gradient);
      Optional<double[]> diagonal = agg.diagonalSum(dimension());
      diagonal.ifPresent(dg -> Vectors.scale(scale, dg));
      Optional<double[]> squares = agg.squaresSum(dimension());
      squares.ifPresent(sq -> Vectors.scale(scale, sq));
      ColumnMatrix dense = null;
      ColumnMatrix block = null;
      int f = 0;
      if (request.denseHessianSample().isPresent()) {
        dense = normalized(agg.fused().get(f++), dimension());
      }
      if (omega != null) {
        block = normalized(agg.fused().get(f), omega.get().cols());
      }
      return new ModelEvaluation(point, agg.lossSum() * scale, gradient, diagonal, squares,
          request, states, dense, block);
    }
  }

  /**
   * Where the products on {@code requested} run: the sample to collect to the driver, or empty
   * to keep every product a pass over the cached blocks. With budget 0, empty. A sample of every
   * row that fits (its size is known exactly), or a smaller one whose size at twice its estimate
   * ({@code fraction * sizeInBytes}) fits, is collected as requested. Otherwise the per-row sizes
   * ({@link RowBytesAggregator}, one pass, once per objective) bound the sample's bytes
   * ({@link DriverSampleBudget}): the requested sample when its bound fits; else, when
   * {@code sampleDown}, a smaller sample of the same seed (a subset of the requested rows) at
   * the largest fraction whose bound fits; else, or when the budget cannot hold one block,
   * empty. A request of all rows that does not fit, without {@code sampleDown}, is empty at once
   * (no pass for the row sizes). Each decision that departs from the request is logged.
   */
  private Optional<RowSample> placement(RowSample requested) {
    if (driverCurvatureBytes == 0) {
      return Optional.empty();
    }
    double f = requested.fraction();
    long size = fold.sizeInBytes();
    if (requested.isAll() ? size <= driverCurvatureBytes : 2.0 * f * size <= driverCurvatureBytes) {
      return Optional.of(requested);
    }
    if (requested.isAll() && !sampleDown) {
      // All rows, exactly sizeInBytes: nothing to draw down to, so no pass for the row sizes.
      note(String.format("curvature sample of all rows (%s) exceeds the driver budget"
          + " solver.driverCurvatureMb = %s: every Hessian product stays distributed"
          + " (solver.curvatureOverBudget = distributed)", megabytes(size),
          megabytes(driverCurvatureBytes)));
      return Optional.empty();
    }
    DriverSampleBudget budget = sampleBudget();
    double used = budget.fractionWithin(f);
    if (used == f) {
      return Optional.of(requested);
    }
    String asked = String.format("curvature sample of %s (about %s) exceeds the driver budget"
        + " solver.driverCurvatureMb = %s", percent(f), megabytes(budget.expectedBytes(f)),
        megabytes(driverCurvatureBytes));
    if (budget.belowOneBlock()) {
      note(asked + String.format(": the budget is below one block (%s), so every Hessian product"
          + " stays distributed", megabytes(budget.largestBlockBytes())));
      return Optional.empty();
    }
    if (used == 0.0 || !sampleDown) {
      note(asked + ": every Hessian product stays distributed"
          + (sampleDown ? " (no sample of at least " + percent(DriverSampleBudget.SMALLEST_FRACTION)
              + " fits)" : " (solver.curvatureOverBudget = distributed)"));
      return Optional.empty();
    }
    note(asked + String.format(": sampling down to %s of rows (about %s, at most %s with"
        + " probability 1 - 3e-5), collected once per iteration", percent(used),
        megabytes(budget.expectedBytes(used)), megabytes(budget.boundBytes(used))));
    return Optional.of(RowSample.of(used, requested.seed()));
  }

  /**
   * {@code collected}, the blocks of {@code sample}, cut down on the driver while their bytes
   * exceed the budget (the bound of {@link DriverSampleBudget} fails with probability about
   * 3e-5): to the next fraction of the grid at or below {@code budget / bytes} of the current
   * one, with the same seed, which keeps the rows a fresh draw at that fraction would keep.
   */
  private List<RowBlock> withinBudget(List<RowBlock> collected, RowSample sample) {
    List<RowBlock> blocks = collected;
    RowSample current = sample;
    long bytes = bytesOf(blocks);
    while (bytes > driverCurvatureBytes) {
      double f = DriverSampleBudget.gridBelow(
          Math.min(current.fraction(), current.fraction() * driverCurvatureBytes / bytes * 1.0001));
      RowSample smaller = RowSample.of(Math.max(f, DriverSampleBudget.SMALLEST_FRACTION),
          current.seed());
      List<RowBlock> cut = new ArrayList<>(blocks.size());
      for (RowBlock b : blocks) {
        RowBlock kept = smaller.apply(b);
        if (kept.numRows() > 0) {
          cut.add(kept);
        }
      }
      LOG.info("the collected curvature sample ({}, {}) exceeds solver.driverCurvatureMb = {}:"
          + " cut down on the driver to {} of rows ({})", current, megabytes(bytes),
          megabytes(driverCurvatureBytes), percent(smaller.fraction()), megabytes(bytesOf(cut)));
      blocks = cut;
      current = smaller;
      bytes = bytesOf(cut);
    }
    LOG.debug("curvature sample on the driver: {} of rows, {}", percent(current.fraction()),
        megabytes(bytes));
    return blocks;
  }

  /**
   * The rows of {@code sample} on the driver: the held rows when they are the same sample, else
   * collected (one pass) after the held rows are released, so that the driver never holds two
   * samples for this objective.
   */
  private LocalBlockFold driverRows(RowSample sample) {
    if (!sample.equals(heldSample)) {
      heldSample = null;
      heldRows = null;
      heldAllRows = false;
      List<RowBlock> collected =
          fold.collect("collect curvature sample (" + sample + ")", sample);
      List<RowBlock> kept = withinBudget(collected, sample);
      heldRows = LocalBlockFold.coalesced(kept);
      heldAllRows = sample.isAll() && kept == collected;
      heldSample = sample;
    }
    return heldRows;
  }

  /**
   * Where losses over all rows are summed: the driver-held rows when they are every row (a
   * curvature sample of all rows that fit the budget, collected by an earlier product), with no
   * pass; else a pass over the cached blocks.
   */
  private BlockFold allRows() {
    return heldAllRows ? heldRows : fold;
  }

  private static long bytesOf(List<RowBlock> blocks) {
    long bytes = 0;
    for (RowBlock b : blocks) {
      bytes += b.sizeInBytes();
    }
    return bytes;
  }

  /** The per-row sizes of the blocks as a budget rule: one pass, the first time. */
  private DriverSampleBudget sampleBudget() {
    if (sampleBudget == null) {
      sampleBudget = fold.aggregate("row sizes for the driver curvature budget",
          new RowBytesAggregator()).budget(driverCurvatureBytes);
    }
    return sampleBudget;
  }

  /** Logs {@code message} at INFO the first time, at DEBUG when repeated (once an iteration). */
  private void note(String message) {
    if (message.equals(lastNote)) {
      LOG.debug(message);
    } else {
      LOG.info(message);
      lastNote = message;
    }
  }

  private static String percent(double f) {
    return String.format("%.4g%%", 100 * f);
  }

  private static String megabytes(double bytes) {
    return String.format("%.3g MB", bytes / (1 << 20));
  }

  private ColumnMatrix normalized(CurvatureAggregator c, int r) {
    ColumnMatrix m = c.sum(dimension(), r);
    if (c.weightSum() > 0.0) {
      Vectors.scale(1.0 / c.weightSum(), m.data());
    }
    return m;
  }

  /**
   * One pass of {@code f}: the unnormalized losses of the rows of {@code rows} at
   * {@code point + d_j} for every column of {@code offsets}.
   */
  private OffsetValuesAggregator offsetLosses(BlockFold f, String pass, double[] point,
      ColumnMatrix offsets, RowSample rows) {
    try (Shared<double[]> theta = f.share(point);
        Shared<ColumnMatrix> d = f.share(offsets.copy())) {
      return f.aggregate(pass, new OffsetValuesAggregator(theta, d, model, rows));
    }
  }

  private void checkDimension(int length, String what) {
    if (length != dimension()) {
      throw new IllegalArgumentException(
          what + " has " + length + " entries, the objective has dimension " + dimension());
    }
  }

  private final class ModelEvaluation extends PointEvaluation {
    private final EvaluationRequest request;
    private final PointStates states;
    private final ColumnMatrix fusedDense;
    private final ColumnMatrix fusedBlock;

    ModelEvaluation(double[] point, double value, double[] gradient, Optional<double[]> diagonal,
        Optional<double[]> squares, EvaluationRequest request, PointStates states,
        ColumnMatrix fusedDense, ColumnMatrix fusedBlock) {
      super(point, value, gradient, diagonal, squares);
      this.request = request;
      this.states = states;
      this.fusedDense = fusedDense;
      this.fusedBlock = fusedBlock;
    }

    @Override
    public CurvatureOperator curvature(RowSample sample) {
      return new SampledCurvature(this, sample);
    }

    @Override
    public double[] valuesAt(ColumnMatrix offsets) {
      checkDimension(offsets.rows(), "offsets");
      OffsetValuesAggregator agg = offsetLosses(allRows(), "loss at " + offsets.cols()
          + " points", point(), offsets, RowSample.all());
      double[] values = agg.lossSums(offsets.cols());
      Vectors.scale(1.0 / agg.weightSum(), values);
      return values;
    }

    @Override
    public double[] valuesAlong(double[] direction, double[] steps) {
      checkDimension(direction.length, "direction");
      BlockFold f = allRows();
      try (Shared<double[]> theta = f.share(point());
          Shared<double[]> dir = f.share(direction.clone())) {
        LineValuesAggregator agg = f.aggregate(
            "loss at " + steps.length + " step sizes",
            new LineValuesAggregator(theta, dir, steps, model));
        double[] values = agg.lossSums();
        Vectors.scale(1.0 / agg.weightSum(), values);
        return values;
      }
    }
  }

  /**
   * The curvature at a point on a sample. Products the evaluation pass already computed (the
   * same sample, and for a block product the same directions) are served from it; the first
   * other product collects the sample to the driver when it fits the budget (one pass), and every
   * product after that runs on the driver.
   */
  private final class SampledCurvature implements CurvatureOperator {
    private final ModelEvaluation evaluation;
    private final RowSample sample;
    private Optional<RowSample> driverSample;
    private BlockFold rows;
    private RowSample rowsSample;
    private PointStates rowsStates;

    SampledCurvature(ModelEvaluation evaluation, RowSample sample) {
      this.evaluation = evaluation;
      this.sample = sample;
    }

    /** The fold that holds the sampled rows, and what it still has to sample. */
    private BlockFold rows() {
      if (rows == null) {
        Optional<RowSample> driver = driverSample();
        if (driver.isPresent()) {
          RowSample s = driver.get();
          rows = driverRows(s);
          rowsSample = RowSample.all();
          // The collected blocks hold only the sampled rows: their states are their own.
          rowsStates = PointStates.fresh(curvatureCacheBytes);
        } else {
          rows = fold;
          rowsSample = sample;
          rowsStates = evaluation.states;
        }
      }
      return rows;
    }

    /** The sample to collect to the driver (decided once), or empty to keep products distributed. */
    private Optional<RowSample> driverSample() {
      if (driverSample == null) {
        driverSample = placement(sample);
      }
      return driverSample;
    }

    @Override
    public int dimension() {
      return ModelObjective.this.dimension();
    }

    /**
     * False when the sample, or a smaller one drawn from it, is held on the driver: after one
     * collecting pass, none.
     */
    @Override
    public boolean productsArePasses() {
      return rows != null ? rows == fold : driverSample().isEmpty();
    }

    @Override
    public double[] hessianVectorProduct(double[] v) {
      checkDimension(v.length, "vector");
      return hessianBlockProduct(ColumnMatrix.ofColumns(v)).data();
    }

    @Override
    public ColumnMatrix hessianBlockProduct(ColumnMatrix v) {
      checkDimension(v.rows(), "block");
      EvaluationRequest r = evaluation.request;
      if (evaluation.fusedBlock != null && sample.equals(r.blockSample().orElse(null))
          && v.sameEntries(r.blockDirections().get())) {
        return evaluation.fusedBlock.copy();
      }
      String pass = (v.cols() == 1 ? "Hv" : "H*V r=" + v.cols()) + " (" + sample + ")";
      BlockFold f = rows();
      try (Shared<double[]> theta = f.share(evaluation.point());
          Shared<ColumnMatrix> dirs = f.share(v)) {
        CurvatureAggregator agg = f.aggregate(pass,
            CurvatureAggregator.blockProduct(theta, dirs, model, rowsSample, rowsStates, curvature));
        return normalized(agg, v.cols());
      }
    }

    /**
     * The mean loss on the sample at {@code theta + d_j}, when the sample is held on the driver
     * (collected by an earlier product, or now: the collection is the pass a product would cost
     * first); empty when the products stay distributed or the sample has no weight.
     */
    @Override
    public Optional<double[]> sampleValuesAt(ColumnMatrix offsets) {
      checkDimension(offsets.rows(), "offsets");
      if (productsArePasses()) {
        return Optional.empty();
      }
      BlockFold f = rows();
      OffsetValuesAggregator agg = offsetLosses(f, "loss at " + offsets.cols() + " points ("
          + sample + ")", evaluation.point(), offsets, rowsSample);
      if (!(agg.weightSum() > 0.0)) {
        return Optional.empty(); // no sampled row: nothing to rank the points by
      }
      double[] values = agg.lossSums(offsets.cols());
      Vectors.scale(1.0 / agg.weightSum(), values);
      return Optional.of(values);
    }

    @Override
    public ColumnMatrix denseHessian() {
      if (curvature == Curvature.HESSIAN && !model.linearInParameters()) {
        throw new UnsupportedOperationException("the dense exact Hessian of " + model
            + " is not formed; use its products or the Gauss-Newton matrix");
      }
      EvaluationRequest r = evaluation.request;
      if (evaluation.fusedDense != null && sample.equals(r.denseHessianSample().orElse(null))) {
        return evaluation.fusedDense.copy();
      }
      BlockFold f = rows();
      try (Shared<double[]> theta = f.share(evaluation.point())) {
        CurvatureAggregator agg = f.aggregate("dense Hessian (" + sample + ")",
            CurvatureAggregator.denseMatrix(theta, model, rowsSample, rowsStates));
        return normalized(agg, dimension());
      }
    }
  }
}
