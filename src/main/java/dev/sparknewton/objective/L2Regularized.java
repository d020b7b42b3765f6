package dev.sparknewton.objective;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;
import java.util.Optional;

/**
 * {@code g(w) = f(w) + (lambda / 2) sum_{j in S} w_j^2}: an objective with a ridge penalty on the
 * coordinates {@code S} a model marks as penalized (every coefficient, no intercept, as in Spark
 * MLlib), as a decorator that adds the penalty's value, gradient {@code lambda w_S}, and curvature
 * {@code lambda I_S} to those of {@code f}, with no extra pass.
 */
public final class L2Regularized implements SecondOrderObjective {
  private final SecondOrderObjective inner;
  private final double lambda;
  /** The penalized coordinates, increasing. */
  private final int[] penalized;

  /**
   * @param lambda {@code >= 0}
   * @param penalized {@code true} at each penalized coordinate, length {@code inner.dimension()}.
   *     Not modified.
   */
  public L2Regularized(SecondOrderObjective inner, double lambda, boolean[] penalized) {
    if (!(lambda >= 0.0) || Double.isInfinite(lambda)) {
      throw new IllegalArgumentException("regularization must be finite and >= 0, got " + lambda);
    }
    if (penalized.length != inner.dimension()) {
      throw new IllegalArgumentException("penalty mask of length " + penalized.length
          + " for an objective of dimension " + inner.dimension());
    }
    this.inner = inner;
    this.lambda = lambda;
    int count = 0;
    for (boolean b : penalized) {
      count += b ? 1 : 0;
    }
    this.penalized = new int[count];
    for (int j = 0, k = 0; j < penalized.length; j++) {
      if (penalized[j]) {
        this.penalized[k++] = j;
      }
    }
  }

  public double lambda() {
    return lambda;
  }

  @Override
  public double lowerBound() {
    // The penalty is non-negative.
    return inner.lowerBound();
  }

  @Override
  public int dimension() {
    return inner.dimension();
  }

  @Override
  public boolean diagonalIsCurvature() {
    return inner.diagonalIsCurvature();
  }

  /** The data term's groups, with {@code lambda} on the penalized parameters as their penalty. */
  @Override
  public java.util.Optional<ClassSumGroups> classSumGroups() {
    return inner.classSumGroups().map(g -> {
      double[] penalty = new double[dimension()];
      for (int j : penalized) {
        penalty[j] = lambda;
      }
      return g.withPenalty(penalty);
    });
  }

  @Override
  public Evaluation evaluate(double[] w, EvaluationRequest request) {
    Evaluation e = inner.evaluate(w, request);
    double[] gradient = e.gradient().clone();
    double penalty = 0.0;
    for (int j : penalized) {
      penalty += w[j] * w[j];
      gradient[j] += lambda * w[j];
    }
    double value = e.value() + 0.5 * lambda * penalty;
    Optional<double[]> diagonal = e.hessianDiagonal().map(dg -> {
      double[] out = dg.clone();
      for (int j : penalized) {
        out[j] += lambda;
      }
      return out;
    });
    // The empirical Fisher diagonal stays the data term's: the penalty has no per-row gradient.
    return new PointEvaluation(e.point(), value, gradient, diagonal, e.gradientSquares()) {
      @Override
      public CurvatureOperator curvature(RowSample sample) {
        return new Shifted(e.curvature(sample), e.point());
      }

      @Override
      public double[] valuesAt(ColumnMatrix offsets) {
        return withPenaltyAt(e.point(), offsets, e.valuesAt(offsets));
      }

      @Override
      public double[] valuesAlong(double[] direction, double[] steps) {
        double[] values = e.valuesAlong(direction, steps);
        double[] x = e.point();
        for (int k = 0; k < steps.length; k++) {
          double s = 0.0;
          for (int j : penalized) {
            double t = x[j] + steps[k] * direction[j];
            s += t * t;
          }
          values[k] += 0.5 * lambda * s;
        }
        return values;
      }
    };
  }

  /**
   * {@code values[c] += (lambda / 2) sum_{j in S} (x_j + offsets_jc)^2}, in place.
   *
   * @return {@code values}
   */
  private double[] withPenaltyAt(double[] x, ColumnMatrix offsets, double[] values) {
    for (int c = 0; c < values.length; c++) {
      double s = 0.0;
      for (int j : penalized) {
        double t = x[j] + offsets.get(j, c);
        s += t * t;
      }
      values[c] += 0.5 * lambda * s;
    }
    return values;
  }

  /** {@code H + lambda I} on the regularized coordinates, at the point {@code x}. */
  private final class Shifted implements CurvatureOperator {
    private final CurvatureOperator h;
    private final double[] x;

    Shifted(CurvatureOperator h, double[] x) {
      this.h = h;
      this.x = x;
    }

    /** The data term's sample values plus the penalty. */
    @Override
    public Optional<double[]> sampleValuesAt(ColumnMatrix offsets) {
      return h.sampleValuesAt(offsets).map(values -> withPenaltyAt(x, offsets, values));
    }

    @Override
    public int dimension() {
      return h.dimension();
    }

    @Override
    public boolean productsArePasses() {
      return h.productsArePasses();
    }

    @Override
    public double[] hessianVectorProduct(double[] v) {
      double[] out = h.hessianVectorProduct(v);
      for (int j : penalized) {
        out[j] += lambda * v[j];
      }
      return out;
    }

    @Override
    public ColumnMatrix hessianBlockProduct(ColumnMatrix v) {
      ColumnMatrix out = h.hessianBlockProduct(v);
      for (int c = 0; c < v.cols(); c++) {
        for (int j : penalized) {
          out.set(j, c, out.get(j, c) + lambda * v.get(j, c));
        }
      }
      return out;
    }

    @Override
    public ColumnMatrix denseHessian() {
      ColumnMatrix out = h.denseHessian();
      for (int j : penalized) {
        out.set(j, j, out.get(j, j) + lambda);
      }
      return out;
    }
  }
}
