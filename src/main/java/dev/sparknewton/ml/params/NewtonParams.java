package dev.sparknewton.ml.params;

import dev.sparknewton.ml.ModelTraining;
import dev.sparknewton.ml.SolverSettings;
import dev.sparknewton.ml.inference.InferenceConfig;
import dev.sparknewton.randomized.RandomizedEigenConfig;
import dev.sparknewton.solvers.LowRankSketchConfig;
import dev.sparknewton.solvers.LrsfnConfig;
import dev.sparknewton.solvers.NewtonCgConfig;
import java.util.Optional;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The params every Newton estimator and model shares, the Java-safe way: the {@link Param}
 * objects live in the owner's {@link NewtonParamSet} (created after its uid is set), and this
 * interface gives the public no-argument accessors that Spark's {@code Params.params} finds by
 * reflection, the {@code getX()} getters and the fluent {@code setX()} setters returning the
 * owner's type {@code T}. Names follow Spark MLlib where it has the setting ({@code regParam},
 * {@code fitIntercept}, {@code maxIter}, {@code tol}, {@code weightCol},
 * {@code aggregationDepth}, {@code maxBlockSizeInMB}, {@code seed}) and the {@code solver.*} keys
 * of {@code reference.conf} otherwise; {@link #solverSettings()} and {@link #trainingSettings()}
 * turn them into the settings the command line builds from those keys.
 *
 * @param <T> the owner's type
 */
public interface NewtonParams<T extends NewtonParams<T>> extends Params {
  /** The owner's params. */
  NewtonParamSet newtonParams();

  default Param<String> weightCol() {
    return newtonParams().weightCol;
  }

  /** The weight column, or "" (unset or empty) for unit weights. */
  default String getWeightCol() {
    return isDefined(weightCol()) ? (String) getOrDefault(weightCol()) : "";
  }

  @SuppressWarnings("unchecked")
  default T setWeightCol(String value) {
    return (T) set(weightCol(), value);
  }

  default DoubleParam regParam() {
    return newtonParams().regParam;
  }

  default double getRegParam() {
    return (Double) getOrDefault(regParam());
  }

  @SuppressWarnings("unchecked")
  default T setRegParam(double value) {
    return (T) set(regParam(), value);
  }

  default BooleanParam fitIntercept() {
    return newtonParams().fitIntercept;
  }

  default boolean getFitIntercept() {
    return (Boolean) getOrDefault(fitIntercept());
  }

  @SuppressWarnings("unchecked")
  default T setFitIntercept(boolean value) {
    return (T) set(fitIntercept(), value);
  }

  default IntParam maxIter() {
    return newtonParams().maxIter;
  }

  default int getMaxIter() {
    return (Integer) getOrDefault(maxIter());
  }

  @SuppressWarnings("unchecked")
  default T setMaxIter(int value) {
    return (T) set(maxIter(), value);
  }

  default DoubleParam tol() {
    return newtonParams().tol;
  }

  default double getTol() {
    return (Double) getOrDefault(tol());
  }

  @SuppressWarnings("unchecked")
  default T setTol(double value) {
    return (T) set(tol(), value);
  }

  default DoubleParam gtol() {
    return newtonParams().gtol;
  }

  default double getGtol() {
    return (Double) getOrDefault(gtol());
  }

  @SuppressWarnings("unchecked")
  default T setGtol(double value) {
    return (T) set(gtol(), value);
  }

  default IntParam aggregationDepth() {
    return newtonParams().aggregationDepth;
  }

  default int getAggregationDepth() {
    return (Integer) getOrDefault(aggregationDepth());
  }

  @SuppressWarnings("unchecked")
  default T setAggregationDepth(int value) {
    return (T) set(aggregationDepth(), value);
  }

  default DoubleParam maxBlockSizeInMB() {
    return newtonParams().maxBlockSizeInMB;
  }

  default double getMaxBlockSizeInMB() {
    return (Double) getOrDefault(maxBlockSizeInMB());
  }

  @SuppressWarnings("unchecked")
  default T setMaxBlockSizeInMB(double value) {
    return (T) set(maxBlockSizeInMB(), value);
  }

  default Param<String> solver() {
    return newtonParams().solver;
  }

  default String getSolver() {
    return (String) getOrDefault(solver());
  }

  @SuppressWarnings("unchecked")
  default T setSolver(String value) {
    return (T) set(solver(), value);
  }

  default DoubleParam hessianSampleFraction() {
    return newtonParams().hessianSampleFraction;
  }

  default double getHessianSampleFraction() {
    return (Double) getOrDefault(hessianSampleFraction());
  }

  @SuppressWarnings("unchecked")
  default T setHessianSampleFraction(double value) {
    return (T) set(hessianSampleFraction(), value);
  }

  default LongParam seed() {
    return newtonParams().seed;
  }

  default long getSeed() {
    return (Long) getOrDefault(seed());
  }

  @SuppressWarnings("unchecked")
  default T setSeed(long value) {
    return (T) set(seed(), value);
  }

  default IntParam maxCgIterations() {
    return newtonParams().maxCgIterations;
  }

  default int getMaxCgIterations() {
    return (Integer) getOrDefault(maxCgIterations());
  }

  @SuppressWarnings("unchecked")
  default T setMaxCgIterations(int value) {
    return (T) set(maxCgIterations(), value);
  }

  default IntParam driverMaxCgIterations() {
    return newtonParams().driverMaxCgIterations;
  }

  default int getDriverMaxCgIterations() {
    return (Integer) getOrDefault(driverMaxCgIterations());
  }

  @SuppressWarnings("unchecked")
  default T setDriverMaxCgIterations(int value) {
    return (T) set(driverMaxCgIterations(), value);
  }

  default IntParam driverMaxCgGrowth() {
    return newtonParams().driverMaxCgGrowth;
  }

  default int getDriverMaxCgGrowth() {
    return (Integer) getOrDefault(driverMaxCgGrowth());
  }

  @SuppressWarnings("unchecked")
  default T setDriverMaxCgGrowth(int value) {
    return (T) set(driverMaxCgGrowth(), value);
  }

  default Param<String> preconditioner() {
    return newtonParams().preconditioner;
  }

  default String getPreconditioner() {
    return (String) getOrDefault(preconditioner());
  }

  @SuppressWarnings("unchecked")
  default T setPreconditioner(String value) {
    return (T) set(preconditioner(), value);
  }

  default IntParam preconditionerRefresh() {
    return newtonParams().preconditionerRefresh;
  }

  default int getPreconditionerRefresh() {
    return (Integer) getOrDefault(preconditionerRefresh());
  }

  @SuppressWarnings("unchecked")
  default T setPreconditionerRefresh(int value) {
    return (T) set(preconditionerRefresh(), value);
  }

  default Param<String> forcing() {
    return newtonParams().forcing;
  }

  default String getForcing() {
    return (String) getOrDefault(forcing());
  }

  @SuppressWarnings("unchecked")
  default T setForcing(String value) {
    return (T) set(forcing(), value);
  }

  default IntParam rank() {
    return newtonParams().rank;
  }

  default int getRank() {
    return (Integer) getOrDefault(rank());
  }

  @SuppressWarnings("unchecked")
  default T setRank(int value) {
    return (T) set(rank(), value);
  }

  default IntParam oversampling() {
    return newtonParams().oversampling;
  }

  default int getOversampling() {
    return (Integer) getOrDefault(oversampling());
  }

  @SuppressWarnings("unchecked")
  default T setOversampling(int value) {
    return (T) set(oversampling(), value);
  }

  default IntParam powerIterations() {
    return newtonParams().powerIterations;
  }

  default int getPowerIterations() {
    return (Integer) getOrDefault(powerIterations());
  }

  @SuppressWarnings("unchecked")
  default T setPowerIterations(int value) {
    return (T) set(powerIterations(), value);
  }

  default Param<String> eigenMethod() {
    return newtonParams().eigenMethod;
  }

  default String getEigenMethod() {
    return (String) getOrDefault(eigenMethod());
  }

  @SuppressWarnings("unchecked")
  default T setEigenMethod(String value) {
    return (T) set(eigenMethod(), value);
  }

  default Param<String> gamma() {
    return newtonParams().gamma;
  }

  default String getGamma() {
    return (String) getOrDefault(gamma());
  }

  @SuppressWarnings("unchecked")
  default T setGamma(String value) {
    return (T) set(gamma(), value);
  }

  default Param<String> gammaRule() {
    return newtonParams().gammaRule;
  }

  default String getGammaRule() {
    return (String) getOrDefault(gammaRule());
  }

  @SuppressWarnings("unchecked")
  default T setGammaRule(String value) {
    return (T) set(gammaRule(), value);
  }

  default DoubleParam gradientSampleFraction() {
    return newtonParams().gradientSampleFraction;
  }

  default double getGradientSampleFraction() {
    return (Double) getOrDefault(gradientSampleFraction());
  }

  @SuppressWarnings("unchecked")
  default T setGradientSampleFraction(double value) {
    return (T) set(gradientSampleFraction(), value);
  }

  default DoubleParam initialDamping() {
    return newtonParams().initialDamping;
  }

  default double getInitialDamping() {
    return (Double) getOrDefault(initialDamping());
  }

  @SuppressWarnings("unchecked")
  default T setInitialDamping(double value) {
    return (T) set(initialDamping(), value);
  }

  default DoubleParam minDamping() {
    return newtonParams().minDamping;
  }

  default double getMinDamping() {
    return (Double) getOrDefault(minDamping());
  }

  @SuppressWarnings("unchecked")
  default T setMinDamping(double value) {
    return (T) set(minDamping(), value);
  }

  default DoubleParam maxDamping() {
    return newtonParams().maxDamping;
  }

  default double getMaxDamping() {
    return (Double) getOrDefault(maxDamping());
  }

  @SuppressWarnings("unchecked")
  default T setMaxDamping(double value) {
    return (T) set(maxDamping(), value);
  }

  default DoubleParam learningRate() {
    return newtonParams().learningRate;
  }

  default double getLearningRate() {
    return (Double) getOrDefault(learningRate());
  }

  @SuppressWarnings("unchecked")
  default T setLearningRate(double value) {
    return (T) set(learningRate(), value);
  }

  default DoubleParam batchFraction() {
    return newtonParams().batchFraction;
  }

  default double getBatchFraction() {
    return (Double) getOrDefault(batchFraction());
  }

  @SuppressWarnings("unchecked")
  default T setBatchFraction(double value) {
    return (T) set(batchFraction(), value);
  }

  default IntParam lbfgsMemory() {
    return newtonParams().lbfgsMemory;
  }

  default int getLbfgsMemory() {
    return (Integer) getOrDefault(lbfgsMemory());
  }

  @SuppressWarnings("unchecked")
  default T setLbfgsMemory(int value) {
    return (T) set(lbfgsMemory(), value);
  }

  default IntParam warmStartIterations() {
    return newtonParams().warmStartIterations;
  }

  default int getWarmStartIterations() {
    return (Integer) getOrDefault(warmStartIterations());
  }

  /**
   * L-BFGS iterations before exact Newton's, Newton-CG's or LRSFN's (0: none), in one run whose
   * iteration limit counts both; see {@code solver.warmStartIterations} in reference.conf.
   */
  @SuppressWarnings("unchecked")
  default T setWarmStartIterations(int value) {
    return (T) set(warmStartIterations(), value);
  }

  default DoubleParam driverCurvatureMb() {
    return newtonParams().driverCurvatureMb;
  }

  default double getDriverCurvatureMb() {
    return (Double) getOrDefault(driverCurvatureMb());
  }

  @SuppressWarnings("unchecked")
  default T setDriverCurvatureMb(double value) {
    return (T) set(driverCurvatureMb(), value);
  }

  default DoubleParam curvatureCacheMb() {
    return newtonParams().curvatureCacheMb;
  }

  default double getCurvatureCacheMb() {
    return (Double) getOrDefault(curvatureCacheMb());
  }

  @SuppressWarnings("unchecked")
  default T setCurvatureCacheMb(double value) {
    return (T) set(curvatureCacheMb(), value);
  }

  default Param<String> curvatureOverBudget() {
    return newtonParams().curvatureOverBudget;
  }

  default String getCurvatureOverBudget() {
    return (String) getOrDefault(curvatureOverBudget());
  }

  @SuppressWarnings("unchecked")
  default T setCurvatureOverBudget(String value) {
    return (T) set(curvatureOverBudget(), value);
  }

  default Param<String> fold() {
    return newtonParams().fold;
  }

  default String getFold() {
    return (String) getOrDefault(fold());
  }

  /** {@code auto}, {@code rdd}, {@code dataset} or {@code driver}, as {@code spark.fold}. */
  @SuppressWarnings("unchecked")
  default T setFold(String value) {
    return (T) set(fold(), value);
  }

  default DoubleParam denseMaxMb() {
    return newtonParams().denseMaxMb;
  }

  default double getDenseMaxMb() {
    return (Double) getOrDefault(denseMaxMb());
  }

  @SuppressWarnings("unchecked")
  default T setDenseMaxMb(double value) {
    return (T) set(denseMaxMb(), value);
  }

  default BooleanParam standardErrors() {
    return newtonParams().standardErrors;
  }

  default boolean getStandardErrors() {
    return (Boolean) getOrDefault(standardErrors());
  }

  @SuppressWarnings("unchecked")
  default T setStandardErrors(boolean value) {
    return (T) set(standardErrors(), value);
  }

  default Param<String> standardErrorsHessian() {
    return newtonParams().standardErrorsHessian;
  }

  default String getStandardErrorsHessian() {
    return (String) getOrDefault(standardErrorsHessian());
  }

  @SuppressWarnings("unchecked")
  default T setStandardErrorsHessian(String value) {
    return (T) set(standardErrorsHessian(), value);
  }

  default Param<String> standardErrorsMethod() {
    return newtonParams().standardErrorsMethod;
  }

  default String getStandardErrorsMethod() {
    return (String) getOrDefault(standardErrorsMethod());
  }

  @SuppressWarnings("unchecked")
  default T setStandardErrorsMethod(String value) {
    return (T) set(standardErrorsMethod(), value);
  }

  default DoubleParam standardErrorsDenseMaxMb() {
    return newtonParams().standardErrorsDenseMaxMb;
  }

  default double getStandardErrorsDenseMaxMb() {
    return (Double) getOrDefault(standardErrorsDenseMaxMb());
  }

  @SuppressWarnings("unchecked")
  default T setStandardErrorsDenseMaxMb(double value) {
    return (T) set(standardErrorsDenseMaxMb(), value);
  }

  default IntParam standardErrorsRank() {
    return newtonParams().standardErrorsRank;
  }

  default int getStandardErrorsRank() {
    return (Integer) getOrDefault(standardErrorsRank());
  }

  @SuppressWarnings("unchecked")
  default T setStandardErrorsRank(int value) {
    return (T) set(standardErrorsRank(), value);
  }

  default IntParam standardErrorsProbes() {
    return newtonParams().standardErrorsProbes;
  }

  default int getStandardErrorsProbes() {
    return (Integer) getOrDefault(standardErrorsProbes());
  }

  @SuppressWarnings("unchecked")
  default T setStandardErrorsProbes(int value) {
    return (T) set(standardErrorsProbes(), value);
  }

  /** The coefficient table to compute after the fit ({@code standardErrors}), or empty. */
  default Optional<InferenceConfig> inferenceSettings() {
    if (!getStandardErrors()) {
      return Optional.empty();
    }
    return Optional.of(InferenceConfig.of(getStandardErrorsHessian(), getRegParam(),
        getStandardErrorsMethod(), megabytes(getStandardErrorsDenseMaxMb()),
        getStandardErrorsRank(), getStandardErrorsProbes(), getSeed()));
  }

  /** The solver settings of these params, checked. */
  default SolverSettings solverSettings() {
    return new SolverSettings(getSolver(), getMaxIter(), getTol(), getGtol(),
        getHessianSampleFraction(), getSeed(), getMaxCgIterations(), getDriverMaxCgIterations(),
        getDriverMaxCgGrowth(), megabytes(getDenseMaxMb()),
        SolverSettings.parse(NewtonCgConfig.Forcing.class, getForcing()),
        SolverSettings.parse(NewtonCgConfig.Preconditioner.class, getPreconditioner()),
        getPreconditionerRefresh(),
        new LowRankSketchConfig(getRank(), getOversampling(), getPowerIterations()),
        SolverSettings.parse(RandomizedEigenConfig.Method.class, getEigenMethod()),
        SolverSettings.gamma(getGamma()),
        SolverSettings.parse(LrsfnConfig.GammaRule.class, getGammaRule()),
        getGradientSampleFraction(), getInitialDamping(), getMinDamping(), getMaxDamping(),
        getLearningRate(), getBatchFraction(), getLbfgsMemory(), getWarmStartIterations())
        .checked();
  }

  /** The training settings of these params (the input's partitions are kept). */
  default ModelTraining.Settings trainingSettings() {
    return new ModelTraining.Settings(getRegParam(), getFitIntercept(), 0, getAggregationDepth(),
        getMaxBlockSizeInMB(), megabytes(getDriverCurvatureMb()), megabytes(getCurvatureCacheMb()))
        .withOverBudget(SolverSettings.parse(
            dev.sparknewton.objective.OverBudgetCurvature.class, getCurvatureOverBudget()))
        .withFold(SolverSettings.parse(dev.sparknewton.distributed.FoldChoice.class, getFold()));
  }

  private static long megabytes(double mb) {
    return (long) (mb * 1024 * 1024);
  }
}
