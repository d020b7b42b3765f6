package dev.sparknewton.models;

import dev.ludovic.netlib.blas.BLAS;
import dev.sparknewton.data.RowBlock;
import dev.sparknewton.linalg.ColumnMatrix;
import java.util.Arrays;

/**
 * The forward pass of a {@link FeedForwardNetwork} over one block of {@code n} rows at
 * {@code theta}, and every product that starts from it: the R-forward pass of {@code r}
 * directions, backpropagation of {@code r} output-space columns, the squared per-row gradients,
 * and the Gauss-Newton and exact Hessian block products. A workspace of one call: created per
 * block, never shared between threads.
 *
 * <p>Shapes (layer {@code l} maps {@code in} inputs to {@code out} units; {@code A_{l-1}} its
 * input, the block {@code X} for {@code l = 0}; {@code ~} appends a column of ones): every
 * per-unit array is column-major {@code n x out}; a quantity of {@code r} directions is
 * {@code n x (out r)} with direction {@code c}'s block of columns at {@code c n out}, so the last
 * layer's is the {@code n x (K r)} layout of {@link Model}. Layer parameters of {@code r}
 * directions are gathered into one {@code (in + 1) x (out r)} array, so that {@code A~ dW} of every
 * direction is one GEMM.
 *
 * <pre>
 *   forward     S_l = A~_{l-1} W_l,  A_l = phi(S_l),  F_l = phi'(S_l)
 *   R-forward   R{S_l} = A~_{l-1} dW_l + R{A_{l-1}} W_l,  R{A_l} = F_l o R{S_l}   (R{A_0} = 0)
 *   backward    grad W_l = A~_{l-1}^T D_l,  D_{l-1} = F_{l-1} o (D_l W_l^T)
 *   R-backward  R{D_L} = c H_l R{z}
 *               R{D_{l-1}} = F_{l-1} o (R{D_l} W_l^T + D_l dW_l^T) + phi''(S_{l-1}) o R{S_{l-1}} o (D_l W_l^T)
 *               Hv_l = A~_{l-1}^T R{D_l} + [R{A_{l-1}}^T D_l; 0]
 * </pre>
 *
 * ({@code W_l^T} without the bias row.) The Gauss-Newton product backpropagates {@code c H_l R{z}}
 * with the plain backward pass; the exact Hessian (Pearlmutter) adds the three terms with
 * {@code D_l}, the deltas of the weighted loss gradient {@code c dl/dz}.
 */
final class NetworkPass {
  /** How many derivatives of the activation the forward pass keeps. */
  enum Order {
    VALUES,
    FIRST,
    SECOND
  }

  /** Receives the delta of each layer during a backward pass, from the output layer down. */
  private interface LayerSink {
    void accept(int layer, double[] delta);
  }

  private final FeedForwardNetwork net;
  private final RowBlock block;
  private final double[] theta;
  private final int n;
  private final int layers;
  /** {@code A_l} of each hidden layer, {@code n x out_l}. */
  private final double[][] activations;
  /** {@code phi'(S_l)}, or null. */
  private final double[][] first;
  /** {@code phi''(S_l)}, or null. */
  private final double[][] second;
  private final double[] outputs;

  private NetworkPass(FeedForwardNetwork net, RowBlock block, double[] theta, Order order) {
    this.net = net;
    this.block = block;
    this.theta = theta;
    this.n = block.numRows();
    this.layers = net.numLayers();
    int hidden = layers - 1;
    activations = new double[hidden][];
    first = order == Order.VALUES ? null : new double[hidden][];
    second = order == Order.SECOND ? new double[hidden][] : null;
    double[] s = null;
    for (int l = 0; l < layers; l++) {
      double[] input = s;
      int out = net.layerOutputs(l);
      s = new double[n * out];
      affine(l, input, theta, net.layerOffset(l), out, s);
      if (l < hidden) {
        if (first != null) {
          first[l] = new double[n * out];
        }
        if (second != null) {
          second[l] = new double[n * out];
        }
        net.activation().apply(s, n * out, first == null ? null : first[l],
            second == null ? null : second[l]);
        activations[l] = s;
      }
    }
    outputs = s;
    if (net.reconstructs()) {
      block.addScaledTo(-1.0, outputs);
    }
  }

  /** The forward pass of {@code block} at {@code theta}, keeping the derivatives {@code order} asks for. */
  static NetworkPass forward(FeedForwardNetwork net, RowBlock block, double[] theta, Order order) {
    return new NetworkPass(net, block, theta, order);
  }

  /** {@code z}, {@code n x K}: the network's outputs (an autoencoder's minus the rows). */
  double[] outputs() {
    return outputs;
  }

  /** The R-forward pass of the {@code r} columns of {@code v} ({@code P x r}). */
  Directions propagate(ColumnMatrix v) {
    int r = v.cols();
    Directions dirs = new Directions(layers, r);
    for (int l = 0; l < layers; l++) {
      int in = net.layerInputs(l);
      int out = net.layerOutputs(l);
      dirs.parameters[l] = gather(l, v);
      double[] pre = new double[n * out * r];
      affine(l, input(l), dirs.parameters[l], 0, out * r, pre);
      if (l > 0) {
        double[] previous = dirs.activations[l - 1];
        for (int c = 0; c < r; c++) {
          BLAS.getInstance().dgemm("N", "N", n, out, in, 1.0, previous, c * n * in, n, theta,
              net.layerOffset(l), in + 1, 1.0, pre, c * n * out, n);
        }
      }
      dirs.preActivations[l] = pre;
      if (l < layers - 1) {
        double[] f = first[l];
        double[] a = new double[pre.length];
        int size = n * out;
        for (int c = 0; c < r; c++) {
          int base = c * size;
          for (int t = 0; t < size; t++) {
            a[base + t] = f[t] * pre[base + t];
          }
        }
        dirs.activations[l] = a;
      }
    }
    return dirs;
  }

  /** {@code out += J^T S} for the {@code n x (K r)} array {@code s} (not modified). */
  void addTransposeTimes(double[] s, ColumnMatrix out) {
    int r = out.cols();
    backward(s, r, (l, delta) -> addGradient(l, delta, r, out));
  }

  /** {@code out += sum_i (J_i^T u_i)^2} for the {@code n x K} array {@code u} (not modified). */
  void addSquaredRowGradients(double[] u, double[] out) {
    backward(u, 1, squaresSink(1, out));
  }

  /** {@code out += diag(sum_i c_i J_i^T H_l J_i)} from each row's {@code sqrt(c_i) L_i}. */
  void addGaussNewtonDiagonal(double[] state, double[] out) {
    OutputLoss loss = net.loss();
    int k = net.numOutputs();
    int width = loss.stateWidth();
    double[] factors = new double[n * k * k];
    for (int m = 0; m < k; m++) {
      for (int i = 0; i < n; i++) {
        loss.curvatureFactor(state, i * width, block.weight(i), m, factors, m * k * n + i, n);
      }
    }
    backward(factors, k, squaresSink(k, out));
  }

  /**
   * {@code out += C V} for {@code C} the {@code kind} curvature of the block's rows. The exact
   * Hessian needs a pass made with {@link Order#SECOND}.
   */
  void addCurvatureTimes(Curvature kind, double[] state, ColumnMatrix v, ColumnMatrix out) {
    OutputLoss loss = net.loss();
    int r = v.cols();
    int k = net.numOutputs();
    int width = loss.stateWidth();
    Directions dirs = propagate(v);
    // R{D} at the outputs, c H_l R{z}, in place over R{z}: a fresh array of this call.
    double[] top = dirs.outputs();
    for (int c = 0; c < r; c++) {
      int offset = c * k * n;
      for (int i = 0; i < n; i++) {
        loss.applyCurvature(state, i * width, block.weight(i), top, offset + i, n, top);
      }
    }
    if (kind == Curvature.GAUSS_NEWTON || layers == 1) {
      backward(top, r, (l, delta) -> addGradient(l, delta, r, out));
    } else {
      addHessianBackward(dirs, top, out);
    }
  }

  /**
   * Pearlmutter's R-backward pass (see the class comment): the deltas {@code D_l} of the weighted
   * loss gradient first (one backward pass of one column), then {@code R{D_l}} of the {@code r}
   * directions with the second-order terms, accumulating {@code Hv} layer by layer.
   */
  private void addHessianBackward(Directions dirs, double[] outputDelta, ColumnMatrix out) {
    int r = dirs.r;
    OutputLoss loss = net.loss();
    int k = net.numOutputs();
    double[] weighted = new double[n * k];
    double[] scratchState = new double[Math.max(1, loss.stateWidth())];
    for (int i = 0; i < n; i++) {
      loss.evaluate(outputs, i, n, block.label(i), weighted, scratchState, 0);
      double c = block.weight(i);
      for (int j = i; j < n * k; j += n) {
        weighted[j] *= c;
      }
    }
    // deltas[l] = D_l; back[l] = D_{l+1} W_{l+1}^T, so that D_l = F_l o back[l] (hidden l).
    double[][] deltas = new double[layers][];
    double[][] back = new double[layers - 1][];
    deltas[layers - 1] = weighted;
    for (int l = layers - 1; l > 0; l--) {
      back[l - 1] = new double[n * net.layerInputs(l)];
      timesWeightsTransposed(l, deltas[l], 1, back[l - 1]);
      deltas[l - 1] = times(first[l - 1], back[l - 1].clone(), 1);
    }
    double[] rDelta = outputDelta;
    for (int l = layers - 1; l >= 0; l--) {
      int in = net.layerInputs(l);
      int outUnits = net.layerOutputs(l);
      int rows = in + 1;
      double[] product = affineTranspose(block, input(l), l, rDelta, outUnits * r);
      if (l > 0) {
        // [R{A_{l-1}}^T D_l; 0]: one GEMM for every direction, (in r) x out.
        double[] m = new double[in * r * outUnits];
        BLAS.getInstance().dgemm("T", "N", in * r, outUnits, n, 1.0, dirs.activations[l - 1], 0,
            n, deltas[l], 0, n, 0.0, m, 0, in * r);
        for (int c = 0; c < r; c++) {
          for (int j = 0; j < outUnits; j++) {
            int to = c * rows * outUnits + j * rows;
            int from = j * in * r + c * in;
            for (int i = 0; i < in; i++) {
              product[to + i] += m[from + i];
            }
          }
        }
      }
      scatterAdd(l, product, r, out);
      if (l > 0) {
        double[] e = new double[n * in * r];
        timesWeightsTransposed(l, rDelta, r, e);
        for (int c = 0; c < r; c++) {
          BLAS.getInstance().dgemm("N", "T", n, in, outUnits, 1.0, deltas[l], 0, n,
              dirs.parameters[l], c * rows * outUnits, rows, 1.0, e, c * n * in, n);
        }
        double[] f = first[l - 1];
        double[] f2 = second[l - 1];
        double[] g = back[l - 1];
        double[] pre = dirs.preActivations[l - 1];
        int size = n * in;
        for (int c = 0; c < r; c++) {
          int base = c * size;
          for (int t = 0; t < size; t++) {
            e[base + t] = f[t] * e[base + t] + f2[t] * pre[base + t] * g[t];
          }
        }
        rDelta = e;
      }
    }
  }

  /**
   * Backpropagates the {@code r} output-space columns of {@code top} (not modified), handing each
   * layer's delta {@code D_l} ({@code n x (out_l r)}) to {@code sink}.
   */
  private void backward(double[] top, int r, LayerSink sink) {
    double[] delta = top;
    for (int l = layers - 1; l >= 0; l--) {
      sink.accept(l, delta);
      if (l > 0) {
        double[] e = new double[n * net.layerInputs(l) * r];
        timesWeightsTransposed(l, delta, r, e);
        delta = times(first[l - 1], e, r);
      }
    }
  }

  /** {@code out += A~_{l-1}^T D_l} of each of the {@code r} directions. */
  private void addGradient(int l, double[] delta, int r, ColumnMatrix out) {
    scatterAdd(l, affineTranspose(block, input(l), l, delta, net.layerOutputs(l) * r), r, out);
  }

  /**
   * A sink adding {@code (A~ o A~)^T sum_c (D_c o D_c)} per layer to {@code out}: the squares of
   * the per-row gradients {@code D_ic a~_i^T}, summed over rows and the {@code r} directions.
   */
  private LayerSink squaresSink(int r, double[] out) {
    RowBlock squaredBlock = block.squaredEntries();
    ColumnMatrix target = new ColumnMatrix(out.length, 1, out);
    return (l, delta) -> {
      int size = n * net.layerOutputs(l);
      double[] squares = new double[size];
      for (int c = 0; c < r; c++) {
        int base = c * size;
        for (int t = 0; t < size; t++) {
          double x = delta[base + t];
          squares[t] += x * x;
        }
      }
      double[] squaredInput = null;
      if (l > 0) {
        double[] a = activations[l - 1];
        squaredInput = new double[a.length];
        for (int t = 0; t < a.length; t++) {
          squaredInput[t] = a[t] * a[t];
        }
      }
      double[] product =
          affineTranspose(squaredBlock, squaredInput, l, squares, net.layerOutputs(l));
      scatterAdd(l, product, 1, target);
    };
  }

  /** Layer {@code l}'s input: null for the block, else the previous layer's activations. */
  private double[] input(int l) {
    return l == 0 ? null : activations[l - 1];
  }

  /**
   * {@code out = A~_{l-1} P} for the {@code (in + 1) x cols} matrix {@code P} at
   * {@code params[offset]}; layer 0 reads the block.
   */
  private void affine(int l, double[] input, double[] params, int offset, int cols,
      double[] out) {
    int in = net.layerInputs(l);
    int rows = in + 1;
    if (l == 0) {
      double[] p = offset == 0 && params.length == rows * cols
          ? params : Arrays.copyOfRange(params, offset, offset + rows * cols);
      block.multiplyBlock(new ColumnMatrix(rows, cols, p), true, out);
      return;
    }
    BLAS.getInstance().dgemm("N", "N", n, cols, in, 1.0, input, 0, n, params, offset, rows, 0.0,
        out, 0, n);
    for (int c = 0; c < cols; c++) {
      double b = params[offset + c * rows + in];
      if (b != 0.0) {
        int base = c * n;
        for (int i = 0; i < n; i++) {
          out[base + i] += b;
        }
      }
    }
  }

  /**
   * A new {@code (in + 1) x cols} array {@code A~^T D} for the {@code n x cols} array
   * {@code delta}, with {@code A} the layer's input: {@code rows} for layer 0, {@code input} after.
   */
  private double[] affineTranspose(RowBlock rows, double[] input, int l, double[] delta,
      int cols) {
    int in = net.layerInputs(l);
    int ld = in + 1;
    double[] result = new double[ld * cols];
    if (l == 0) {
      rows.addTransposeTimesBlock(delta, true, new ColumnMatrix(ld, cols, result));
      return result;
    }
    BLAS.getInstance().dgemm("T", "N", in, cols, n, 1.0, input, 0, n, delta, 0, n, 0.0, result,
        0, ld);
    for (int c = 0; c < cols; c++) {
      double sum = 0.0;
      int base = c * n;
      for (int i = 0; i < n; i++) {
        sum += delta[base + i];
      }
      result[c * ld + in] = sum;
    }
    return result;
  }

  /** {@code out = D W_l^T} (bias row left out) for each of the {@code r} directions of {@code delta}. */
  private void timesWeightsTransposed(int l, double[] delta, int r, double[] out) {
    int in = net.layerInputs(l);
    int units = net.layerOutputs(l);
    for (int c = 0; c < r; c++) {
      BLAS.getInstance().dgemm("N", "T", n, in, units, 1.0, delta, c * n * units, n, theta,
          net.layerOffset(l), in + 1, 0.0, out, c * n * in, n);
    }
  }

  /** {@code values}, each of its {@code r} blocks multiplied entrywise by {@code f}, in place. */
  private static double[] times(double[] f, double[] values, int r) {
    int size = f.length;
    for (int c = 0; c < r; c++) {
      int base = c * size;
      for (int t = 0; t < size; t++) {
        values[base + t] *= f[t];
      }
    }
    return values;
  }

  /** Layer {@code l}'s slice of each column of {@code v}, as one {@code (in + 1) x (out r)} array. */
  private double[] gather(int l, ColumnMatrix v) {
    int size = (net.layerInputs(l) + 1) * net.layerOutputs(l);
    int r = v.cols();
    int p = v.rows();
    double[] g = new double[size * r];
    for (int c = 0; c < r; c++) {
      System.arraycopy(v.data(), c * p + net.layerOffset(l), g, c * size, size);
    }
    return g;
  }

  /** Adds a gathered {@code (in + 1) x (out r)} array into layer {@code l}'s slice of each column of {@code out}. */
  private void scatterAdd(int l, double[] gathered, int r, ColumnMatrix out) {
    int size = (net.layerInputs(l) + 1) * net.layerOutputs(l);
    int p = out.rows();
    double[] o = out.data();
    for (int c = 0; c < r; c++) {
      int to = c * p + net.layerOffset(l);
      int from = c * size;
      for (int t = 0; t < size; t++) {
        o[to + t] += gathered[from + t];
      }
    }
  }

  /** The R-forward quantities of {@code r} directions, per layer. */
  static final class Directions {
    final int r;
    /** Each layer's slice of the directions, gathered. */
    final double[][] parameters;
    /** {@code R{S_l}}, {@code n x (out_l r)}; the last layer's is {@code J V}. */
    final double[][] preActivations;
    /** {@code R{A_l}} of the hidden layers. */
    final double[][] activations;

    Directions(int layers, int r) {
      this.r = r;
      this.parameters = new double[layers][];
      this.preActivations = new double[layers][];
      this.activations = new double[layers - 1][];
    }

    /** {@code J V}, {@code n x (K r)}. */
    double[] outputs() {
      return preActivations[preActivations.length - 1];
    }
  }
}
