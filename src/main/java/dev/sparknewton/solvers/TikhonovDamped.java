package dev.sparknewton.solvers;

import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.objective.CurvatureOperator;
import java.util.Optional;

/**
 * {@code C + lambda I}: Tikhonov damping of a curvature operator (J. Martens, "Deep learning via
 * Hessian-free optimization", ICML 2010, Sec. 4.1), as a decorator. Each product costs what the
 * product with {@code C} costs; the damping term is added on the driver.
 */
final class TikhonovDamped implements CurvatureOperator {
  private final CurvatureOperator curvature;
  private final double lambda;

  /** @param lambda {@code >= 0} */
  TikhonovDamped(CurvatureOperator curvature, double lambda) {
    if (!(lambda >= 0.0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("damping must be finite and >= 0, got " + lambda);
    }
    this.curvature = curvature;
    this.lambda = lambda;
  }

  @Override
  public int dimension() {
    return curvature.dimension();
  }

  @Override
  public double[] hessianVectorProduct(double[] v) {
    double[] out = curvature.hessianVectorProduct(v);
    for (int i = 0; i < out.length; i++) {
      out[i] += lambda * v[i];
    }
    return out;
  }

  @Override
  public ColumnMatrix hessianBlockProduct(ColumnMatrix v) {
    ColumnMatrix out = curvature.hessianBlockProduct(v);
    double[] o = out.data();
    double[] x = v.data();
    for (int i = 0; i < o.length; i++) {
      o[i] += lambda * x[i];
    }
    return out;
  }

  @Override
  public ColumnMatrix denseHessian() {
    ColumnMatrix out = curvature.denseHessian();
    out.addToDiagonal(lambda);
    return out;
  }

  @Override
  public boolean productsArePasses() {
    return curvature.productsArePasses();
  }

  /** The undamped objective's values: the damping shapes the step, it is not part of {@code f}. */
  @Override
  public Optional<double[]> sampleValuesAt(ColumnMatrix offsets) {
    return curvature.sampleValuesAt(offsets);
  }
}
