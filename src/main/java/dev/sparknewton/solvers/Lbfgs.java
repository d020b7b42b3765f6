package dev.sparknewton.solvers;

import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;
import dev.sparknewton.objective.SecondOrderObjective;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;

/**
 * Limited-memory BFGS (Liu and Nocedal 1989; Nocedal and Wright, "Numerical Optimization", 2nd
 * ed., Algorithm 7.4 and 7.5), a first-order baseline and the warm start of the Newton solvers
 * ({@link WarmStarted}): the direction {@code p_k = -H_k g_k} of the two-loop recursion over the
 * last {@code m} pairs {@code s_i = w_{i+1} - w_i}, {@code y_i = g_{i+1} - g_i}, with
 * {@code H_k^0 = (s.y / y.y) I} of the newest pair; the first direction is
 * {@code -g_0 / ||g_0||}. The step comes from the same one-pass Armijo {@link LineSearch} as the
 * Newton solvers: an accepted unit step costs one fused value-and-gradient pass an iteration,
 * which is all an iteration needs. A pair whose {@code s.y <= }{@link #CURVATURE_COSINE}
 * {@code ||s|| ||y||} is not kept (Nocedal and Wright, section 7.2: with Armijo steps only, as
 * here, {@code s.y > 0} is not guaranteed), so {@code H_k} stays positive definite. Stops by
 * {@link ConvergenceCheck}.
 *
 * <p>The curvature {@code H_k} learns from gradient differences over the steps taken, so it sees
 * what a step does to rows whose loss the Hessian at one point misrepresents (news20's long
 * documents, docs/bench/news20-diagnostics): this is why a few L-BFGS iterations before Newton-CG
 * help there.
 */
public final class Lbfgs implements Solver {
  /** The smallest cosine between {@code s} and {@code y} of a kept pair. */
  public static final double CURVATURE_COSINE = 1e-10;

  private final LbfgsConfig config;

  public Lbfgs(LbfgsConfig config) {
    this.config = config;
  }

  public LbfgsConfig config() {
    return config;
  }

  @Override
  public String name() {
    return "lbfgs";
  }

  @Override
  public SolverRun iterations(SecondOrderObjective objective, double[] w0) {
    return new LineSearchIterations(name(), objective, w0, new TwoLoop(config.memory(), objective.dimension()),
        new ConvergenceCheck(config.maxIter(), config.tol(), config.gtol()),
        new LineSearch(config.lineSearch()));
  }

  /** Besides the iterate and the convergence test: the pairs and the last iterate's gradient. */
  @Override
  public SolverRun resume(SecondOrderObjective objective, SolverSnapshot snapshot) {
    return ((LineSearchIterations) iterations(objective, snapshot.point())).resumedFrom(snapshot);
  }

  /**
   * The two-loop recursion. Keeps the last {@code m} pairs and the point and gradient of the
   * iterate it last gave a direction at; the pair of a step is formed at the next iterate's
   * direction, from the two iterates' points and gradients (not from the step size times the
   * direction, which differs from {@code w_{k+1} - w_k} by rounding).
   */
  static final class TwoLoop implements DirectionRule {
    private final int memory;
    private final int dimension;
    private final ArrayDeque<double[]> steps = new ArrayDeque<>();
    private final ArrayDeque<double[]> changes = new ArrayDeque<>();
    private double[] lastPoint;
    private double[] lastGradient;
    private int skipped;

    TwoLoop(int memory, int dimension) {
      this.memory = memory;
      this.dimension = dimension;
    }

    @Override
    public EvaluationRequest request(int iteration) {
      return EvaluationRequest.valueAndGradient();
    }

    @Override
    public Direction direction(Evaluation at, int iteration) {
      double[] g = at.gradient();
      if (lastPoint != null) {
        remember(Vectors.plus(at.point(), -1.0, lastPoint), Vectors.plus(g, -1.0, lastGradient));
      }
      lastPoint = at.point();
      lastGradient = g;
      double[] p = twoLoop(g);
      String detail = String.format(Locale.ROOT, "L-BFGS: %d of %d pairs%s", steps.size(),
          memory, skipped > 0 ? ", " + skipped + " skipped (s.y <= 0)" : "");
      return Direction.of(p, 0, Optional.empty(), detail);
    }

    private void remember(double[] s, double[] y) {
      double sy = Vectors.dot(s, y);
      if (!(sy > CURVATURE_COSINE * Vectors.norm(s) * Vectors.norm(y))) {
        skipped++;
        return;
      }
      if (steps.size() == memory) {
        steps.removeFirst();
        changes.removeFirst();
      }
      steps.addLast(s);
      changes.addLast(y);
    }

    /** {@code -H_k g}: Nocedal and Wright, Algorithm 7.4. */
    private double[] twoLoop(double[] g) {
      int k = steps.size();
      if (k == 0) {
        return Vectors.times(-1.0 / Vectors.norm(g), g);
      }
      double[] q = g.clone();
      double[] alpha = new double[k];
      double[] rho = new double[k];
      Iterator<double[]> s = steps.descendingIterator();
      Iterator<double[]> y = changes.descendingIterator();
      double gamma = Double.NaN;
      for (int i = k - 1; i >= 0; i--) {
        double[] si = s.next();
        double[] yi = y.next();
        double sy = Vectors.dot(si, yi);
        if (i == k - 1) {
          gamma = sy / Vectors.dot(yi, yi);
        }
        rho[i] = 1.0 / sy;
        alpha[i] = rho[i] * Vectors.dot(si, q);
        Vectors.axpy(-alpha[i], yi, q);
      }
      Vectors.scale(gamma, q);
      s = steps.iterator();
      y = changes.iterator();
      for (int i = 0; i < k; i++) {
        double[] si = s.next();
        double beta = rho[i] * Vectors.dot(y.next(), q);
        Vectors.axpy(alpha[i] - beta, si, q);
      }
      Vectors.scale(-1.0, q);
      return q;
    }

    /** Forgets the pairs and the last iterate (a {@link WarmStarted} run after its hand-over). */
    void clear() {
      steps.clear();
      changes.clear();
      lastPoint = null;
      lastGradient = null;
    }

    /**
     * {@code lbfgs.pairs} (the number kept, oldest first: {@code lbfgs.s.i}, {@code lbfgs.y.i}),
     * {@code lbfgs.skipped}, and, once a direction was given, {@code lbfgs.lastPoint} and
     * {@code lbfgs.lastGradient}: {@code 2 m + 2} vectors of the dimension at most, the size of
     * the memory itself. Nothing once {@link #clear}ed.
     */
    @Override
    public void saveTo(SnapshotFields.Builder out, Evaluation at) {
      if (lastPoint == null) {
        return;
      }
      out.put("lbfgs.pairs", steps.size()).put("lbfgs.skipped", skipped)
          .put("lbfgs.lastPoint", lastPoint).put("lbfgs.lastGradient", lastGradient);
      Iterator<double[]> y = changes.iterator();
      int i = 0;
      for (double[] s : steps) {
        out.put("lbfgs.s." + i, s).put("lbfgs.y." + i, y.next());
        i++;
      }
    }

    @Override
    public void restoreFrom(SnapshotFields in) {
      clear();
      if (!in.has("lbfgs.pairs")) {
        return;
      }
      skipped = in.intValue("lbfgs.skipped");
      int n = dimension;
      lastPoint = in.doubles("lbfgs.lastPoint", n);
      lastGradient = in.doubles("lbfgs.lastGradient", n);
      int pairs = in.intValue("lbfgs.pairs");
      if (pairs > memory) {
        throw new IllegalArgumentException("the snapshot keeps " + pairs
            + " L-BFGS pairs, more than solver.lbfgsMemory = " + memory);
      }
      for (int i = 0; i < pairs; i++) {
        steps.addLast(in.doubles("lbfgs.s." + i, n));
        changes.addLast(in.doubles("lbfgs.y." + i, n));
      }
    }
  }
}
