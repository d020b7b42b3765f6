package dev.sparknewton.ml.classification;

import dev.sparknewton.data.LabelKind;
import dev.sparknewton.data.LabeledDataset;
import dev.sparknewton.data.TrainingData;
import dev.sparknewton.ml.EstimatorTraining;
import dev.sparknewton.ml.LinearModelFit;
import dev.sparknewton.ml.TrainingSummary;
import dev.sparknewton.ml.params.NewtonClassifierParams;
import dev.sparknewton.ml.params.NewtonParamSet;
import dev.sparknewton.ml.params.PendingUid;
import java.util.Arrays;
import org.apache.spark.ml.attribute.Attribute;
import org.apache.spark.ml.attribute.NominalAttribute;
import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * Logistic regression trained by this project's Newton-type solvers, a drop-in for Spark MLlib's
 * {@code LogisticRegression} in a {@code Pipeline}, {@code CrossValidator} or
 * {@code TrainValidationSplit}.
 *
 * <p>Objective (MLlib's with {@code standardization = false}, {@code elasticNetParam = 0}), with
 * instance weights {@code c_i} and the intercepts unpenalized:
 *
 * <ul>
 *   <li>binomial ({@code family} binomial, or auto with 2 classes):
 *       {@code (1/sum c) sum c_i log(1 + exp(-s_i (w.x_i + b))) + (regParam/2) ||w||^2},
 *       {@code s_i = +1} for label 1, {@code -1} for label 0;
 *   <li>multinomial ({@code family} multinomial, or auto with more than 2 classes):
 *       {@code (1/sum c) sum c_i [-log softmax(W x_i + b)_{y_i}] + (regParam/2) ||W||_F^2} over
 *       the whole {@code K x d} matrix, as MLlib (no reference class), intercepts reported
 *       centered ({@code sum b_k = 0}).
 * </ul>
 *
 * <p>Labels are class indices {@code 0 .. K-1} as doubles ({@code StringIndexer} makes them);
 * {@code K} comes from the label column's metadata, else from the largest label. Fitting runs
 * the command line's training path ({@link EstimatorTraining}, {@code ModelTraining}): the solver
 * param ({@code auto} or any solver name) and its settings are those of {@code reference.conf}'s
 * {@code solver} section, with the same defaults.
 */
public final class NewtonLogisticRegression
    extends ProbabilisticClassifier<Vector, NewtonLogisticRegression, NewtonLogisticRegressionModel>
    implements NewtonClassifierParams<NewtonLogisticRegression>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final NewtonParamSet params;

  public NewtonLogisticRegression() {
    this(Identifiable.randomUID("newtonLogReg"));
  }

  public NewtonLogisticRegression(String uid) {
    this(PendingUid.hold(uid));
  }

  private NewtonLogisticRegression(PendingUid pending) {
    super();
    this.uid = pending.release();
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
  public double[] getThresholds() {
    return thresholdsOrThreshold();
  }

  @Override
  public NewtonLogisticRegression setThresholds(double[] value) {
    if (isSet(threshold())) {
      clear(threshold());
    }
    return super.setThresholds(value);
  }

  @Override
  public NewtonLogisticRegressionModel train(Dataset<?> dataset) {
    LabeledDataset.Columns columns = LabeledDataset.Columns.of(getLabelCol(), getFeaturesCol(),
        getWeightCol(), "NewtonLogisticRegression");
    LabelKind kind = switch (getFamily()) {
      case "binomial" -> LabelKind.BINARY;
      case "multinomial" -> LabelKind.MULTICLASS;
      default -> LabelKind.AUTO;
    };
    TrainingData data = LabeledDataset.classes(dataset, columns, declaredClasses(dataset), kind);
    int numClasses = data.labels().numClasses();
    if (isSet(thresholds()) && getThresholds().length != numClasses) {
      throw new IllegalArgumentException("thresholds has " + getThresholds().length
          + " entries but the data have " + numClasses + " classes: "
          + Arrays.toString(getThresholds()));
    }
    TrainingSummary run = EstimatorTraining.fit(dataset.sparkSession(), data, this,
        "NewtonLogisticRegression " + uid);
    LinearModelFit fit = run.linear();
    boolean multinomial = data.labels().kind() == LabelKind.MULTICLASS;
    NewtonLogisticRegressionModel model = new NewtonLogisticRegressionModel(uid,
        fit.mlCoefficientMatrix(), Vectors.dense(fit.intercepts()),
        numClasses, multinomial);
    copyValues(model, ParamMap.empty());
    return model.withSummary(run, dataset);
  }

  /** The number of classes the label column's metadata declares, or 0. */
  private int declaredClasses(Dataset<?> dataset) {
    Attribute a = Attribute.fromStructField(dataset.schema().apply(getLabelCol()));
    if (a instanceof NominalAttribute n && n.getNumValues().isDefined()) {
      return (Integer) n.getNumValues().get();
    }
    return 0;
  }

  @Override
  public NewtonLogisticRegression copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** A reader of saved estimators (params only). */
  public static MLReader<NewtonLogisticRegression> read() {
    return new DefaultParamsReader<>();
  }

  public static NewtonLogisticRegression load(String path) {
    return read().load(path);
  }
}
