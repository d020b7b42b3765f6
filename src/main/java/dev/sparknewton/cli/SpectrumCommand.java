package dev.sparknewton.cli;

import dev.sparknewton.data.DataLoader;
import dev.sparknewton.data.DataSpec;
import dev.sparknewton.data.RowSample;
import dev.sparknewton.data.TrainingData;
import dev.sparknewton.distributed.DistributedFold;
import dev.sparknewton.ml.CompressedHessian;
import dev.sparknewton.ml.ModelTraining;
import dev.sparknewton.ml.ModelType;
import dev.sparknewton.ml.TrainingSummary;
import dev.sparknewton.ml.NetworkFit;
import dev.sparknewton.ml.NetworkSpec;
import dev.sparknewton.models.Curvature;
import dev.sparknewton.models.LinearModel;
import dev.sparknewton.models.Model;
import dev.sparknewton.randomized.HessianSpectrum;
import dev.sparknewton.randomized.LowRankEigen;
import dev.sparknewton.randomized.SpectrumAnalysis;
import dev.sparknewton.solvers.Solver;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;

/**
 * {@code spectrum}: the top-{@code k} eigenvalues of the (sub-sampled) Hessian of the training
 * objective at a point (the initial point, the optimum of the configured solver, or a trained
 * {@code model.json}), with their estimated error and the fractions of {@code trace(H)} and
 * {@code ||H||_F^2} they capture; writes {@link SpectrumOutput}'s files atomically.
 */
final class SpectrumCommand {
  private static final String POINT_KEY = "spectrum.point";

  private SpectrumCommand() {}

  static int run(List<String> args) {
    JobConfig config = JobConfig.fromArguments(args);
    // Everything that can be checked without data is checked before Spark starts.
    DataSpec dataSpec = TrainCommand.dataSpec(config);
    ModelTraining.Settings settings = TrainCommand.settings(config);
    SpectrumSettings spectrum = SpectrumSettings.from(config);
    SolverFactory.check(config);
    Optional<ModelFile> model = spectrum.isPath()
        ? Optional.of(ModelFile.read(POINT_KEY, spectrum.point(), new Configuration()))
        : Optional.empty();
    String outputDir = TrainCommand.outputDir(config, "spectrum");
    AtomicOutputDirectory.checkBeforeSpark(outputDir, config.bool("output.overwrite"), config.inputPaths());

    SparkSession spark = TrainCommand.session(config);
    AtomicOutputDirectory output = AtomicOutputDirectory.prepare(
        outputDir, config.bool("output.overwrite"), config.inputPaths(),
        TrainCommand.hadoopConfiguration(spark));
    TrainingData data = DataLoader.load(spark, dataSpec);
    System.out.println("data: " + data.description());
    Model linear = ModelTraining.model(data, settings);
    int n = linear.dimension();
    Solver solver = SolverFactory.create(config, n);
    // solver.name = auto has now become a solver, which decides a network's auto curvature.
    settings = TrainCommand.settings(config, solver.name());
    if (spectrum.eigen().rank() > n) {
      throw new IllegalArgumentException("spectrum.rank must be <= the Hessian's dimension " + n
          + " (" + linear + "), got " + spectrum.eigen().rank());
    }
    RowSample sample = RowSample.of(spectrum.sampleFraction(), spectrum.sampleSeed());
    SpectrumAnalysis analysis = new SpectrumAnalysis(
        spectrum.eigen(), spectrum.exactNormsMaxDimension(), spectrum.frobeniusProbes());
    Optional<HessianSpectrum> result;
    long passes;
    // One cache of the blocks serves both the training to the optimum and the spectrum.
    // The fold of spark.fold: the Dataset fold on a Spark Connect session.
    try (DistributedFold fold = ModelTraining.cacheFold(spark, data, settings)) {
      double[] w = point(spark, fold, data, settings, solver, spectrum, model, linear);
      long before = fold.passes();
      fold.setPhase("spectrum");
      result = analysis.analyze(ModelTraining.objective(
          fold, linear, settings.withCurvature(spectrum.curvature())), w, sample);
      passes = fold.passes() - before;
    }
    if (result.isEmpty()) {
      System.err.println("error: the eigensolver failed: a Hessian product was not finite or the "
          + "small eigenproblem did not converge; nothing written");
      return Main.EXIT_NUMERICAL_FAILURE;
    }
    HessianSpectrum s = result.get();
    report(s, spectrum, settings, sample, passes);
    CompressedHessian hessian = new CompressedHessian(s.eigen(), spectrum.point(),
        settings.regParam(), settings.fitIntercept(), spectrum.sampleFraction());
    String title = String.format(Locale.ROOT, "%s spectrum at %s (n = %d, regParam %s%s)",
        settings.network().isPresent() && spectrum.curvature() == Curvature.GAUSS_NEWTON
            ? "Gauss-Newton" : "Hessian",
        spectrum.isPath() ? "a trained model" : "the " + spectrum.point(), n,
        settings.regParam(), sample.isAll() ? "" : ", " + sample);
    SpectrumOutput.write(output, spark, s, hessian, passes, title, config.render());
    System.out.println("output in " + output.target());
    return 0;
  }

  private static double[] point(SparkSession spark, DistributedFold fold, TrainingData data,
      ModelTraining.Settings settings, Solver solver, SpectrumSettings spectrum,
      Optional<ModelFile> model, Model linear) {
    if (model.isPresent()) {
      return model.get().point(ModelTraining.linearModel(data, settings),
          ModelType.of(data.labels()).configName(), POINT_KEY);
    }
    if (spectrum.point().equals(SpectrumSettings.INITIAL)) {
      return linear.initialPoint(settings.network().map(NetworkSpec::initSeed).orElse(0L));
    }
    System.out.printf("training to the optimum: solver %s, regParam %s, fitIntercept %s%n",
        solver.name(), settings.regParam(), settings.fitIntercept());
    TrainingSummary summary = ModelTraining.fit(
        spark, fold, data, settings, solver, r -> System.out.println(r.progressLine()));
    System.out.printf("%s after %d iterations: f %.12e, |g| %.3e, %d passes%n",
        summary.termination().description(), summary.iterations(), summary.objective(),
        summary.gradientNorm(), summary.passes());
    if (!summary.termination().converged()) {
      System.out.println("warning: the solver did not converge; the spectrum is taken at its last "
          + "point");
    }
    if (summary.model() instanceof NetworkFit network) {
      return network.parameters();
    }
    return ((LinearModel) linear).parameters(
        summary.linear().coefficientMatrix(), summary.linear().intercepts());
  }

  private static void report(HessianSpectrum s, SpectrumSettings spectrum,
      ModelTraining.Settings settings, RowSample sample, long passes) {
    LowRankEigen e = s.eigen();
    int k = e.rank();
    System.out.printf(Locale.ROOT,
        "Hessian at %s: n = %d, regParam %s, rows: %s; %s rank %d (oversampling %d, power "
            + "iterations %d): %d block products of H, %d passes over the data (a sample that "
            + "fits solver.driverCurvatureMb is multiplied on the driver)%n",
        spectrum.point(), e.dimension(), settings.regParam(), sample,
        spectrum.eigen().method().name().toLowerCase(Locale.ROOT).replace('_', '-'), k,
        spectrum.eigen().oversampling(), spectrum.eigen().powerIterations(), e.passes(), passes);
    double[] values = e.values();
    System.out.printf(Locale.ROOT, "eigenvalues: largest %.6e, k-th %.6e, %d negative%n",
        values[0], values[k - 1], Arrays.stream(values).filter(v -> v < 0).count());
    System.out.printf(Locale.ROOT,
        "estimated error ||H - U diag(lambda) U^T||_2 <= %.6e (probability >= 1 - 10^-%d)%n",
        e.estimatedError(), spectrum.eigen().errorProbes());
    System.out.printf(Locale.ROOT, "trace(H) = %.10e (%s)%n", s.trace(), s.traceSource());
    System.out.printf(Locale.ROOT,
        "captured trace fraction: sum(lambda) / trace(H) = %.15g (rank %d)%n",
        s.capturedTraceFraction(), k);
    System.out.printf(Locale.ROOT, "||H||_F^2 = %.10e (%s)%n",
        s.frobeniusSquared(), s.frobeniusSource());
    System.out.printf(Locale.ROOT,
        "captured Frobenius fraction: sum(lambda^2) / ||H||_F^2 = %.15g (rank %d)%n",
        s.capturedFrobeniusFraction(), k);
  }
}
