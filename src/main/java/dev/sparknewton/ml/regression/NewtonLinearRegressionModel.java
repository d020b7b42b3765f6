package dev.sparknewton.ml.regression;

import dev.sparknewton.data.LabelMapping;
import dev.sparknewton.distributed.DistributedFolds;
import dev.sparknewton.ml.EvaluationFrame;
import dev.sparknewton.ml.LinearModelFit;
import dev.sparknewton.ml.LinearModelStore;
import dev.sparknewton.ml.ModelType;
import dev.sparknewton.ml.TrainingSummary;
import dev.sparknewton.ml.params.NewtonParamSet;
import dev.sparknewton.ml.params.NewtonParams;
import dev.sparknewton.ml.params.PendingUid;
import java.util.List;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.RegressionModel;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * A fitted {@link NewtonLinearRegression}: {@code prediction = w.x + b}. Saved and loaded in the
 * format of {@link LinearModelStore} ({@code numClasses} 0, one row of coefficients, one
 * intercept).
 */
public final class NewtonLinearRegressionModel
    extends RegressionModel<Vector, NewtonLinearRegressionModel>
    implements NewtonParams<NewtonLinearRegressionModel>, MLWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final NewtonParamSet params;
  private final LinearModelFit fit;
  private transient NewtonLinearRegressionTrainingSummary summary;

  /**
   * @param coefficients {@code w}, {@code d}; copied
   * @param intercept {@code b} (0 without intercept)
   */
  public NewtonLinearRegressionModel(String uid, Vector coefficients, double intercept) {
    this(PendingUid.hold(uid), coefficients, intercept);
  }

  private NewtonLinearRegressionModel(PendingUid pending, Vector coefficients, double intercept) {
    super();
    this.uid = pending.release();
    this.fit = new LinearModelFit(ModelType.LEAST_SQUARES, new double[][] {coefficients.toArray()},
        new double[] {intercept}, LabelMapping.real(), List.of());
    this.params = new NewtonParamSet(this, false);
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

  public Vector coefficients() {
    return Vectors.dense(fit.coefficients(0));
  }

  public double intercept() {
    return fit.intercepts()[0];
  }

  @Override
  public int numFeatures() {
    return fit.numFeatures();
  }

  @Override
  public double predict(Vector features) {
    return fit.outputs(features)[0];
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
  public NewtonLinearRegressionTrainingSummary summary() {
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
    DistributedFolds.requireClassic(dataset.sparkSession(), "NewtonLinearRegressionModel.transform",
        "Spark ML computes predictions with Scala UDFs holding the model, which a Connect client "
            + "cannot send; fit over Connect, predict on classic compute (or from the coefficients)");
    return super.transform(dataset);
  }

  /** The metrics of this model on {@code dataset} (its label, features and weight columns). */
  public NewtonLinearRegressionSummary evaluate(Dataset<?> dataset) {
    return new NewtonLinearRegressionSummary(() -> transform(dataset), frame(dataset), fit);
  }

  NewtonLinearRegressionModel withSummary(TrainingSummary run, Dataset<?> dataset) {
    summary = new NewtonLinearRegressionTrainingSummary(run, () -> transform(dataset),
        frame(dataset), fit);
    return this;
  }

  private Dataset<Row> frame(Dataset<?> dataset) {
    return EvaluationFrame.of(dataset, getLabelCol(), getFeaturesCol(), getWeightCol());
  }

  @Override
  public NewtonLinearRegressionModel copy(ParamMap extra) {
    NewtonLinearRegressionModel copy =
        new NewtonLinearRegressionModel(uid, coefficients(), intercept());
    copy.summary = summary;
    return copyValues(copy, extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return new Writer(this);
  }

  /** A reader of saved models; {@code PipelineModel.load} finds it by this static method. */
  public static MLReader<NewtonLinearRegressionModel> read() {
    return new Reader();
  }

  public static NewtonLinearRegressionModel load(String path) {
    return read().load(path);
  }

  @Override
  public String toString() {
    return "NewtonLinearRegressionModel: uid=" + uid + ", numFeatures=" + numFeatures();
  }

  private static final class Writer extends MLWriter {
    private final NewtonLinearRegressionModel model;

    Writer(NewtonLinearRegressionModel model) {
      this.model = model;
    }

    @Override
    public void saveImpl(String path) {
      LinearModelStore.save(model, path, sparkSession(), 0,
          Vectors.dense(model.intercept()), model.fit.mlCoefficientMatrix(), false);
    }
  }

  private static final class Reader extends MLReader<NewtonLinearRegressionModel> {
    @Override
    public NewtonLinearRegressionModel load(String path) {
      LinearModelStore.Stored s = LinearModelStore.load(path, sparkSession(),
          NewtonLinearRegressionModel.class.getName());
      if (s.coefficientMatrix().numRows() != 1 || s.interceptVector().size() != 1) {
        throw new IllegalArgumentException(path + ": a linear regression model has one row of "
            + "coefficients and one intercept, found " + s.coefficientMatrix().numRows()
            + " and " + s.interceptVector().size());
      }
      double[] w = new double[s.numFeatures()];
      for (int j = 0; j < w.length; j++) {
        w[j] = s.coefficientMatrix().apply(0, j);
      }
      NewtonLinearRegressionModel model = new NewtonLinearRegressionModel(s.metadata().uid(),
          Vectors.dense(w), s.interceptVector().apply(0));
      s.setParams(model);
      return model;
    }
  }
}
