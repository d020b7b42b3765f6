package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.linalg.ColumnMatrix;
import java.util.List;
import java.util.Optional;

/**
 * One pass at a point {@code theta}: the weighted sums {@code sum c_i l(z_i; y_i)} and
 * {@code sum c_i J_i^T dl/dz_i} and, optionally, the Gauss-Newton diagonal
 * {@code diag(sum c_i J_i^T H_l J_i)} (the Jacobi preconditioner, at no extra cost since the
 * curvature of each row is at hand), plus any {@link CurvatureAggregator}s on row samples fed
 * from the same pass and the same per-row state: loss, gradient and curvature at one point in one
 * Spark job, one {@code exp} per output and row.
 *
 * <p>The per-row curvature state computed here is kept ({@link PointStates}) for the curvature
 * products that follow at the same point. Sums are unnormalized; divide by {@link #weightSum()}.
 */
public final class ValueGradientAggregator implements BlockAggregator<ValueGradientAggregator> {
  private static final long serialVersionUID = 1L;

  private final Shared<double[]> parameters;
  private final Model model;
  private final boolean withDiagonal;
  /** An array, not a List: Kryo rebuilds collections with add(), which immutable lists refuse. */
  private final CurvatureAggregator[] fused;
  private final PointStates states;

  private long count;
  private double weightSum;
  private double lossSum;
  private double[] gradient;
  private double[] diagonal;
  private transient double[] outputs;
  private transient double[] scratch;
  private transient double[] stateScratch;

  /**
   * @param fused curvature to accumulate in the same pass at the same parameters, each on its own
   *     sample; the list is kept, the aggregators in it modified by the pass
   */
  public ValueGradientAggregator(Shared<double[]> parameters, Model model, boolean withDiagonal,
      List<CurvatureAggregator> fused, PointStates states) {
    this.parameters = parameters;
    this.model = model;
    this.withDiagonal = withDiagonal;
    this.fused = fused.toArray(new CurvatureAggregator[0]);
    this.states = states;
  }

  @Override
  public ValueGradientAggregator add(RowBlock block) {
    int n = block.numRows();
    if (n == 0) {
      return this;
    }
    double[] theta = parameters.get();
    int p = theta.length;
    if (gradient == null) {
      gradient = new double[p];
      diagonal = withDiagonal ? new double[p] : null;
    }
    OutputLoss loss = model.loss();
    int k = model.numOutputs();
    int nk = n * k;
    if (outputs == null || outputs.length < nk) {
      outputs = new double[nk];
      scratch = new double[nk];
    }
    int width = loss.stateWidth();
    // A state that is kept is handed to the cache, so it is a new array; otherwise scratch.
    if (states.budgetBytes() > 0 || stateScratch == null || stateScratch.length < n * width) {
      stateScratch = new double[n * width];
    }
    double[] state = stateScratch;
    model.outputs(block, theta, outputs);
    double localLoss = 0.0;
    double localWeight = 0.0;
    for (int i = 0; i < n; i++) {
      double c = block.weight(i);
      localLoss += c * loss.evaluate(outputs, i, n, block.label(i), scratch, state, i * width);
      localWeight += c;
      for (int j = i; j < nk; j += n) {
        scratch[j] = c * scratch[j];
      }
    }
    model.addJacobianTransposeTimes(block, theta, scratch, new ColumnMatrix(p, 1, gradient));
    if (withDiagonal) {
      for (int i = 0; i < n; i++) {
        double c = block.weight(i);
        for (int o = 0; o < k; o++) {
          scratch[o * n + i] = c * loss.curvature(state, i * width, o, o);
        }
      }
      model.addGaussNewtonDiagonal(block, theta, scratch, diagonal);
    }
    lossSum += localLoss;
    weightSum += localWeight;
    count += n;
    for (CurvatureAggregator f : fused) {
      f.addAtPoint(block, state);
    }
    states.keep(block, state);
    return this;
  }

  @Override
  public ValueGradientAggregator emptyCopy() {
    List<CurvatureAggregator> copies = new java.util.ArrayList<>();
    for (CurvatureAggregator f : fused) {
      copies.add(f.emptyCopy());
    }
    return new ValueGradientAggregator(parameters, model, withDiagonal, copies, states);
  }

  @Override
  public ValueGradientAggregator merge(ValueGradientAggregator other) {
    if (other.gradient != null) {
      if (gradient == null) {
        gradient = other.gradient.clone();
        diagonal = other.diagonal == null ? null : other.diagonal.clone();
      } else {
        for (int j = 0; j < gradient.length; j++) {
          gradient[j] += other.gradient[j];
        }
        if (diagonal != null) {
          for (int j = 0; j < diagonal.length; j++) {
            diagonal[j] += other.diagonal[j];
          }
        }
      }
    }
    count += other.count;
    weightSum += other.weightSum;
    lossSum += other.lossSum;
    for (int f = 0; f < fused.length; f++) {
      fused[f].merge(other.fused[f]);
    }
    return this;
  }

  /** Number of rows seen. */
  public long count() {
    return count;
  }

  public double weightSum() {
    return weightSum;
  }

  /** {@code sum c_i l(z_i; y_i)}. */
  public double lossSum() {
    return lossSum;
  }

  /** {@code sum c_i J_i^T dl/dz_i} (zeros when no row was seen). A copy. */
  public double[] gradientSum(int dimension) {
    return gradient == null ? new double[dimension] : gradient.clone();
  }

  /** The Gauss-Newton diagonal sum, when it was requested. A copy. */
  public Optional<double[]> diagonalSum(int dimension) {
    if (!withDiagonal) {
      return Optional.empty();
    }
    return Optional.of(diagonal == null ? new double[dimension] : diagonal.clone());
  }

  /** The curvature aggregators fed from this pass, in the order given. */
  public List<CurvatureAggregator> fused() {
    return List.of(fused);
  }
}
