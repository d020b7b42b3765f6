package dev.sparknewton.ml.regression;

import dev.sparknewton.data.LabeledDataset;
import dev.sparknewton.data.TrainingData;
import dev.sparknewton.ml.EstimatorTraining;
import dev.sparknewton.ml.LinearModelFit;
import dev.sparknewton.ml.TrainingSummary;
import dev.sparknewton.ml.params.NewtonParamSet;
import dev.sparknewton.ml.params.NewtonParams;
import dev.sparknewton.ml.params.PendingUid;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.regression.Regressor;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;

/**
 * Least squares trained by this project's Newton-type solvers, in place of Spark MLlib's
 * {@code LinearRegression} in a {@code Pipeline}.
 *
 * <p>Objective, with instance weights {@code c_i}, the intercept unpenalized:
 * {@code (1/(2 sum c)) sum c_i (y_i - w.x_i - b)^2 + (regParam/2) ||w||^2}.
 *
 * <p>Mapping to MLlib's {@code LinearRegression} ({@code loss = squaredError},
 * {@code elasticNetParam = 0}, {@code standardization = false}): the objectives are the same
 * for {@code regParam = 0}; for {@code regParam > 0} they are not, because MLlib scales the
 * label by its standard deviation {@code s_y} internally and its {@code regParam} then acts as
 * {@code regParam / s_y} on the original scale. This estimator at {@code regParam = lambda}
 * equals MLlib's at {@code regParam = lambda * s_y}, with {@code s_y} the weighted population
 * standard deviation of the label for MLlib's {@code normal} solver and the weighted unbiased one
 * ({@code sum c_i (y_i - ybar)^2 / (sum c - sum c^2 / sum c)}) for {@code l-bfgs} (see
 * {@code docs/ml.md}; tested by {@code NewtonEstimatorsSuite} and {@code MllibReferenceSuite}).
 */
public final class NewtonLinearRegression
    extends Regressor<Vector, NewtonLinearRegression, NewtonLinearRegressionModel>
    implements NewtonParams<NewtonLinearRegression>, DefaultParamsWritable {
  private static final long serialVersionUID = 1L;

  private String uid;
  private final NewtonParamSet params;

  public NewtonLinearRegression() {
    this(Identifiable.randomUID("newtonLinReg"));
  }

  public NewtonLinearRegression(String uid) {
    this(PendingUid.hold(uid));
  }

  private NewtonLinearRegression(PendingUid pending) {
    super();
    this.uid = pending.release();
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

  @Override
  public NewtonLinearRegressionModel train(Dataset<?> dataset) {
    LabeledDataset.Columns columns = LabeledDataset.Columns.of(getLabelCol(), getFeaturesCol(),
        getWeightCol(), "NewtonLinearRegression");
    TrainingData data = LabeledDataset.targets(dataset, columns);
    TrainingSummary run = EstimatorTraining.fit(dataset.sparkSession(), data, this,
        "NewtonLinearRegression " + uid);
    LinearModelFit fit = run.linear();
    NewtonLinearRegressionModel model = new NewtonLinearRegressionModel(uid,
        Vectors.dense(fit.coefficients(0)), fit.intercepts()[0]);
    copyValues(model, ParamMap.empty());
    return model.withSummary(run, dataset);
  }

  @Override
  public NewtonLinearRegression copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  /** A reader of saved estimators (params only). */
  public static MLReader<NewtonLinearRegression> read() {
    return new DefaultParamsReader<>();
  }

  public static NewtonLinearRegression load(String path) {
    return read().load(path);
  }
}
