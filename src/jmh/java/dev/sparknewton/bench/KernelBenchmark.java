package dev.sparknewton.bench;

import dev.sparknewton.data.DenseRowBlock;
import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.models.Curvature;
import dev.sparknewton.models.CurvatureAggregator;
import dev.sparknewton.models.InlineShared;
import dev.sparknewton.models.LineValuesAggregator;
import dev.sparknewton.models.LinearModel;
import dev.sparknewton.models.LogisticLoss;
import dev.sparknewton.models.Model;
import dev.sparknewton.models.PointStates;
import dev.sparknewton.models.SoftmaxCrossEntropy;
import dev.sparknewton.models.ValueGradientAggregator;
import dev.sparknewton.data.SparseRowBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The block kernels of one pass, each over the same cached blocks (about 1 MB each, 30-40 MB in
 * all, beyond the caches), against a streaming pass that reads every array of every block once
 * (CSR: values, column indices, row starts; dense: values; both: labels and weights) and sums
 * it with four independent accumulators: the least any pass has to read. A kernel's bandwidth is
 * those same bytes over its time, so its fraction of streaming bandwidth is
 * {@code time(stream) / time(kernel)} ({@code jobs/kernel-bench.sh} reports both).
 *
 * <p>Kernels, each through the aggregator a pass runs ({@code models/}): value + gradient;
 * Hessian-vector product and {@code H V} for {@code r = 8} on the curvature state the gradient
 * pass kept (as within an iteration); the loss at 10 step sizes along a direction. Models:
 * binary logistic and multinomial logistic with K = 10 classes; storage: CSR
 * ({@code n = 64,000}, {@code d = 20,000}, 48 stored values a row) and dense
 * ({@code n = 40,000}, {@code d = 100}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KernelBenchmark {
  @Param({"csr", "dense"})
  public String storage;

  @Param({"binary", "softmax10"})
  public String model;

  private static final int R = 8;
  private static final double[] STEPS = {1.0, 0.5, 0.25, 0.125, 0.0625, 0.03125, 0.015625,
      0.0078125, 0.00390625, 0.001953125};

  private final List<RowBlock> blocks = new ArrayList<>();
  /** The arrays of every block, for the streaming pass. */
  private final List<double[]> doubles = new ArrayList<>();
  private final List<int[]> ints = new ArrayList<>();
  private Model m;
  private InlineShared<double[]> theta;
  private InlineShared<double[]> direction;
  private InlineShared<ColumnMatrix> v1;
  private InlineShared<ColumnMatrix> v8;
  private PointStates states;

  @Setup
  public void setUp() {
    Random rnd = new Random(42);
    boolean sparse = storage.equals("csr");
    int d = sparse ? 20_000 : 100;
    int n = sparse ? 64_000 : 40_000;
    int blockRows = sparse ? 1_600 : 800;
    int perRow = 48;
    int k = model.equals("binary") ? 2 : 10;
    m = new LinearModel(d, true, k == 2 ? LogisticLoss.INSTANCE : new SoftmaxCrossEntropy(k));
    long bytes = 0;
    for (int start = 0, id = 0; start < n; start += blockRows, id++) {
      int rows = Math.min(blockRows, n - start);
      double[] labels = new double[rows];
      double[] weights = new double[rows];
      for (int i = 0; i < rows; i++) {
        labels[i] = rnd.nextInt(k);
        weights[i] = 1.0;
      }
      doubles.add(labels);
      doubles.add(weights);
      if (sparse) {
        int[] starts = new int[rows + 1];
        int[] columns = new int[rows * perRow];
        double[] values = new double[rows * perRow];
        for (int i = 0; i < rows; i++) {
          starts[i + 1] = starts[i] + perRow;
          // perRow distinct increasing columns: one in each of perRow equal bands of [0, d).
          for (int j = 0; j < perRow; j++) {
            columns[i * perRow + j] = j * (d / perRow) + rnd.nextInt(d / perRow);
            values[i * perRow + j] = rnd.nextGaussian();
          }
        }
        blocks.add(new SparseRowBlock(id, d, labels, weights, starts, columns, values));
        doubles.add(values);
        ints.add(columns);
        ints.add(starts);
      } else {
        double[] values = new double[rows * d];
        for (int i = 0; i < values.length; i++) {
          values[i] = rnd.nextGaussian();
        }
        blocks.add(new DenseRowBlock(id, d, labels, weights, values));
        doubles.add(values);
      }
    }
    for (double[] a : doubles) {
      bytes += 8L * a.length;
    }
    for (int[] a : ints) {
      bytes += 4L * a.length;
    }
    double[] w = new double[m.dimension()];
    double[] p = new double[m.dimension()];
    for (int j = 0; j < w.length; j++) {
      w[j] = 0.1 * rnd.nextGaussian();
      p[j] = rnd.nextGaussian();
    }
    theta = new InlineShared<>(w);
    direction = new InlineShared<>(p);
    double[] cols = new double[m.dimension() * R];
    for (int j = 0; j < cols.length; j++) {
      cols[j] = rnd.nextGaussian();
    }
    v8 = new InlineShared<>(new ColumnMatrix(m.dimension(), R, cols));
    v1 = new InlineShared<>(new ColumnMatrix(m.dimension(), 1, p.clone()));
    // The gradient pass of the point keeps each block's curvature state, as in an iteration.
    states = PointStates.fresh(1L << 30);
    fold(new ValueGradientAggregator(theta, m, false, false, RowSample.all(), List.of(), states));
    System.out.printf("bytes per pass: storage=%s model=%s bytes=%d blocks=%d%n",
        storage, model, bytes, blocks.size());
  }

  private <A extends dev.sparknewton.models.BlockAggregator<A>> A fold(A zero) {
    A acc = zero;
    for (RowBlock b : blocks) {
      acc = acc.add(b);
    }
    return acc;
  }

  /** Reads every array once: the floor of a pass. */
  @Benchmark
  public double stream() {
    double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    for (double[] a : doubles) {
      int i = 0;
      for (; i + 3 < a.length; i += 4) {
        s0 += a[i];
        s1 += a[i + 1];
        s2 += a[i + 2];
        s3 += a[i + 3];
      }
      for (; i < a.length; i++) {
        s0 += a[i];
      }
    }
    long t0 = 0, t1 = 0;
    for (int[] a : ints) {
      int i = 0;
      for (; i + 1 < a.length; i += 2) {
        t0 += a[i];
        t1 += a[i + 1];
      }
      for (; i < a.length; i++) {
        t0 += a[i];
      }
    }
    return s0 + s1 + s2 + s3 + t0 + t1;
  }

  @Benchmark
  public double gradient() {
    return fold(new ValueGradientAggregator(theta, m, false, false, RowSample.all(), List.of(),
        PointStates.none())).lossSum();
  }

  @Benchmark
  public ColumnMatrix hessianVector() {
    return fold(CurvatureAggregator.blockProduct(theta, v1, m, RowSample.all(), states,
        Curvature.GAUSS_NEWTON)).sum(m.dimension(), 1);
  }

  @Benchmark
  public ColumnMatrix hessianBlock8() {
    return fold(CurvatureAggregator.blockProduct(theta, v8, m, RowSample.all(), states,
        Curvature.GAUSS_NEWTON)).sum(m.dimension(), R);
  }

  @Benchmark
  public double[] lineValues10() {
    return fold(new LineValuesAggregator(theta, direction, STEPS, m)).lossSums();
  }
}
