package dev.sparknewton.objective;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.models.Curvature;
import dev.sparknewton.models.CurvatureAggregator;
import dev.sparknewton.models.LineValuesAggregator;
import dev.sparknewton.models.Model;
import dev.sparknewton.models.OffsetValuesAggregator;
import dev.sparknewton.models.PointStates;
import dev.sparknewton.models.Shared;
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
 * product on it runs on the driver with no pass at all. The per-row curvature state computed by
 * the evaluation pass is kept next to the blocks ({@link PointStates}, within
 * {@code curvatureCacheBytes} per JVM) and reused by the products at the same point.
 */
public final class ModelObjective implements SecondOrderObjective {
  private final Model model;
  private final BlockFold fold;
  private final long driverCurvatureBytes;
  private final long curvatureCacheBytes;
  private final Curvature curvature;

  /** The {@link Curvature#GAUSS_NEWTON} curvature (the Hessian for linear models). */
  public ModelObjective(
      Model model, BlockFold fold, long driverCurvatureBytes, long curvatureCacheBytes) {
    this(model, fold, driverCurvatureBytes, curvatureCacheBytes, Curvature.GAUSS_NEWTON);
  }

  /**
   * @param driverCurvatureBytes a curvature sample whose estimated size is at most this is
   *     collected to the driver (0: never; products then stay distributed)
   * @param curvatureCacheBytes the per-JVM budget for keeping the curvature state of the
   *     evaluated point between passes (0: recompute it in every product)
   * @param curvature the matrix that curvature products multiply by; the dense matrix is always
   *     the Gauss-Newton one
   */
  public ModelObjective(Model model, BlockFold fold, long driverCurvatureBytes,
      long curvatureCacheBytes, Curvature curvature) {
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

  private ColumnMatrix normalized(CurvatureAggregator c, int r) {
    ColumnMatrix m = c.sum(dimension(), r);
    if (c.weightSum() > 0.0) {
      Vectors.scale(1.0 / c.weightSum(), m.data());
    }
    return m;
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
      try (Shared<double[]> theta = fold.share(point());
          Shared<ColumnMatrix> d = fold.share(offsets.copy())) {
        OffsetValuesAggregator agg = fold.aggregate(
            "loss at " + offsets.cols() + " points", new OffsetValuesAggregator(theta, d, model));
        double[] values = agg.lossSums(offsets.cols());
        Vectors.scale(1.0 / agg.weightSum(), values);
        return values;
      }
    }

    @Override
    public double[] valuesAlong(double[] direction, double[] steps) {
      checkDimension(direction.length, "direction");
      try (Shared<double[]> theta = fold.share(point());
          Shared<double[]> dir = fold.share(direction.clone())) {
        LineValuesAggregator agg = fold.aggregate(
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
        if (fitsDriver()) {
          rows = new LocalBlockFold(fold.collect("collect curvature sample (" + sample + ")", sample));
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

    @Override
    public int dimension() {
      return ModelObjective.this.dimension();
    }

    /** False when the sample fits the driver budget: after one collecting pass, none. */
    @Override
    public boolean productsArePasses() {
      return rows != null ? rows == fold : !fitsDriver();
    }

    /** The sample's estimated size is within the driver budget. */
    private boolean fitsDriver() {
      return (long) Math.ceil(fold.sizeInBytes() * sample.fraction()) <= driverCurvatureBytes;
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
