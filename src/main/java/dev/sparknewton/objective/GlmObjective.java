package dev.sparknewton.objective;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.models.CurvatureAggregator;
import dev.sparknewton.models.LineValuesAggregator;
import dev.sparknewton.models.MarginLoss;
import dev.sparknewton.models.Shared;
import dev.sparknewton.models.ValueGradientAggregator;
import java.util.Optional;

/**
 * The data term of a generalized linear model,
 *
 * <pre>  f(w) = (1 / sum_i c_i) sum_i c_i l(z_i . w)</pre>
 *
 * with {@code z_i = [x_i; 1]} when an intercept is fitted, {@code c_i} the instance weights and
 * {@code l} a {@link MarginLoss}; regularization is added by {@link L2Regularized}. Each method of
 * its evaluations is one {@link BlockFold#aggregate} (one pass), except when a curvature sample is
 * small enough to be collected to the driver: then one pass collects it and every later product
 * on it runs on the driver, with no pass at all.
 */
public final class GlmObjective implements SecondOrderObjective {
  private final MarginLoss loss;
  private final boolean intercept;
  private final int dimension;
  private final BlockFold fold;
  private final long driverCurvatureBytes;

  /**
   * @param numFeatures {@code d}; the dimension is {@code d + 1} with an intercept
   * @param driverCurvatureBytes a curvature sample whose estimated size is at most this is
   *     collected to the driver (0: never; products then stay distributed)
   */
  public GlmObjective(
      MarginLoss loss, boolean intercept, int numFeatures, BlockFold fold,
      long driverCurvatureBytes) {
    this.loss = loss;
    this.intercept = intercept;
    this.dimension = intercept ? numFeatures + 1 : numFeatures;
    this.fold = fold;
    this.driverCurvatureBytes = driverCurvatureBytes;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  public boolean intercept() {
    return intercept;
  }

  @Override
  public Evaluation evaluate(double[] w, EvaluationRequest request) {
    checkDimension(w.length, "point");
    double[] point = w.clone();
    try (Shared<double[]> coef = fold.share(point);
        Shared<ColumnMatrix> omega = request.blockDirections().map(fold::share).orElse(null)) {
      CurvatureAggregator fused = null;
      String pass = request.diagonal() ? "gradient + diagonal" : "gradient";
      if (request.denseHessianSample().isPresent()) {
        RowSample s = request.denseHessianSample().get();
        fused = CurvatureAggregator.denseMatrix(coef, loss, intercept, s);
        pass += " + dense Hessian (" + s + ")";
      } else if (omega != null) {
        RowSample s = request.blockSample().orElseThrow();
        fused = CurvatureAggregator.blockProduct(coef, omega, loss, intercept, s);
        pass += " + H*V r=" + omega.get().cols() + " (" + s + ")";
      }
      ValueGradientAggregator agg = fold.aggregate(
          pass, new ValueGradientAggregator(coef, loss, intercept, request.diagonal(), fused));
      if (!(agg.weightSum() > 0.0)) {
        throw new IllegalStateException("the data have no rows with positive weight");
      }
      double scale = 1.0 / agg.weightSum();
      double[] gradient = agg.gradientSum(dimension);
      Vectors.scale(scale, gradient);
      Optional<double[]> diagonal = agg.diagonalSum(dimension);
      diagonal.ifPresent(dg -> Vectors.scale(scale, dg));
      ColumnMatrix fusedResult = null;
      if (fused != null) {
        CurvatureAggregator c = agg.fusedCurvature().orElseThrow();
        fusedResult = normalized(c, omega == null ? dimension : omega.get().cols());
      }
      return new GlmEvaluation(
          point, agg.lossSum() * scale, gradient, diagonal, request, fusedResult);
    }
  }

  private ColumnMatrix normalized(CurvatureAggregator c, int r) {
    ColumnMatrix m = c.sum(dimension, r);
    if (c.weightSum() > 0.0) {
      Vectors.scale(1.0 / c.weightSum(), m.data());
    }
    return m;
  }

  private void checkDimension(int length, String what) {
    if (length != dimension) {
      throw new IllegalArgumentException(
          what + " has " + length + " entries, the objective has dimension " + dimension);
    }
  }

  private final class GlmEvaluation extends PointEvaluation {
    private final EvaluationRequest request;
    private final ColumnMatrix fused;

    GlmEvaluation(
        double[] point, double value, double[] gradient, Optional<double[]> diagonal,
        EvaluationRequest request, ColumnMatrix fused) {
      super(point, value, gradient, diagonal);
      this.request = request;
      this.fused = fused;
    }

    @Override
    public CurvatureOperator curvature(RowSample sample) {
      return new GlmCurvature(point(), sample, this);
    }

    @Override
    public double[] valuesAlong(double[] direction, double[] steps) {
      checkDimension(direction.length, "direction");
      try (Shared<double[]> coef = fold.share(point());
          Shared<double[]> dir = fold.share(direction.clone())) {
        LineValuesAggregator agg = fold.aggregate(
            "loss at " + steps.length + " step sizes",
            new LineValuesAggregator(coef, dir, steps, loss, intercept));
        double[] values = agg.lossSums();
        Vectors.scale(1.0 / agg.weightSum(), values);
        return values;
      }
    }
  }

  /**
   * The curvature at a point on a sample. Products the evaluation pass already computed are
   * served from it; the first other product collects the sample to the driver when it fits the
   * budget (one pass), and every product after that runs on the driver.
   */
  private final class GlmCurvature implements CurvatureOperator {
    private final double[] point;
    private final RowSample sample;
    private final GlmEvaluation evaluation;
    private BlockFold rows;
    private RowSample rowsSample;

    GlmCurvature(double[] point, RowSample sample, GlmEvaluation evaluation) {
      this.point = point;
      this.sample = sample;
      this.evaluation = evaluation;
    }

    /** The fold that holds the sampled rows, and what it still has to sample. */
    private BlockFold rows() {
      if (rows == null) {
        long estimated = (long) Math.ceil(fold.sizeInBytes() * sample.fraction());
        if (estimated <= driverCurvatureBytes) {
          rows = new LocalBlockFold(fold.collect("collect curvature sample (" + sample + ")", sample));
          rowsSample = RowSample.all();
        } else {
          rows = fold;
          rowsSample = sample;
        }
      }
      return rows;
    }

    @Override
    public int dimension() {
      return dimension;
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
      if (evaluation.fused != null && r.blockDirections().orElse(null) == v
          && sample.equals(r.blockSample().orElse(null))) {
        return evaluation.fused.copy();
      }
      String pass = (v.cols() == 1 ? "Hv" : "H*V r=" + v.cols()) + " (" + sample + ")";
      BlockFold f = rows();
      try (Shared<double[]> coef = f.share(point); Shared<ColumnMatrix> dirs = f.share(v)) {
        CurvatureAggregator agg = f.aggregate(
            pass, CurvatureAggregator.blockProduct(coef, dirs, loss, intercept, rowsSample));
        return normalized(agg, v.cols());
      }
    }

    @Override
    public ColumnMatrix denseHessian() {
      EvaluationRequest r = evaluation.request;
      if (evaluation.fused != null && sample.equals(r.denseHessianSample().orElse(null))) {
        return evaluation.fused.copy();
      }
      BlockFold f = rows();
      try (Shared<double[]> coef = f.share(point)) {
        CurvatureAggregator agg = f.aggregate(
            "dense Hessian (" + sample + ")",
            CurvatureAggregator.denseMatrix(coef, loss, intercept, rowsSample));
        return normalized(agg, dimension);
      }
    }
  }
}
