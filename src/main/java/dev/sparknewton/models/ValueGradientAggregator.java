package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;
import java.util.List;
import java.util.Optional;

/**
 * One pass at a point {@code theta}: the weighted sums {@code sum c_i l(z_i; y_i)} and
 * {@code sum c_i J_i^T dl/dz_i} and, optionally, the Gauss-Newton diagonal
 * {@code diag(sum c_i J_i^T H_l J_i)} (the Jacobi preconditioner, at no extra cost since the
 * curvature of each row is at hand) and the empirical Fisher diagonal {@code sum c_i g_i^2} of the
 * per-row gradients (Martens' preconditioner), plus any {@link CurvatureAggregator}s on row samples fed
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
  private final boolean withSquares;
  private final RowSample sample;
  /** An array, not a List: Kryo rebuilds collections with add(), which immutable lists refuse. */
  private final CurvatureAggregator[] fused;
  private final PointStates states;

  private long count;
  private double weightSum;
  private double lossSum;
  private double[] gradient;
  private double[] diagonal;
  private double[] squares;
  private transient double[] scratch;
  private transient double[] stateScratch;

  /**
   * @param withSquares also the empirical Fisher diagonal {@code sum_i c_i g_i^2}
   * @param sample the rows the sums run over: {@link RowSample#all()}, or a sample (a mini-batch),
   *     which then admits no fused curvature and keeps no state
   * @param fused curvature to accumulate in the same pass at the same parameters, each on its own
   *     sample; the list is kept, the aggregators in it modified by the pass
   */
  public ValueGradientAggregator(Shared<double[]> parameters, Model model, boolean withDiagonal,
      boolean withSquares, RowSample sample, List<CurvatureAggregator> fused,
      PointStates states) {
    if (!sample.isAll() && (!fused.isEmpty() || states.budgetBytes() > 0)) {
      throw new IllegalArgumentException(
          "a gradient on a row sample keeps no curvature state and fuses no curvature");
    }
    this.parameters = parameters;
    this.model = model;
    this.withDiagonal = withDiagonal;
    this.withSquares = withSquares;
    this.sample = sample;
    this.fused = fused.toArray(new CurvatureAggregator[0]);
    this.states = states;
  }

  @Override
  public ValueGradientAggregator add(RowBlock all) {
    RowBlock block = sample.isAll() ? all : sample.apply(all);
    int n = block.numRows();
    if (n == 0) {
      return this;
    }
    double[] theta = parameters.get();
    int p = theta.length;
    if (gradient == null) {
      gradient = new double[p];
      diagonal = withDiagonal ? new double[p] : null;
      squares = withSquares ? new double[p] : null;
    }
    OutputLoss loss = model.loss();
    int k = model.numOutputs();
    int nk = n * k;
    if (scratch == null || scratch.length < nk) {
      scratch = new double[nk];
    }
    int width = loss.stateWidth();
    // A state that is kept is handed to the cache, so it is a new array; otherwise scratch.
    if (states.budgetBytes() > 0 || stateScratch == null || stateScratch.length < n * width) {
      stateScratch = new double[n * width];
    }
    double[] state = stateScratch;
    // One forward pass serves the loss, the gradient, the diagonal and the squares.
    Model.BlockPass pass = model.forward(block, theta);
    double localLoss = pass.addLossGradient(scratch, state, new ColumnMatrix(p, 1, gradient));
    double localWeight = block.weightSum();
    if (withDiagonal) {
      pass.addGaussNewtonDiagonal(state, diagonal);
    }
    if (withSquares) {
      // scratch holds c_i dl/dz_i; the squares need sqrt(c_i) dl/dz_i.
      for (int i = 0; i < n; i++) {
        double c = block.weight(i);
        double s = c > 0.0 ? 1.0 / Math.sqrt(c) : 0.0;
        for (int j = i; j < nk; j += n) {
          scratch[j] *= s;
        }
      }
      pass.addSquaredRowGradients(scratch, squares);
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
    return new ValueGradientAggregator(
        parameters, model, withDiagonal, withSquares, sample, copies, states);
  }

  @Override
  public ValueGradientAggregator merge(ValueGradientAggregator other) {
    if (other.gradient != null) {
      if (gradient == null) {
        gradient = other.gradient.clone();
        diagonal = other.diagonal == null ? null : other.diagonal.clone();
        squares = other.squares == null ? null : other.squares.clone();
      } else {
        if (squares != null) {
          for (int j = 0; j < squares.length; j++) {
            squares[j] += other.squares[j];
          }
        }
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

  /** Compacts the fused block products ({@link CurvatureAggregator#compacted}). */
  @Override
  public ValueGradientAggregator compacted() {
    for (CurvatureAggregator f : fused) {
      f.compacted();
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

  /** The empirical Fisher diagonal sum {@code sum c_i g_i^2}, when it was requested. A copy. */
  public Optional<double[]> squaresSum(int dimension) {
    if (!withSquares) {
      return Optional.empty();
    }
    return Optional.of(squares == null ? new double[dimension] : squares.clone());
  }

  /** The curvature aggregators fed from this pass, in the order given. */
  public List<CurvatureAggregator> fused() {
    return List.of(fused);
  }
}
