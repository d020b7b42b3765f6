package dev.sparknewton.cli;

import dev.sparknewton.randomized.RandomizedEigenConfig;
import dev.sparknewton.solvers.Adam;
import dev.sparknewton.solvers.AdamConfig;
import dev.sparknewton.solvers.ExactNewton;
import dev.sparknewton.solvers.ExactNewtonConfig;
import dev.sparknewton.solvers.GradientDescent;
import dev.sparknewton.solvers.GradientDescentConfig;
import dev.sparknewton.solvers.HessianFree;
import dev.sparknewton.solvers.HessianFreeConfig;
import dev.sparknewton.solvers.LowRankSaddleFreeNewton;
import dev.sparknewton.solvers.LowRankSketchConfig;
import dev.sparknewton.solvers.LrsfnConfig;
import dev.sparknewton.solvers.NewtonCg;
import dev.sparknewton.solvers.NewtonCgConfig;
import dev.sparknewton.solvers.Solver;
import java.util.List;
import java.util.Locale;

/**
 * Builds the solver named by {@code solver.name} from the {@code solver.*} keys; {@code auto}
 * chooses by the number of parameters (see {@link #choose}).
 */
final class SolverFactory {
  static final List<String> NAMES = List.of("auto", "exact-newton", "newton-cg", "trust-region",
      "lrsfn", "hessian-free", "gradient-descent", "adam");
  /**
   * The solvers that can give a benchmark's reference optimum ({@code benchmark.reference}): not
   * the first-order baselines, which do not reach a tolerance of 1e-14 in a few hundred
   * iterations (and Adam's values are mini-batch values).
   */
  static final List<String> REFERENCE_NAMES =
      NAMES.stream().filter(n -> !n.equals("gradient-descent") && !n.equals("adam")).toList();
  /**
   * {@code auto} picks exact Newton up to this many parameters: its pass then forms the dense
   * {@code P x P} Hessian at a cost of about {@code P} gradient passes' arithmetic on dense rows
   * and a Cholesky factorization of {@code P^3 / 3} flops (0.4 GFlop here), and it needs the
   * fewest passes of all (a9a, 124 parameters: 7 passes against Newton-CG's 15; covtype, 55: 8
   * against 20). Above, the dense Hessian's cost grows as {@code P^2} per row while Newton-CG's
   * products stay at one gradient's cost (MNIST, 7,850 parameters: Newton-CG 19 passes, 49 s).
   */
  static final int AUTO_EXACT_MAX_PARAMETERS = 1024;

  /** The solver {@code solver.name} resolves to, and why. */
  record Choice(String name, String reason) {}

  private SolverFactory() {}

  /**
   * {@code solver.name}, with {@code auto} resolved for a model with {@code parameters}
   * parameters: {@code exact-newton} when {@code parameters <= AUTO_EXACT_MAX_PARAMETERS} and its
   * dense Hessian fits {@code solver.denseMaxMb}, else {@code newton-cg} (diagonal preconditioner,
   * a driver-side curvature sample when it fits {@code solver.driverCurvatureMb}).
   */
  static Choice choose(JobConfig c, long parameters) {
    String name = c.choice("solver.name", NAMES);
    if (!name.equals("auto")) {
      return new Choice(name, "solver.name = " + name);
    }
    long dense = 8L * parameters * parameters;
    long budget = TrainCommand.megabytes(c, "solver.denseMaxMb");
    if (parameters <= AUTO_EXACT_MAX_PARAMETERS && dense <= budget) {
      return new Choice("exact-newton", String.format(Locale.ROOT,
          "auto: %d parameters <= %d, dense Hessian %.1f MB <= solver.denseMaxMb",
          parameters, AUTO_EXACT_MAX_PARAMETERS, dense / 1048576.0));
    }
    return new Choice("newton-cg", String.format(Locale.ROOT,
        "auto: %d parameters %s, Hessian-vector products only", parameters,
        parameters > AUTO_EXACT_MAX_PARAMETERS ? "> " + AUTO_EXACT_MAX_PARAMETERS
            : String.format(Locale.ROOT, "need a %.1f MB dense Hessian > solver.denseMaxMb",
                dense / 1048576.0)));
  }

  /** Checks every {@code solver.*} key without data: {@code auto} is checked as any name. */
  static void check(JobConfig c) {
    create(c, 1);
  }

  /** The solver {@link #choose} picks for {@code parameters} parameters. */
  static Solver create(JobConfig c, long parameters) {
    String name = choose(c, parameters).name();
    int maxIter = c.integer("solver.maxIter");
    double tol = c.number("solver.tol");
    double gtol = c.number("solver.gtol");
    double fraction = c.number("solver.hessianSampleFraction");
    long seed = c.longValue("solver.seed");
    // Every solver key is checked, whichever solver is chosen: a typo in a key the chosen solver
    // ignores is still a mistake in the configuration.
    int maxCg = c.integer("solver.maxCgIterations");
    long denseMax = TrainCommand.megabytes(c, "solver.denseMaxMb");
    NewtonCgConfig.Forcing forcing = enumValue(c, "solver.forcing", NewtonCgConfig.Forcing.class);
    NewtonCgConfig.Preconditioner preconditioner =
        enumValue(c, "solver.preconditioner", NewtonCgConfig.Preconditioner.class);
    LowRankSketchConfig sketch = sketch(c);
    int refresh = c.integer("solver.preconditionerRefresh");
    RandomizedEigenConfig.Method eigenMethod =
        enumValue(c, "solver.eigenMethod", RandomizedEigenConfig.Method.class);
    double gamma = gamma(c);
    LrsfnConfig.GammaRule gammaRule = enumValue(c, "solver.gammaRule", LrsfnConfig.GammaRule.class);
    // The first-order and Hessian-free records are built whatever the name, so that their keys
    // are range-checked too.
    HessianFreeConfig hessianFree = HessianFreeConfig.defaults()
        .withMaxIter(maxIter).withTol(tol).withGtol(gtol)
        .withHessianSampleFraction(fraction).withSeed(seed).withMaxCgIterations(maxCg)
        .withGradientSampleFraction(c.number("solver.gradientSampleFraction"))
        .withDamping(c.number("solver.initialDamping"), c.number("solver.minDamping"),
            c.number("solver.maxDamping"));
    GradientDescentConfig gradientDescent =
        GradientDescentConfig.defaults().withMaxIter(maxIter).withTol(tol).withGtol(gtol);
    AdamConfig adam = AdamConfig.defaults().withMaxIter(maxIter).withSeed(seed)
        .withLearningRate(c.number("solver.learningRate"))
        .withBatchFraction(c.number("solver.batchFraction"));
    switch (name) {
      case "exact-newton":
        return new ExactNewton(ExactNewtonConfig.defaults()
            .withMaxIter(maxIter).withTol(tol).withGtol(gtol)
            .withHessianSampleFraction(fraction).withSeed(seed)
            .withDenseMaxBytes(denseMax));
      case "newton-cg":
      case "trust-region":
        return new NewtonCg(NewtonCgConfig.defaults()
            .withMaxIter(maxIter).withTol(tol).withGtol(gtol)
            .withHessianSampleFraction(fraction).withSeed(seed)
            .withMaxCgIterations(maxCg).withForcing(forcing).withPreconditioner(preconditioner)
            .withSketch(sketch).withPreconditionerRefresh(refresh)
            .withGlobalization(name.equals("trust-region")
                ? NewtonCgConfig.Globalization.TRUST_REGION
                : NewtonCgConfig.Globalization.LINE_SEARCH));
      case "lrsfn":
        return new LowRankSaddleFreeNewton(LrsfnConfig.defaults()
            .withMaxIter(maxIter).withTol(tol).withGtol(gtol)
            .withHessianSampleFraction(fraction).withSeed(seed)
            .withSketch(sketch).withEigenMethod(eigenMethod).withGamma(gamma).withGammaRule(gammaRule));
      case "hessian-free":
        return new HessianFree(hessianFree);
      case "gradient-descent":
        return new GradientDescent(gradientDescent);
      case "adam":
        return new Adam(adam);
      default:
        throw new IllegalStateException("unreachable: " + name);
    }
  }

  private static LowRankSketchConfig sketch(JobConfig c) {
    return new LowRankSketchConfig(c.integer("solver.rank"), c.integer("solver.oversampling"),
        c.integer("solver.powerIterations"));
  }

  /** {@code solver.gamma}: {@code auto} (or 0) for {@link LrsfnConfig#AUTO_GAMMA}, else a number > 0. */
  static double gamma(JobConfig c) {
    String v = c.string("solver.gamma").trim();
    if (v.equalsIgnoreCase("auto")) {
      return LrsfnConfig.AUTO_GAMMA;
    }
    double g;
    try {
      g = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      g = Double.NaN;
    }
    if (!(g >= 0.0) || Double.isInfinite(g)) {
      throw new IllegalArgumentException(
          "solver.gamma must be auto or a finite number >= 0 (0 = auto), got " + v);
    }
    return g;
  }

  /** {@code eisenstat-walker} -> {@code EISENSTAT_WALKER}, with the valid spellings on error. */
  static <E extends Enum<E>> E enumValue(JobConfig c, String key, Class<E> type) {
    E[] values = type.getEnumConstants();
    String[] allowed = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      allowed[i] = values[i].name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
    String v = c.choice(key, List.of(allowed));
    return Enum.valueOf(type, v.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
