package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;

/**
 * Curvature of a margin loss at a point {@code w}, on a row sample: with
 * {@code D = diag(c_i l''(m_i))} over the sampled rows, either the block product
 * {@code Z^T D Z V} for a {@code d x r} block {@code V} (a Hessian-vector product is {@code r = 1})
 * or the dense matrix {@code Z^T D Z} (lower triangle). Sums are unnormalized; divide by
 * {@link #weightSum()}, the weight of the sampled rows.
 *
 * <p>For the logistic and squared losses {@code l''} is the exact Hessian, which here is also the
 * Gauss-Newton matrix.
 */
public final class CurvatureAggregator implements BlockAggregator<CurvatureAggregator> {
  private static final long serialVersionUID = 1L;

  private final Shared<double[]> coefficients;
  private final Shared<ColumnMatrix> directions; // null for the dense Hessian
  private final MarginLoss loss;
  private final boolean intercept;
  private final RowSample sample;

  private long count;
  private double weightSum;
  private ColumnMatrix result;
  private transient double[] margins;
  private transient double[] products;

  private CurvatureAggregator(
      Shared<double[]> coefficients, Shared<ColumnMatrix> directions, MarginLoss loss,
      boolean intercept, RowSample sample) {
    this.coefficients = coefficients;
    this.directions = directions;
    this.loss = loss;
    this.intercept = intercept;
    this.sample = sample;
  }

  /** Accumulates {@code Z^T D Z V}. */
  public static CurvatureAggregator blockProduct(
      Shared<double[]> coefficients, Shared<ColumnMatrix> directions, MarginLoss loss,
      boolean intercept, RowSample sample) {
    return new CurvatureAggregator(coefficients, directions, loss, intercept, sample);
  }

  /** Accumulates the lower triangle of {@code Z^T D Z}. */
  public static CurvatureAggregator denseMatrix(
      Shared<double[]> coefficients, MarginLoss loss, boolean intercept, RowSample sample) {
    return new CurvatureAggregator(coefficients, null, loss, intercept, sample);
  }

  @Override
  public CurvatureAggregator add(RowBlock fullBlock) {
    RowBlock block = sample.apply(fullBlock);
    int n = block.numRows();
    if (n == 0) {
      return this;
    }
    double[] w = coefficients.get();
    int dim = w.length;
    ColumnMatrix v = directions == null ? null : directions.get();
    if (result == null) {
      result = directions == null ? ColumnMatrix.zeros(dim, dim) : ColumnMatrix.zeros(dim, v.cols());
    }
    if (margins == null || margins.length < n) {
      margins = new double[n];
    }
    block.multiply(w, intercept, margins);
    double localWeight = 0.0;
    for (int i = 0; i < n; i++) {
      double c = block.weight(i);
      localWeight += c;
      margins[i] = c * loss.curvature(margins[i], block.label(i)); // now the weights D_ii
    }
    if (v == null) {
      block.addWeightedGramLower(margins, intercept, result);
    } else {
      int r = v.cols();
      if (products == null || products.length < n * r) {
        products = new double[n * r];
      }
      block.multiplyBlock(v, intercept, products);
      for (int c = 0; c < r; c++) {
        int offset = c * n;
        for (int i = 0; i < n; i++) {
          products[offset + i] *= margins[i];
        }
      }
      block.addTransposeTimesBlock(products, intercept, result);
    }
    weightSum += localWeight;
    count += n;
    return this;
  }

  @Override
  public CurvatureAggregator merge(CurvatureAggregator other) {
    if (other.result != null) {
      if (result == null) {
        result = other.result.copy();
      } else {
        double[] a = result.data();
        double[] b = other.result.data();
        for (int k = 0; k < a.length; k++) {
          a[k] += b[k];
        }
      }
    }
    count += other.count;
    weightSum += other.weightSum;
    return this;
  }

  /** Number of sampled rows seen. */
  public long count() {
    return count;
  }

  /** Weight of the sampled rows. */
  public double weightSum() {
    return weightSum;
  }

  /**
   * The accumulated {@code Z^T D Z V} ({@code dimension x r}), or the full symmetric
   * {@code Z^T D Z} ({@code dimension x dimension}, upper triangle filled in from the lower).
   * Zeros when no sampled row was seen.
   */
  public ColumnMatrix sum(int dimension, int r) {
    if (directions == null) {
      ColumnMatrix h = result == null ? ColumnMatrix.zeros(dimension, dimension) : result;
      for (int j = 0; j < dimension; j++) {
        for (int i = j + 1; i < dimension; i++) {
          h.set(j, i, h.get(i, j));
        }
      }
      return h;
    }
    return result == null ? ColumnMatrix.zeros(dimension, r) : result;
  }
}
