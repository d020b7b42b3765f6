package dev.sparknewton.ml.inference;

import dev.sparknewton.ml.SolverSettings;
import dev.sparknewton.randomized.RandomizedEigenConfig;
import dev.sparknewton.solvers.ExactNewtonConfig;
import java.util.List;

/**
 * Settings of a {@link CoefficientInference}. Immutable; the {@code with} methods return copies.
 *
 * @param hessian the objective whose Hessian is inverted: {@link Hessian#UNREGULARIZED} (the
 *     maximum-likelihood covariance, GLR's) or {@link Hessian#REGULARIZED} (with the ridge
 *     penalty {@code regParam})
 * @param regParam {@code lambda >= 0} of the penalty, used only by {@link Hessian#REGULARIZED}
 * @param method {@link Method#EXACT} (the default: refuse when the dense Hessian does not fit
 *     {@code denseMaxBytes}), {@link Method#LOW_RANK}, or {@link Method#AUTO} (exact when it fits,
 *     else low rank)
 * @param denseMaxBytes driver memory the dense {@code P x P} Hessian ({@code 8 P^2} bytes) may
 *     take; default {@link ExactNewtonConfig#DEFAULT_DENSE_MAX_BYTES} (1 GiB, {@code P} up to
 *     11,585), the same budget as exact Newton's
 * @param rank {@code k}, the eigenpairs of the Nystrom sketch the low-rank path keeps (capped at
 *     {@code P}); default {@value #DEFAULT_RANK}
 * @param oversampling sketch width {@code min(k + oversampling, P)}; default
 *     {@link RandomizedEigenConfig#DEFAULT_OVERSAMPLING}
 * @param powerIterations extra passes that sharpen the sketch; default
 *     {@value #DEFAULT_POWER_ITERATIONS}
 * @param seed of the sketch's Gaussian test matrix and of the probes
 * @param probes low rank: Rademacher probes of the Hutchinson correction that uses the sketch as
 *     a control variate ({@link LowRankInverseDiagonal#estimate(dev.sparknewton.objective.CurvatureOperator,
 *     double[], RandomizedEigenConfig, LowRankInverseDiagonal.Form, LowRankInverseDiagonal.Probes)}),
 *     0 for none; capped so that the probe solves' {@code 5 P s} doubles fit
 *     {@code denseMaxBytes}; default {@value #DEFAULT_PROBES}
 */
public record InferenceConfig(Hessian hessian, double regParam, Method method, long denseMaxBytes,
    int rank, int oversampling, int powerIterations, long seed, int probes) {

  /** Which objective's Hessian at the optimum is inverted. */
  public enum Hessian {
    /**
     * The data term's: {@code Cov = phi (W H_data)^-1}, the asymptotic covariance of the maximum
     * likelihood estimate, as GLR reports it.
     */
    UNREGULARIZED,
    /**
     * The penalized objective's: {@code Cov = phi (W (H_data + lambda I_S))^-1}, the Laplace
     * approximation of the posterior covariance under the Gaussian prior the ridge penalty
     * stands for (not the sandwich covariance of the ridge estimator).
     */
    REGULARIZED
  }

  /** How {@code diag(H^-1)} is computed. */
  public enum Method {
    /** Dense Hessian and Cholesky; refused beyond {@code denseMaxBytes}. */
    EXACT,
    /** Nystrom sketch plus diagonal correction ({@link LowRankInverseDiagonal}). */
    LOW_RANK,
    /** {@link #EXACT} when the dense Hessian fits {@code denseMaxBytes}, else {@link #LOW_RANK}. */
    AUTO
  }

  /**
   * Default sketch rank: a few hundred columns keep the sketch ({@code 8 P (k + p)} bytes) well
   * inside a driver for a million parameters; the accuracy it buys is in docs/inference.md.
   */
  public static final int DEFAULT_RANK = 200;
  /** Default power iterations: one pass more sharpens the leading eigenvectors (docs/inference.md). */
  public static final int DEFAULT_POWER_ITERATIONS = 1;
  /**
   * Default probes: the error of the corrected standard errors falls as {@code 1/sqrt(s)}; 64
   * took the median error from 26-31% to 4% on the generated problems of docs/inference.md, for
   * about 40 more passes (the probe solves' block CG, whatever {@code s}).
   */
  public static final int DEFAULT_PROBES = 64;
  /** Relative residual to which the probe solves are taken. */
  public static final double PROBE_TOLERANCE = 1e-6;
  /** Block-CG iterations (passes) the probe solves may take. */
  public static final int PROBE_MAX_ITERATIONS = 300;
  /** The configuration key of {@code denseMaxBytes} (in MB), named in the refusal. */
  public static final String DENSE_MAX_KEY = "inference.denseMaxMb";
  /** The configuration key of {@code method}, named in the refusal. */
  public static final String METHOD_KEY = "inference.method";

  public InferenceConfig {
    if (hessian == null || method == null) {
      throw new IllegalArgumentException("hessian and method must be set, got " + hessian + " and "
          + method);
    }
    if (!(regParam >= 0.0) || Double.isInfinite(regParam)) {
      throw new IllegalArgumentException("regParam must be finite and >= 0, got " + regParam);
    }
    if (denseMaxBytes < 0) {
      throw new IllegalArgumentException(DENSE_MAX_KEY + " must be >= 0, got " + denseMaxBytes
          + " bytes");
    }
    if (rank < 1) {
      throw new IllegalArgumentException("inference.rank must be >= 1, got " + rank);
    }
    if (probes < 0) {
      throw new IllegalArgumentException("inference.probes must be >= 0, got " + probes);
    }
    if (oversampling < 0 || powerIterations < 0) {
      throw new IllegalArgumentException("oversampling and powerIterations must be >= 0, got "
          + oversampling + " and " + powerIterations);
    }
  }

  /** The spellings of {@link Hessian}, as keys and params take them. */
  public static final List<String> HESSIANS = SolverSettings.spellings(Hessian.class);
  /** The spellings of {@link Method}, as keys and params take them. */
  public static final List<String> METHODS = SolverSettings.spellings(Method.class);

  /**
   * The settings the {@code inference.*} keys (and the estimators' {@code standardErrors*}
   * params) spell: {@code hessian} one of {@link #HESSIANS}, {@code method} one of
   * {@link #METHODS}; the default oversampling and power iterations.
   *
   * @param regParam the fit's {@code lambda}, which a {@code regularized} Hessian includes
   * @param seed of the low-rank sketch (the fit's seed)
   * @throws IllegalArgumentException naming the key of a value out of range (the record's
   *     own checks name the keys of the numbers)
   */
  public static InferenceConfig of(String hessian, double regParam, String method,
      long denseMaxBytes, int rank, int probes, long seed) {
    if (!HESSIANS.contains(hessian)) {
      throw new IllegalArgumentException("inference.hessian must be one of " + HESSIANS
          + ", got '" + hessian + "'");
    }
    if (!METHODS.contains(method)) {
      throw new IllegalArgumentException(METHOD_KEY + " must be one of " + METHODS + ", got '"
          + method + "'");
    }
    InferenceConfig c = defaults().withMethod(SolverSettings.parse(Method.class, method))
        .withDenseMaxBytes(denseMaxBytes).withRank(rank).withSeed(seed).withProbes(probes);
    return SolverSettings.parse(Hessian.class, hessian) == Hessian.REGULARIZED
        ? c.regularized(regParam) : c;
  }

  /** Unregularized Hessian, exact method, the default budget, rank and sketch settings. */
  public static InferenceConfig defaults() {
    return new InferenceConfig(Hessian.UNREGULARIZED, 0.0, Method.EXACT,
        ExactNewtonConfig.DEFAULT_DENSE_MAX_BYTES, DEFAULT_RANK,
        RandomizedEigenConfig.DEFAULT_OVERSAMPLING, DEFAULT_POWER_ITERATIONS, 0L, DEFAULT_PROBES);
  }

  /** The unregularized Hessian. */
  public InferenceConfig unregularized() {
    return new InferenceConfig(Hessian.UNREGULARIZED, 0.0, method, denseMaxBytes, rank,
        oversampling, powerIterations, seed, probes);
  }

  /** The Hessian of the objective with the ridge penalty {@code lambda}. */
  public InferenceConfig regularized(double lambda) {
    return new InferenceConfig(Hessian.REGULARIZED, lambda, method, denseMaxBytes, rank,
        oversampling, powerIterations, seed, probes);
  }

  public InferenceConfig withMethod(Method value) {
    return new InferenceConfig(hessian, regParam, value, denseMaxBytes, rank, oversampling,
        powerIterations, seed, probes);
  }

  public InferenceConfig withDenseMaxBytes(long value) {
    return new InferenceConfig(hessian, regParam, method, value, rank, oversampling,
        powerIterations, seed, probes);
  }

  public InferenceConfig withRank(int value) {
    return new InferenceConfig(hessian, regParam, method, denseMaxBytes, value, oversampling,
        powerIterations, seed, probes);
  }

  public InferenceConfig withOversampling(int value) {
    return new InferenceConfig(hessian, regParam, method, denseMaxBytes, rank, value,
        powerIterations, seed, probes);
  }

  public InferenceConfig withPowerIterations(int value) {
    return new InferenceConfig(hessian, regParam, method, denseMaxBytes, rank, oversampling, value,
        seed, probes);
  }

  public InferenceConfig withSeed(long value) {
    return new InferenceConfig(hessian, regParam, method, denseMaxBytes, rank, oversampling,
        powerIterations, value, probes);
  }

  public InferenceConfig withProbes(int value) {
    return new InferenceConfig(hessian, regParam, method, denseMaxBytes, rank, oversampling,
        powerIterations, seed, value);
  }

  /**
   * The probes the low-rank method uses for {@code parameters}: {@link #probes}, capped so that
   * the five {@code P x s} matrices of the probe solves fit {@code denseMaxBytes}.
   */
  public int probesFor(int parameters) {
    long cap = denseMaxBytes / (40L * Math.max(parameters, 1));
    return (int) Math.min(probes, cap);
  }

  /** Whether the dense {@code P x P} Hessian fits {@code denseMaxBytes} (and a Java array). */
  public boolean denseFits(int parameters) {
    long p = parameters;
    return p <= 46_340 && 8L * p * p <= denseMaxBytes;
  }
}
