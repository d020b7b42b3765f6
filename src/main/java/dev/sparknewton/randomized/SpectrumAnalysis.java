package dev.sparknewton.randomized;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.CurvatureOperator;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The leading eigenpairs of the Hessian {@code H} of an objective at a point, on a row sample,
 * by a {@link RandomizedEigensolver}, with {@code trace(H)} and {@code ||H||_F^2} so that the
 * captured fractions can be stated. The norms cost no pass of their own:
 * <ul>
 *   <li>{@code n <= exactNormsMaxDimension}: the dense {@code n x n} sampled Hessian is computed
 *       in the evaluation pass; trace and Frobenius norm are exact;
 *   <li>otherwise: the evaluation pass also computes the Hessian diagonal ({@code trace(H)}
 *       exact; of the full-data Hessian, which a sub-sampled Hessian estimates, when the sample
 *       is not every row) and {@code H [Omega | W | G]}, the eigensolver's first block together
 *       with {@code m} Gaussian probes {@code G} for the {@link FrobeniusEstimate}.
 * </ul>
 */
public final class SpectrumAnalysis {
  /** Decorrelates the Frobenius probes from the eigensolver's streams of the same seed. */
  private static final long PROBE_SEED_MIX = 0x6A09E667F3BCC909L;

  private final RandomizedEigensolver eigensolver;
  private final int exactNormsMaxDimension;
  private final int frobeniusProbes;

  /**
   * @param exactNormsMaxDimension {@code >= 0}: largest {@code n} for which the dense Hessian is
   *     formed
   * @param frobeniusProbes {@code m >= 1} Gaussian probes of the estimate for larger {@code n}
   */
  public SpectrumAnalysis(
      RandomizedEigenConfig config, int exactNormsMaxDimension, int frobeniusProbes) {
    if (exactNormsMaxDimension < 0) {
      throw new IllegalArgumentException(
          "exactNormsMaxDimension must be >= 0, got " + exactNormsMaxDimension);
    }
    if (frobeniusProbes < 1) {
      throw new IllegalArgumentException("frobeniusProbes must be >= 1, got " + frobeniusProbes);
    }
    this.eigensolver = new RandomizedEigensolver(config);
    this.exactNormsMaxDimension = exactNormsMaxDimension;
    this.frobeniusProbes = frobeniusProbes;
  }

  /**
   * Analyzes the Hessian of {@code objective} at {@code w} on {@code sample}. Empty when a
   * product is not finite or the small eigenproblem fails (a numerical outcome, not an error).
   *
   * @param w the point. Not modified.
   */
  public Optional<HessianSpectrum> analyze(
      SecondOrderObjective objective, double[] w, RowSample sample) {
    int n = objective.dimension();
    boolean exactDiagonal = objective.diagonalIsCurvature();
    if (n <= exactNormsMaxDimension && exactDiagonal) {
      Evaluation e = objective.evaluate(w, EvaluationRequest.valueAndGradient()
          .withDenseHessian(sample));
      CurvatureOperator h = e.curvature(sample);
      double[] dense = h.denseHessian().data();
      if (!Vectors.allFinite(dense)) {
        return Optional.empty();
      }
      double diagonalSum = 0.0;
      for (int j = 0; j < n; j++) {
        diagonalSum += dense[j * n + j];
      }
      double trace = diagonalSum;
      double frobenius = Vectors.dot(dense, dense);
      String source = "exact, from the dense " + n + " x " + n + " Hessian";
      return eigensolver.decompose(h).map(
          eigen -> new HessianSpectrum(eigen, trace, source, frobenius, source, 0.0));
    }
    ColumnMatrix test = eigensolver.testMatrix(n);
    ColumnMatrix probes = RangeFinder.gaussian(
        n, frobeniusProbes, new SplittableRandom(eigensolver.config().seed() ^ PROBE_SEED_MIX));
    ColumnMatrix both = RandomizedEigensolver.concat(test, probes);
    EvaluationRequest request = EvaluationRequest.valueAndGradient().withBlockProduct(both, sample);
    Evaluation e = objective.evaluate(w, exactDiagonal ? request.withDiagonal() : request);
    CurvatureOperator h = e.curvature(sample);
    ColumnMatrix product = h.hessianBlockProduct(both);
    if (!Vectors.allFinite(product.data())) {
      return Optional.empty();
    }
    ColumnMatrix images = RandomizedEigensolver.columns(product, test.cols(), both.cols());
    double trace = 0.0;
    String traceSource;
    if (exactDiagonal) {
      for (double v : e.hessianDiagonal().orElseThrow()) {
        trace += v;
      }
      traceSource = sample.isAll()
          ? "exact, from the Hessian diagonal"
          : "exact for the full-data Hessian (its diagonal), which the sampled Hessian estimates";
    } else {
      // Hutchinson: E[g^T H g] = trace(H) for Gaussian g, variance 2 ||H||_F^2 per probe.
      for (int c = 0; c < probes.cols(); c++) {
        trace += Vectors.dot(probes.column(c), images.column(c));
      }
      trace /= probes.cols();
      traceSource = String.format("estimated from the same %d Gaussian probes (Hutchinson), "
          + "standard error sqrt(2/m) ||H||_F", probes.cols());
    }
    FrobeniusEstimate frobenius = FrobeniusEstimate.fromProbes(probes, images);
    String frobeniusSource = String.format(
        "estimated from %d Gaussian probes, relative standard error <= sqrt(2/m) = %.3f",
        frobenius.probes(), frobenius.relativeStandardError());
    double finalTrace = trace;
    return eigensolver.decompose(h, test, RandomizedEigensolver.columns(product, 0, test.cols()))
        .map(eigen -> new HessianSpectrum(eigen, finalTrace, traceSource,
            frobenius.squaredNorm(), frobeniusSource, frobenius.relativeStandardError()));
  }
}
