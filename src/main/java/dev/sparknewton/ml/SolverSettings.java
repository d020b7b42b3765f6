package dev.sparknewton.ml;

import dev.sparknewton.randomized.RandomizedEigenConfig;
import dev.sparknewton.solvers.Adam;
import dev.sparknewton.solvers.AdamConfig;
import dev.sparknewton.solvers.ExactNewton;
import dev.sparknewton.solvers.ExactNewtonConfig;
import dev.sparknewton.solvers.GradientDescent;
import dev.sparknewton.solvers.GradientDescentConfig;
import dev.sparknewton.solvers.HessianFree;
import dev.sparknewton.solvers.HessianFreeConfig;
import dev.sparknewton.solvers.Lbfgs;
import dev.sparknewton.solvers.LbfgsConfig;
import dev.sparknewton.solvers.LowRankSaddleFreeNewton;
import dev.sparknewton.solvers.LowRankSketchConfig;
import dev.sparknewton.solvers.LrsfnConfig;
import dev.sparknewton.solvers.NewtonCg;
import dev.sparknewton.solvers.NewtonCgConfig;
import dev.sparknewton.solvers.Solver;
import dev.sparknewton.solvers.WarmStarted;
import java.util.List;
import java.util.Locale;

/**
 * Every solver setting (the {@code solver.*} keys of {@code reference.conf}) and the one place
 * where settings become a {@link Solver}: the command line ({@code train}, {@code benchmark},
 * {@code spectrum}) reads them from its configuration with {@link #from}, the Spark ML estimators
 * from their params, whose defaults are {@link #defaults()}, i.e. {@code reference.conf}'s values.
 * Both then call {@link #choose} and {@link #create}; {@link ModelTraining#fit} runs the solver.
 *
 * <p>{@link #checked()} checks every field (the solver configuration records check their ranges,
 * with messages naming the {@code solver.*} key); {@link #from} and {@link #create} check.
 *
 * @param name {@code auto} or one of {@link #NAMES}
 * @param denseMaxBytes exact Newton: the dense {@code P x P} Hessian must fit in this many bytes
 * @param sketch rank, oversampling and power iterations of the randomized Hessian sketch
 * @param gamma LRSFN's gamma, {@link LrsfnConfig#AUTO_GAMMA} for auto
 * @param lbfgsMemory pairs kept by L-BFGS ({@code lbfgs} and the warm start)
 * @param warmStartIterations L-BFGS iterations before exact Newton, Newton-CG or LRSFN
 *     ({@link WarmStarted}); 0 for none
 */
public record SolverSettings(
    String name, int maxIter, double tol, double gtol, double hessianSampleFraction, long seed,
    int maxCgIterations, int driverMaxCgIterations, int driverMaxCgGrowth, long denseMaxBytes,
    NewtonCgConfig.Forcing forcing,
    NewtonCgConfig.Preconditioner preconditioner, int preconditionerRefresh,
    LowRankSketchConfig sketch, RandomizedEigenConfig.Method eigenMethod, double gamma,
    LrsfnConfig.GammaRule gammaRule, double gradientSampleFraction, double initialDamping,
    double minDamping, double maxDamping, double learningRate, double batchFraction,
    int lbfgsMemory, int warmStartIterations) {

  /** {@code solver.name}: {@code auto} and every solver. */
  public static final List<String> NAMES = List.of("auto", "exact-newton", "newton-cg",
      "trust-region", "lrsfn", "hessian-free", "lbfgs", "gradient-descent", "adam");

  /** The solvers {@code solver.warmStartIterations > 0} applies to ({@code auto} picks one). */
  public static final List<String> WARM_STARTABLE =
      List.of("auto", "exact-newton", "newton-cg", "lrsfn");

  /**
   * {@code auto} picks exact Newton up to this many parameters: its pass then forms the dense
   * {@code P x P} Hessian at a cost of about {@code P} gradient passes' arithmetic on dense rows
   * and a Cholesky factorization of {@code P^3 / 3} flops (0.4 GFlop here), and it needs the
   * fewest passes of all (a9a, 124 parameters: 7 passes against Newton-CG's 15; covtype, 55: 8
   * against 20). Above, the dense Hessian's cost grows as {@code P^2} per row while Newton-CG's
   * products stay at one gradient's cost (MNIST, 7,850 parameters: Newton-CG 19 passes, 49 s).
   */
  public static final int AUTO_EXACT_MAX_PARAMETERS = 1024;

  private static final SolverSettings DEFAULTS = from(ConfigValues.reference());

  /** The solver {@code name} resolves to, and why. */
  public record Choice(String name, String reason) {}

  public SolverSettings {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException(
          "solver.name must be one of " + String.join(", ", NAMES) + "; got '" + name + "'");
    }
  }

  /** {@code reference.conf}'s {@code solver.*} values. */
  public static SolverSettings defaults() {
    return DEFAULTS;
  }

  /** The {@code solver.*} keys of {@code c}. */
  public static SolverSettings from(ConfigValues c) {
    return new SolverSettings(c.choice("solver.name", NAMES), c.integer("solver.maxIter"),
        c.number("solver.tol"), c.number("solver.gtol"), c.number("solver.hessianSampleFraction"),
        c.longValue("solver.seed"), c.integer("solver.maxCgIterations"),
        c.integer("solver.driverMaxCgIterations"), c.integer("solver.driverMaxCgGrowth"),
        c.megabytes("solver.denseMaxMb"),
        enumValue(c, "solver.forcing", NewtonCgConfig.Forcing.class),
        enumValue(c, "solver.preconditioner", NewtonCgConfig.Preconditioner.class),
        c.integer("solver.preconditionerRefresh"),
        new LowRankSketchConfig(c.integer("solver.rank"), c.integer("solver.oversampling"),
            c.integer("solver.powerIterations")),
        enumValue(c, "solver.eigenMethod", RandomizedEigenConfig.Method.class),
        gamma(c.string("solver.gamma")),
        enumValue(c, "solver.gammaRule", LrsfnConfig.GammaRule.class),
        c.number("solver.gradientSampleFraction"), c.number("solver.initialDamping"),
        c.number("solver.minDamping"), c.number("solver.maxDamping"),
        c.number("solver.learningRate"), c.number("solver.batchFraction"),
        c.integer("solver.lbfgsMemory"), c.integer("solver.warmStartIterations")).checked();
  }

  /**
   * {@link #name()}, with {@code auto} resolved for a model with {@code parameters} parameters:
   * {@code exact-newton} when {@code parameters <= AUTO_EXACT_MAX_PARAMETERS} and its dense
   * Hessian fits {@link #denseMaxBytes()}, else {@code newton-cg} (diagonal preconditioner, a
   * driver-side curvature sample when it fits the budget).
   */
  public Choice choose(long parameters) {
    if (!name.equals("auto")) {
      return new Choice(name, "solver.name = " + name);
    }
    long dense = 8L * parameters * parameters;
    if (parameters <= AUTO_EXACT_MAX_PARAMETERS && dense <= denseMaxBytes) {
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

  /**
   * The solver {@link #choose} picks for {@code parameters} parameters, after
   * {@link #warmStartIterations} L-BFGS iterations when that is positive.
   */
  public Solver create(long parameters) {
    checked();
    Solver solver = solver(choose(parameters).name());
    return warmStartIterations > 0
        ? new WarmStarted(solver, warmStartIterations, lbfgsMemory) : solver;
  }

  private Solver solver(String resolved) {
    return switch (resolved) {
      case "exact-newton" -> new ExactNewton(exactNewton());
      case "newton-cg" -> new NewtonCg(newtonCg(NewtonCgConfig.Globalization.LINE_SEARCH));
      case "trust-region" -> new NewtonCg(newtonCg(NewtonCgConfig.Globalization.TRUST_REGION));
      case "lrsfn" -> new LowRankSaddleFreeNewton(lrsfn());
      case "hessian-free" -> new HessianFree(hessianFree());
      case "lbfgs" -> new Lbfgs(lbfgs());
      case "gradient-descent" -> new GradientDescent(gradientDescent());
      case "adam" -> new Adam(adam());
      default -> throw new IllegalStateException("unreachable: " + name);
    };
  }

  ExactNewtonConfig exactNewton() {
    return ExactNewtonConfig.defaults()
        .withMaxIter(maxIter).withTol(tol).withGtol(gtol)
        .withHessianSampleFraction(hessianSampleFraction).withSeed(seed)
        .withDenseMaxBytes(denseMaxBytes);
  }

  NewtonCgConfig newtonCg(NewtonCgConfig.Globalization globalization) {
    return NewtonCgConfig.defaults()
        .withMaxIter(maxIter).withTol(tol).withGtol(gtol)
        .withHessianSampleFraction(hessianSampleFraction).withSeed(seed)
        .withMaxCgIterations(maxCgIterations).withDriverMaxCgIterations(driverMaxCgIterations)
        .withDriverMaxCgGrowth(driverMaxCgGrowth)
        .withForcing(forcing).withPreconditioner(preconditioner).withSketch(sketch)
        .withPreconditionerRefresh(preconditionerRefresh).withGlobalization(globalization);
  }

  LrsfnConfig lrsfn() {
    return LrsfnConfig.defaults()
        .withMaxIter(maxIter).withTol(tol).withGtol(gtol)
        .withHessianSampleFraction(hessianSampleFraction).withSeed(seed)
        .withSketch(sketch).withEigenMethod(eigenMethod).withGamma(gamma).withGammaRule(gammaRule);
  }

  HessianFreeConfig hessianFree() {
    return HessianFreeConfig.defaults()
        .withMaxIter(maxIter).withTol(tol).withGtol(gtol)
        .withHessianSampleFraction(hessianSampleFraction).withSeed(seed)
        .withMaxCgIterations(maxCgIterations).withGradientSampleFraction(gradientSampleFraction)
        .withDamping(initialDamping, minDamping, maxDamping);
  }

  LbfgsConfig lbfgs() {
    return LbfgsConfig.defaults().withMaxIter(maxIter).withTol(tol).withGtol(gtol)
        .withMemory(lbfgsMemory);
  }

  GradientDescentConfig gradientDescent() {
    return GradientDescentConfig.defaults().withMaxIter(maxIter).withTol(tol).withGtol(gtol);
  }

  AdamConfig adam() {
    return AdamConfig.defaults().withMaxIter(maxIter).withSeed(seed)
        .withLearningRate(learningRate).withBatchFraction(batchFraction);
  }

  /**
   * These settings, after building every solver's configuration record whatever the name, so
   * that every field is range-checked: a bad value of a key the chosen solver ignores is still a
   * mistake.
   *
   * @throws IllegalArgumentException naming the {@code solver.*} key and the value
   */
  public SolverSettings checked() {
    exactNewton();
    newtonCg(NewtonCgConfig.Globalization.LINE_SEARCH);
    lrsfn();
    hessianFree();
    lbfgs();
    gradientDescent();
    adam();
    if (warmStartIterations < 0) {
      throw new IllegalArgumentException(
          "solver.warmStartIterations must be >= 0, got " + warmStartIterations);
    }
    if (warmStartIterations > 0 && !WARM_STARTABLE.contains(name)) {
      throw new IllegalArgumentException("solver.warmStartIterations = " + warmStartIterations
          + " applies to " + String.join(", ", WARM_STARTABLE.subList(1, WARM_STARTABLE.size()))
          + " (and auto), not " + name + "; set it to 0");
    }
    return this;
  }

  /** {@code solver.gamma}: {@code auto} (or 0) for {@link LrsfnConfig#AUTO_GAMMA}, else a number > 0. */
  public static double gamma(String value) {
    String v = value.trim();
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

  /** The configuration spelling of an enum constant: {@code EISENSTAT_WALKER -> eisenstat-walker}. */
  public static String spelling(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The valid spellings of {@code type}'s constants. */
  public static <E extends Enum<E>> List<String> spellings(Class<E> type) {
    return java.util.Arrays.stream(type.getEnumConstants()).map(e -> spelling(e)).toList();
  }

  /** The constant spelled {@code value} ({@code eisenstat-walker -> EISENSTAT_WALKER}). */
  public static <E extends Enum<E>> E parse(Class<E> type, String value) {
    return Enum.valueOf(type, value.toUpperCase(Locale.ROOT).replace('-', '_'));
  }

  /** {@code eisenstat-walker} -> {@code EISENSTAT_WALKER}, with the valid spellings on error. */
  public static <E extends Enum<E>> E enumValue(ConfigValues c, String key, Class<E> type) {
    return parse(type, c.choice(key, spellings(type)));
  }
}
