package dev.sparknewton.ml.classification;

import dev.sparknewton.data.LabelKind;
import dev.sparknewton.data.LabelMapping;
import dev.sparknewton.distributed.DistributedFolds;
import dev.sparknewton.ml.EvaluationFrame;
import dev.sparknewton.ml.LinearModelFit;
import dev.sparknewton.ml.LinearModelStore;
import dev.sparknewton.ml.ModelType;
import dev.sparknewton.ml.TrainingSummary;
import dev.sparknewton.ml.params.NewtonClassifierParams;
import dev.sparknewton.ml.params.NewtonParamSet;
import dev.sparknewton.ml.params.PendingUid;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.Matrix;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A fitted {@link NewtonLogisticRegression}: {@code z = W x + b} with {@code W} the
 * {@link #coefficientMatrix()} ({@code 1 x d} binomial, {@code K x d} multinomial) and {@code b}
 * the {@link #interceptVector()}. Columns, as Spark MLlib's {@code LogisticRegressionModel}:
 *
 * <ul>
 *   <li>binomial: {@code rawPrediction = [-m, m]} with the margin {@code m = w.x + b},
 *       {@code probability = [sigma(-m), sigma(m)]}, {@code prediction} 1 when
 *       {@code p1 > threshold} ({@link #getThreshold()});
 *   <li>multinomial: {@code rawPrediction = W x + b}, {@code probability = softmax} of it,
 *       {@code prediction} the largest probability, or the largest {@code p_k / t_k} when
 *       {@code thresholds} are set (Spark's rule).
 * </ul>
 *
 * Saved and loaded with {@link #write()} / {@link #load(String)} in the format of
 * {@link LinearModelStore}; a {@code PipelineModel} holding it saves and loads with it.
 */
public final class NewtonLogisticRegressionModel
    extends ProbabilisticClassificationModel<Vector, NewtonLogisticRegressionModel>
    implements NewtonClassifierParams<NewtonLogisticRegressionModel>, MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final NewtonParamSet params;
  private final LinearModelFit fit;
  private final int numClasses;
  private final boolean multinomial;
  private transient NewtonLogisticRegressionTrainingSummary summary;

  /**
   * @param coefficientMatrix {@code K' x d}: {@code K' = 1} binomial, {@code numClasses}
   *     multinomial; copied
   * @param interceptVector {@code K'} intercepts; copied
   * @param numClasses {@code >= 2}
   * @param multinomial softmax over {@code numClasses} outputs, else one binomial margin
   */
  public NewtonLogisticRegressionModel(String uid, Matrix coefficientMatrix,
      Vector interceptVector, int numClasses, boolean multinomial) {
    this(PendingUid.hold(uid), coefficientMatrix, interceptVector, numClasses, multinomial);
  }

  private NewtonLogisticRegressionModel(PendingUid pending, Matrix coefficientMatrix,
      Vector interceptVector, int numClasses, boolean multinomial) {
    super();
    this.uid = pending.release();
    int outputs = multinomial ? numClasses : 1;
    if (numClasses < 2 || (!multinomial && numClasses != 2)) {
      throw new IllegalArgumentException("a " + (multinomial ? "multinomial" : "binomial")
          + " model needs " + (multinomial ? ">= 2" : "2") + " classes, got " + numClasses);
    }
    if (coefficientMatrix.numRows() != outputs || interceptVector.size() != outputs) {
      throw new IllegalArgumentException("expected " + outputs + " coefficient rows and "
          + "intercepts, got " + coefficientMatrix.numRows() + " x " + coefficientMatrix.numCols()
          + " coefficients and " + interceptVector.size() + " intercepts");
    }
    double[][] w = new double[outputs][coefficientMatrix.numCols()];
    for (int k = 0; k < outputs; k++) {
      for (int j = 0; j < w[k].length; j++) {
        w[k][j] = coefficientMatrix.apply(k, j);
      }
    }
    List<Double> classes = new ArrayList<>();
    for (int k = 0; k < numClasses; k++) {
      classes.add((double) k);
    }
    LabelMapping labels = LabelMapping.ofNumbers(classes,
        multinomial ? LabelKind.MULTICLASS : LabelKind.BINARY, numClasses, Optional.empty(),
        "the model's classes");
    this.fit = new LinearModelFit(
        multinomial ? ModelType.MULTINOMIAL_LOGISTIC : ModelType.BINARY_LOGISTIC, w,
        interceptVector.toArray(), labels, List.of());
    this.numClasses = numClasses;
    this.multinomial = multinomial;
    this.params = new NewtonParamSet(this, true);
  }

  @Override
  public String uid() {
    if (uid == null) {
      uid = PendingUid.current();
    }
    return uid;
  }

  @Override
  public NewtonParamSet newtonParams() {
    return params;
  }

  @Override
  public int numClasses() {
    return numClasses;
  }

  @Override
  public int numFeatures() {
    return fit.numFeatures();
  }

  /** True when the model is a softmax over {@link #numClasses()} outputs. */
  public boolean isMultinomial() {
    return multinomial;
  }

  /** {@code W}: {@code 1 x d} (binomial) or {@code K x d} (multinomial). */
  public Matrix coefficientMatrix() {
    return fit.mlCoefficientMatrix();
  }

  /** {@code b}: 1 (binomial) or {@code K} (multinomial) intercepts; 0 without intercept. */
  public Vector interceptVector() {
    return Vectors.dense(fit.intercepts());
  }

  /** The binomial coefficients {@code w}, as MLlib's {@code coefficients}. */
  public Vector coefficients() {
    requireBinomial("coefficients", "coefficientMatrix");
    return Vectors.dense(fit.coefficients(0));
  }

  /** The binomial intercept {@code b}, as MLlib's {@code intercept}. */
  public double intercept() {
    requireBinomial("intercept", "interceptVector");
    return fit.intercepts()[0];
  }

  private void requireBinomial(String what, String instead) {
    if (multinomial) {
      throw new IllegalStateException(
          "a multinomial model has a matrix of " + what + "; use " + instead + " instead");
    }
  }

  @Override
  public Vector predictRaw(Vector features) {
    double[] z = fit.outputs(features);
    return multinomial ? Vectors.dense(z) : Vectors.dense(-z[0], z[0]);
  }

  /**
   * Binomial: {@code [sigma(-m), sigma(m)]} from {@code [-m, m]}; multinomial: the softmax,
   * shifted by the largest score so that no {@code exp} overflows.
   */
  @Override
  public Vector raw2probabilityInPlace(Vector rawPrediction) {
    if (!(rawPrediction instanceof DenseVector dv)) {
      throw new IllegalArgumentException("rawPrediction must be a dense vector, got "
          + rawPrediction.getClass().getSimpleName());
    }
    double[] v = dv.values();
    if (!multinomial) {
      for (int k = 0; k < v.length; k++) {
        v[k] = 1.0 / (1.0 + Math.exp(-v[k]));
      }
      return dv;
    }
    double max = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      max = Math.max(max, x);
    }
    double sum = 0.0;
    for (int k = 0; k < v.length; k++) {
      v[k] = Math.exp(v[k] - max);
      sum += v[k];
    }
    for (int k = 0; k < v.length; k++) {
      v[k] /= sum;
    }
    return dv;
  }

  @Override
  public double raw2prediction(Vector rawPrediction) {
    if (multinomial) {
      return super.raw2prediction(rawPrediction);
    }
    double t = getThreshold();
    // p1 > t <=> m > log(t / (1 - t)), with the ends t = 0 and t = 1 as limits.
    double rawThreshold = t == 0.0 ? Double.NEGATIVE_INFINITY
        : t == 1.0 ? Double.POSITIVE_INFINITY : Math.log(t / (1.0 - t));
    return rawPrediction.apply(1) > rawThreshold ? 1.0 : 0.0;
  }

  @Override
  public double probability2prediction(Vector probability) {
    if (multinomial) {
      return super.probability2prediction(probability);
    }
    return probability.apply(1) > getThreshold() ? 1.0 : 0.0;
  }

  @Override
  public double[] getThresholds() {
    return thresholdsOrThreshold();
  }

  @Override
  public NewtonLogisticRegressionModel setThresholds(double[] value) {
    if (isSet(threshold())) {
      clear(threshold());
    }
    return super.setThresholds(value);
  }

  /** True when the model was fitted in this session (a loaded model has no summary). */
  public boolean hasSummary() {
    return summary != null;
  }

  /**
   * The training run and the metrics on the training data.
   *
   * @throws IllegalStateException when {@link #hasSummary()} is false
   */
  public NewtonLogisticRegressionTrainingSummary summary() {
    if (summary == null) {
      throw new IllegalStateException("no training summary for model " + uid
          + ": it was loaded or copied, not fitted in this session");
    }
    return summary;
  }

  /**
   * Spark ML's {@code transform}, on classic Spark. Over Spark Connect it is refused in one line:
   * Spark ML's predictors compute their columns with Scala UDFs that hold the model, and the
   * Connect client cannot send those (tried: "UDF cannot be executed on a Spark cluster: it cannot
   * be deserialized", its {@code ParamMap}). Fitting works over Connect.
   *
   * @throws UnsupportedOperationException on a Spark Connect session
   */
  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    DistributedFolds.requireClassic(dataset.sparkSession(), "NewtonLogisticRegressionModel.transform",
        "Spark ML computes predictions with Scala UDFs holding the model, which a Connect client "
            + "cannot send; fit over Connect, predict on classic compute (or from the coefficients)");
    return super.transform(dataset);
  }

  /** The metrics of this model on {@code dataset} (its label, features and weight columns). */
  public NewtonLogisticRegressionSummary evaluate(Dataset<?> dataset) {
    return new NewtonLogisticRegressionSummary(() -> transform(dataset), frame(dataset), fit,
        numClasses);
  }

  NewtonLogisticRegressionModel withSummary(TrainingSummary run, Dataset<?> dataset) {
    summary = new NewtonLogisticRegressionTrainingSummary(run, () -> transform(dataset),
        frame(dataset), fit, numClasses);
    return this;
  }

  private Dataset<Row> frame(Dataset<?> dataset) {
    return EvaluationFrame.of(dataset, getLabelCol(), getFeaturesCol(), getWeightCol());
  }

  /**
   * Spark-internal (MLlib's own summaries call it); declared here because javac sees the two
   * Scala overrides of the superclasses as a conflict. This model's summaries do not use it.
   */
  @Override
  @SuppressWarnings("rawtypes")
  public scala.Tuple3 findSummaryModel() {
    return new scala.Tuple3<>(this, getProbabilityCol(), getPredictionCol());
  }

  @Override
  public NewtonLogisticRegressionModel copy(ParamMap extra) {
    NewtonLogisticRegressionModel copy = new NewtonLogisticRegressionModel(uid,
        coefficientMatrix(), interceptVector(), numClasses, multinomial);
    copy.summary = summary;
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** A reader of saved models; {@code PipelineModel.load} finds it by this static method. */
  public static MLReader<NewtonLogisticRegressionModel> read() {
    return new Reader();
  }

  public static NewtonLogisticRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "NewtonLogisticRegressionModel: uid=" + uid + ", numClasses=" + numClasses
        + ", numFeatures=" + numFeatures() + (multinomial ? ", multinomial" : ", binomial");
  }

  private static final class Writer extends MLWriter {
    private final NewtonLogisticRegressionModel model;

    Writer(NewtonLogisticRegressionModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      LinearModelStore.save(model, path, sparkSession(), model.numClasses,
          model.interceptVector(), model.coefficientMatrix(), model.multinomial);
    }
  }

  private static final class Reader extends MLReader<NewtonLogisticRegressionModel> {
    @Override
    public NewtonLogisticRegressionModel load(String path) {
      LinearModelStore.Stored s = LinearModelStore.load(path, sparkSession(),
          NewtonLogisticRegressionModel.class.getName());
      NewtonLogisticRegressionModel model = new NewtonLogisticRegressionModel(s.metadata().uid(),
          s.coefficientMatrix(), s.interceptVector(), s.numClasses(), s.isMultinomial());
      s.setParams(model);
      return model;
    }
  }
}
