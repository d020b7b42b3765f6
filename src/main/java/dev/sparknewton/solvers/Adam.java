package dev.sparknewton.solvers;

import dev.sparknewton.data.RowSample;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;
import java.util.Locale;
import java.util.Optional;

/**
 * Adam on seeded mini-batches, a baseline (D. P. Kingma, J. Ba, "Adam: a method for stochastic
 * optimization", ICLR 2015, Algorithm 1). Step {@code t = 1, 2, ...} from {@code w_{t-1}} and the
 * gradient {@code g_t} of the mini-batch loss there:
 *
 * <pre>
 *   m_t = beta1 m_{t-1} + (1 - beta1) g_t,   v_t = beta2 v_{t-1} + (1 - beta2) g_t^2,
 *   w_t = w_{t-1} - alpha (m_t / (1 - beta1^t)) / (sqrt(v_t / (1 - beta2^t)) + epsilon)
 * </pre>
 *
 * The mini-batch of the evaluation at {@code w_i} is
 * {@code RowSample.of(batchFraction, RowSample.iterationSeed(seed, i))}: every row independently
 * with probability {@code batchFraction}, drawn across all partitions, a new sample each step, so
 * each step is one evaluation and one Spark job, as Spark MLlib's {@code GradientDescent} with a
 * {@code miniBatchFraction}. With {@code batchFraction = 1} every step sees all rows: full-batch
 * Adam, deterministic.
 *
 * <p>A state's {@code value} and {@code gradientNorm} are those of the mini-batch loss at its
 * point (on the batch the next step is computed from), not of the objective; {@code stepSize} is
 * {@code alpha}; {@code detail} gives the epochs so far (steps times {@code batchFraction}).
 * Convergence tests on mini-batch gradients do not apply: the run ends after {@code maxIter}
 * steps, or with {@link Termination#NON_FINITE} ({@link ConvergenceCheck#iterationLimitOnly}).
 */
public final class Adam implements Solver {
  private final AdamConfig config;

  public Adam(AdamConfig config) {
    this.config = config;
  }

  public AdamConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "adam";
  }

  @Override
  public SolverRun iterations(SecondOrderObjective objective, double[] w0) {
    return new Steps(objective, w0);
  }

  /** Besides the iterate: the moments {@code m}, {@code v} and the powers {@code beta^t}. */
  @Override
  public SolverRun resume(SecondOrderObjective objective, SolverSnapshot snapshot) {
    Steps steps = new Steps(objective, snapshot.point());
    steps.restore(snapshot);
    return steps;
  }

  private final class Steps extends OuterLoop {
    private final double[] m;
    private final double[] v;
    private double beta1Power = 1.0;
    private double beta2Power = 1.0;

    Steps(SecondOrderObjective objective, double[] w0) {
      super(name(), objective, w0, ConvergenceCheck.iterationLimitOnly(config.maxIter()));
      m = new double[w0.length];
      v = new double[w0.length];
    }

    @Override
    protected EvaluationRequest request(int iteration) {
      return EvaluationRequest.valueAndGradient().onSample(
          RowSample.of(config.batchFraction(), RowSample.iterationSeed(config.seed(), iteration)));
    }

    /**
     * {@code adam.m} and {@code adam.v} (the moment estimates), {@code adam.beta1Power} and
     * {@code adam.beta2Power} ({@code beta1^t}, {@code beta2^t}).
     */
    @Override
    protected void saveState(SnapshotFields.Builder out) {
      out.put("adam.m", m).put("adam.v", v)
          .put("adam.beta1Power", beta1Power).put("adam.beta2Power", beta2Power);
    }

    @Override
    protected void restoreState(SnapshotFields in) {
      System.arraycopy(in.doubles("adam.m", m.length), 0, m, 0, m.length);
      System.arraycopy(in.doubles("adam.v", v.length), 0, v, 0, v.length);
      beta1Power = in.doubleValue("adam.beta1Power");
      beta2Power = in.doubleValue("adam.beta2Power");
    }

    @Override
    protected SolverState step() {
      double[] g = current.gradient();
      double[] w = current.point().clone();
      beta1Power *= AdamConfig.BETA1;
      beta2Power *= AdamConfig.BETA2;
      double firstCorrection = 1.0 - beta1Power;
      double secondCorrection = 1.0 - beta2Power;
      double alpha = config.learningRate();
      for (int j = 0; j < w.length; j++) {
        m[j] = AdamConfig.BETA1 * m[j] + (1.0 - AdamConfig.BETA1) * g[j];
        v[j] = AdamConfig.BETA2 * v[j] + (1.0 - AdamConfig.BETA2) * g[j] * g[j];
        double mHat = m[j] / firstCorrection;
        double vHat = v[j] / secondCorrection;
        w[j] -= alpha * mHat / (Math.sqrt(vHat) + AdamConfig.EPSILON);
      }
      int t = iteration + 1;
      Evaluation next = objective.evaluate(w, request(t));
      String detail = String.format(Locale.ROOT, "mini-batch loss (%s), epoch %.3f",
          config.batchFraction() == 1.0 ? "all rows"
              : String.format(Locale.ROOT, "%.3g%% of rows", 100 * config.batchFraction()),
          t * config.batchFraction());
      return advance(next, alpha, 0, Optional.empty(), new double[0], detail);
    }
  }
}
