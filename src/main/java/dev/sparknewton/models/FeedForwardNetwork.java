package dev.sparknewton.models;

import dev.sparknewton.data.RowBlock;
import dev.sparknewton.linalg.ColumnMatrix;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A feed-forward network of dense layers {@code d -> h_1 -> ... -> h_L -> K}: with
 * {@code a_0 = x},
 *
 * <pre>  s_l = W_l a_{l-1} + b_l,   a_l = phi(s_l)  (l = 1..L),   z = W_{L+1} a_L + b_{L+1}</pre>
 *
 * with one hidden {@link Activation} {@code phi} and a linear output layer into an
 * {@link OutputLoss}: softmax cross-entropy ({@link #classifier}), squared error on {@code K}
 * outputs ({@link #squaredError}: one-hot class targets for {@code K > 1}, the real label for
 * {@code K = 1}), or any other loss of {@code K} outputs and one label per row. An
 * {@link #autoencoder} ({@code K = d}) presents {@code z = f(x) - x} with the label-free
 * {@link SquaredNormLoss#ofResidual} loss {@code |z|^2 / 2}: the row is its own target, and since
 * {@code x} does not depend on {@code theta} the Jacobian is that of {@code f}.
 *
 * <p><b>Parameter layout</b> (the only place it is defined). Layer {@code l} ({@code 0}-based,
 * {@code l = 0} reads the features, the last is the output layer) maps {@code in_l} inputs to
 * {@code out_l} units and is stored as the column-major {@code (in_l + 1) x out_l} matrix whose
 * column {@code j} is {@code [w_j; b_j]}, the weights into unit {@code j} then its bias:
 * {@code theta[offset_l + j (in_l + 1) + i] = W_l[j][i]} and
 * {@code theta[offset_l + j (in_l + 1) + in_l] = b_l[j]}, with the layers one after another
 * ({@code offset_0 = 0}, {@code offset_{l+1} = offset_l + (in_l + 1) out_l}). This is
 * {@link LinearModel}'s layout for every layer, so layer 0 is {@code X~ V} for
 * {@code X~ = [X, 1]} through {@link RowBlock#multiplyBlock} and its transpose through
 * {@link RowBlock#addTransposeTimesBlock}, sparse or dense, and a network with no hidden layer has
 * exactly the {@code theta} of the {@code LinearModel} with an intercept. {@link #weights},
 * {@link #biases} and {@link #parameters} convert. Every weight is penalized, no bias.
 *
 * <p>{@link #initialPoint} is Glorot and Bengio's (2010) uniform initialization: every weight of
 * layer {@code l} from {@code U(-a, a)} with {@code a = sqrt(6 / (in_l + out_l))}, four times that
 * for the layers into sigmoid units (their recommendation, since the sigmoid's slope at 0 is 1/4
 * of tanh's), biases 0; seeded, so the same seed gives the same point. With no hidden layer the
 * model is convex and starts at zeros, as the linear models do.
 *
 * <p>Every product runs per block through BLAS {@code dgemm} on column-major {@code n x h}
 * activations ({@link NetworkPass}); workspaces are allocated per call, so one instance serves
 * several threads. Gauss-Newton products follow Schraudolph (2002), exact Hessian products
 * Pearlmutter's (1994) R-operator.
 *
 * <p>References: Glorot, Bengio, Understanding the difficulty of training deep feedforward neural
 * networks, AISTATS 2010. Pearlmutter, Fast exact multiplication by the Hessian, Neural
 * Computation 1994. Schraudolph, Fast curvature matrix-vector products for second-order gradient
 * descent, Neural Computation 2002. Martens, Deep learning via Hessian-free optimization, ICML
 * 2010.
 */
public final class FeedForwardNetwork implements Model {
  private static final long serialVersionUID = 1L;

  /** Identity columns per Gauss-Newton product when the dense matrix is formed. */
  private static final int DENSE_CHUNK = 64;

  private final int[] widths;
  private final int[] offsets;
  private final int dimension;
  private final Activation activation;
  private final OutputLoss loss;
  private final boolean reconstructs;

  /**
   * A network whose loss reads each row's label.
   *
   * @param hiddenWidths {@code h_1 .. h_L}, each {@code >= 1}; empty for no hidden layer. Not
   *     modified.
   * @param loss of {@code K = loss.numOutputs()} outputs
   * @throws IllegalArgumentException for a width below 1 or more parameters than an array holds
   */
  public FeedForwardNetwork(int numFeatures, int[] hiddenWidths, Activation activation,
      OutputLoss loss) {
    this(numFeatures, hiddenWidths, activation, loss, false);
  }

  private FeedForwardNetwork(int numFeatures, int[] hiddenWidths, Activation activation,
      OutputLoss loss, boolean reconstructs) {
    if (activation == null || loss == null) {
      throw new IllegalArgumentException("a network needs an activation and a loss");
    }
    int layers = hiddenWidths.length + 1;
    widths = new int[layers + 1];
    widths[0] = numFeatures;
    System.arraycopy(hiddenWidths, 0, widths, 1, hiddenWidths.length);
    widths[layers] = loss.numOutputs();
    for (int w : widths) {
      if (w < 1) {
        throw new IllegalArgumentException("every layer needs >= 1 unit, got widths "
            + Arrays.toString(widths));
      }
    }
    offsets = new int[layers];
    long p = 0;
    for (int l = 0; l < layers; l++) {
      offsets[l] = (int) Math.min(p, Integer.MAX_VALUE);
      p += (long) (widths[l] + 1) * widths[l + 1];
    }
    if (p > Integer.MAX_VALUE - 8) {
      throw new IllegalArgumentException("a network of widths " + Arrays.toString(widths)
          + " has " + p + " parameters, more than a Java array holds");
    }
    this.dimension = (int) p;
    this.activation = activation;
    this.loss = loss;
    this.reconstructs = reconstructs;
  }

  /** Softmax cross-entropy over {@code numClasses} outputs. */
  public static FeedForwardNetwork classifier(int numFeatures, int[] hiddenWidths,
      Activation activation, int numClasses) {
    return new FeedForwardNetwork(
        numFeatures, hiddenWidths, activation, new SoftmaxCrossEntropy(numClasses));
  }

  /**
   * Squared error: for {@code numOutputs = 1} against the real label (least squares regression),
   * for {@code numOutputs > 1} against the one-hot vector of a class label.
   */
  public static FeedForwardNetwork squaredError(int numFeatures, int[] hiddenWidths,
      Activation activation, int numOutputs) {
    OutputLoss loss = numOutputs == 1 ? SquaredLoss.INSTANCE : SquaredNormLoss.oneHot(numOutputs);
    return new FeedForwardNetwork(numFeatures, hiddenWidths, activation, loss);
  }

  /**
   * The autoencoder {@code x -> f(x)}, {@code K = d}, trained on {@code |f(x) - x|^2 / 2}: its
   * {@link #outputs} are the residuals {@code f(x) - x}, labels are not read.
   */
  public static FeedForwardNetwork autoencoder(int numFeatures, int[] hiddenWidths,
      Activation activation) {
    return new FeedForwardNetwork(numFeatures, hiddenWidths, activation,
        SquaredNormLoss.ofResidual(numFeatures), true);
  }

  public int numFeatures() {
    return widths[0];
  }

  /** {@code h_1 .. h_L}. A new array. */
  public int[] hiddenWidths() {
    return Arrays.copyOfRange(widths, 1, widths.length - 1);
  }

  public Activation activation() {
    return activation;
  }

  /** Whether this is an autoencoder, whose outputs are {@code f(x) - x}. */
  public boolean reconstructs() {
    return reconstructs;
  }

  /** Dense layers, hidden ones and the output layer: {@code L + 1}. */
  public int numLayers() {
    return offsets.length;
  }

  /** {@code in_l}. */
  public int layerInputs(int layer) {
    return widths[checkLayer(layer)];
  }

  /** {@code out_l}. */
  public int layerOutputs(int layer) {
    return widths[checkLayer(layer) + 1];
  }

  /** Where layer {@code l}'s {@code (in_l + 1) x out_l} matrix starts in {@code theta}. */
  public int layerOffset(int layer) {
    return offsets[checkLayer(layer)];
  }

  /** The index in {@code theta} of the weight from input {@code i} into unit {@code j} of layer {@code l}. */
  public int weightIndex(int layer, int unit, int input) {
    int in = layerInputs(layer);
    return offsets[layer] + unit * (in + 1) + input;
  }

  /** The index in {@code theta} of unit {@code j}'s bias in layer {@code l}. */
  public int biasIndex(int layer, int unit) {
    return weightIndex(layer, unit, layerInputs(layer));
  }

  /** Layer {@code l}'s weights as {@code out_l} rows of {@code in_l}, copied out of {@code theta}. */
  public double[][] weights(double[] theta, int layer) {
    checkLength(theta.length);
    int in = layerInputs(layer);
    double[][] w = new double[layerOutputs(layer)][];
    for (int j = 0; j < w.length; j++) {
      int from = weightIndex(layer, j, 0);
      w[j] = Arrays.copyOfRange(theta, from, from + in);
    }
    return w;
  }

  /** Layer {@code l}'s {@code out_l} biases, copied out of {@code theta}. */
  public double[] biases(double[] theta, int layer) {
    checkLength(theta.length);
    double[] b = new double[layerOutputs(layer)];
    for (int j = 0; j < b.length; j++) {
      b[j] = theta[biasIndex(layer, j)];
    }
    return b;
  }

  /**
   * {@code theta} from every layer's weights ({@code out_l x in_l}, as {@link #weights}) and
   * biases ({@code out_l}). Not modified.
   */
  public double[] parameters(double[][][] weights, double[][] biases) {
    if (weights.length != numLayers() || biases.length != numLayers()) {
      throw new IllegalArgumentException("expected " + numLayers() + " layers of weights and"
          + " biases, got " + weights.length + " and " + biases.length);
    }
    double[] theta = new double[dimension];
    for (int l = 0; l < numLayers(); l++) {
      int in = layerInputs(l);
      int out = layerOutputs(l);
      if (weights[l].length != out || biases[l].length != out) {
        throw new IllegalArgumentException("layer " + l + " has " + out + " units, got "
            + weights[l].length + " weight rows and " + biases[l].length + " biases");
      }
      for (int j = 0; j < out; j++) {
        if (weights[l][j].length != in) {
          throw new IllegalArgumentException("layer " + l + " unit " + j + " has "
              + weights[l][j].length + " weights, expected " + in);
        }
        System.arraycopy(weights[l][j], 0, theta, weightIndex(l, j, 0), in);
        theta[biasIndex(l, j)] = biases[l][j];
      }
    }
    return theta;
  }

  @Override
  public int dimension() {
    return dimension;
  }

  @Override
  public int numOutputs() {
    return loss.numOutputs();
  }

  @Override
  public OutputLoss loss() {
    return loss;
  }

  /** Every weight, no bias. */
  @Override
  public boolean[] penalized() {
    boolean[] mask = new boolean[dimension];
    for (int l = 0; l < numLayers(); l++) {
      for (int j = 0; j < layerOutputs(l); j++) {
        int from = weightIndex(l, j, 0);
        Arrays.fill(mask, from, from + layerInputs(l), true);
      }
    }
    return mask;
  }

  /** Glorot uniform weights, zero biases (see the class comment); zeros with no hidden layer. */
  @Override
  public double[] initialPoint(long seed) {
    double[] theta = new double[dimension];
    if (numLayers() == 1) {
      return theta;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int l = 0; l < numLayers(); l++) {
      double a = glorotBound(l);
      for (int j = 0; j < layerOutputs(l); j++) {
        for (int i = 0; i < layerInputs(l); i++) {
          theta[weightIndex(l, j, i)] = a * (2.0 * random.nextDouble() - 1.0);
        }
      }
    }
    return theta;
  }

  /**
   * {@code sqrt(6 / (in_l + out_l))}, times 4 for a hidden layer of sigmoid units: the half-width
   * of layer {@code l}'s initial weights.
   */
  public double glorotBound(int layer) {
    double a = Math.sqrt(6.0 / (layerInputs(layer) + layerOutputs(layer)));
    boolean sigmoidUnits = activation == Activation.SIGMOID && layer < numLayers() - 1;
    return sigmoidUnits ? 4.0 * a : a;
  }

  /** Only without a hidden layer (then this is a linear model). */
  @Override
  public boolean linearInParameters() {
    return numLayers() == 1;
  }

  @Override
  public void outputs(RowBlock block, double[] theta, double[] out) {
    checkLength(theta.length);
    if (block.numRows() > 0) {
      NetworkPass pass = NetworkPass.forward(this, block, theta, NetworkPass.Order.VALUES);
      System.arraycopy(pass.outputs(), 0, out, 0, block.numRows() * numOutputs());
    }
  }

  /** One forward pass (keeping {@code phi'}) serves the outputs and every gradient-pass product. */
  @Override
  public BlockPass forward(RowBlock block, double[] theta) {
    checkLength(theta.length);
    if (block.numRows() == 0) {
      return Model.super.forward(block, theta);
    }
    NetworkPass pass = NetworkPass.forward(this, block, theta, NetworkPass.Order.FIRST);
    return new BlockPass() {
      @Override
      public double[] outputs() {
        return pass.outputs();
      }

      @Override
      public void addJacobianTransposeTimes(double[] s, ColumnMatrix out) {
        checkLength(out.rows());
        pass.addTransposeTimes(s, out);
      }

      @Override
      public void addGaussNewtonDiagonal(double[] state, double[] out) {
        checkLength(out.length);
        pass.addGaussNewtonDiagonal(state, out);
      }

      @Override
      public void addSquaredRowGradients(double[] u, double[] out) {
        checkLength(out.length);
        pass.addSquaredRowGradients(u, out);
      }

      @Override
      public double addLossGradient(double[] derivatives, double[] state, ColumnMatrix gradient) {
        double sum = loss().evaluateBlock(block, pass.outputs(), derivatives, state);
        addJacobianTransposeTimes(derivatives, gradient);
        return sum;
      }
    };
  }

  /** The R-forward pass ({@code r} forward-mode directions at once). */
  @Override
  public void jacobianTimes(RowBlock block, double[] theta, ColumnMatrix v, double[] out) {
    checkLength(theta.length);
    checkLength(v.rows());
    if (block.numRows() > 0) {
      NetworkPass pass = NetworkPass.forward(this, block, theta, NetworkPass.Order.FIRST);
      double[] jv = pass.propagate(v).outputs();
      System.arraycopy(jv, 0, out, 0, block.numRows() * numOutputs() * v.cols());
    }
  }

  /** Backpropagation of the {@code r} output-space columns of {@code s} at once. */
  @Override
  public void addJacobianTransposeTimes(RowBlock block, double[] theta, double[] s,
      ColumnMatrix out) {
    checkLength(theta.length);
    checkLength(out.rows());
    if (block.numRows() > 0) {
      NetworkPass.forward(this, block, theta, NetworkPass.Order.FIRST)
          .addTransposeTimes(s, out);
    }
  }

  /**
   * One fused routine per block: the forward pass, the R-forward pass of the {@code r}
   * directions, {@code c_i H_l} of each row, and one backward pass (Schraudolph's
   * {@code J^T H_l J V}); for {@link Curvature#HESSIAN} the backward pass is Pearlmutter's
   * R-backpropagation, which adds the second-order terms through {@code dl/dz}.
   */
  @Override
  public void addCurvatureTimes(Curvature kind, RowBlock block, double[] theta, double[] state,
      ColumnMatrix v, ColumnMatrix out) {
    checkLength(theta.length);
    checkLength(v.rows());
    checkLength(out.rows());
    if (block.numRows() > 0) {
      NetworkPass.Order order =
          kind == Curvature.HESSIAN ? NetworkPass.Order.SECOND : NetworkPass.Order.FIRST;
      NetworkPass.forward(this, block, theta, order).addCurvatureTimes(kind, state, v, out);
    }
  }

  /**
   * {@code sum_m} of the squared row gradients of {@code u_m}, column {@code m} of each row's
   * {@code sqrt(c_i) L_i} ({@link OutputLoss#curvatureFactor}): {@code K} backpropagations in one
   * batched backward pass (about the cost of a Gauss-Newton product with {@code r = K}), then one
   * squares product per layer.
   */
  @Override
  public void addGaussNewtonDiagonal(RowBlock block, double[] theta, double[] state,
      double[] out) {
    checkLength(theta.length);
    checkLength(out.length);
    if (block.numRows() > 0) {
      NetworkPass.forward(this, block, theta, NetworkPass.Order.FIRST)
          .addGaussNewtonDiagonal(state, out);
    }
  }

  /**
   * Per layer, row {@code i}'s gradient is {@code delta_i a~_i^T}, so the sum of squares is
   * {@code (a~ o a~)^T (delta o delta)}: one backward pass and one product per layer.
   */
  @Override
  public void addSquaredRowGradients(RowBlock block, double[] theta, double[] u, double[] out) {
    checkLength(theta.length);
    checkLength(out.length);
    if (block.numRows() > 0) {
      NetworkPass.forward(this, block, theta, NetworkPass.Order.FIRST)
          .addSquaredRowGradients(u, out);
    }
  }

  /**
   * The dense Gauss-Newton matrix from products with identity columns, {@value #DENSE_CHUNK} at a
   * time after one forward pass: {@code P / 64} batched products, meant for small {@code P}.
   */
  @Override
  public void addGaussNewtonLower(RowBlock block, double[] theta, double[] state,
      ColumnMatrix out) {
    checkLength(theta.length);
    checkLength(out.rows());
    if (block.numRows() == 0) {
      return;
    }
    NetworkPass pass = NetworkPass.forward(this, block, theta, NetworkPass.Order.FIRST);
    double[] o = out.data();
    for (int first = 0; first < dimension; first += DENSE_CHUNK) {
      int r = Math.min(DENSE_CHUNK, dimension - first);
      ColumnMatrix units = ColumnMatrix.zeros(dimension, r);
      for (int c = 0; c < r; c++) {
        units.set(first + c, c, 1.0);
      }
      ColumnMatrix product = ColumnMatrix.zeros(dimension, r);
      pass.addCurvatureTimes(Curvature.GAUSS_NEWTON, state, units, product);
      double[] g = product.data();
      for (int c = 0; c < r; c++) {
        int j = first + c;
        for (int i = j; i < dimension; i++) {
          o[j * dimension + i] += g[c * dimension + i];
        }
      }
    }
  }

  private int checkLayer(int layer) {
    if (layer < 0 || layer >= offsets.length) {
      throw new IllegalArgumentException(
          "layer " + layer + " of a network with " + offsets.length + " layers");
    }
    return layer;
  }

  private void checkLength(int length) {
    if (length != dimension) {
      throw new IllegalArgumentException("expected " + dimension + " parameters (network "
          + shape() + "), got " + length);
    }
  }

  private String shape() {
    StringBuilder s = new StringBuilder();
    for (int w : widths) {
      s.append(s.length() == 0 ? "" : "-").append(w);
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return (reconstructs ? "autoencoder " : "feed-forward network ") + shape() + ", "
        + activation.configName() + ", " + loss;
  }
}
