package dev.sparknewton.cli;

import dev.sparknewton.ml.SolverSettings;
import dev.sparknewton.solvers.Solver;
import java.util.List;

/**
 * The command line's view of {@link SolverSettings}: the {@code solver.*} keys of a job
 * configuration, read by {@link SolverSettings#from}, chosen and built by
 * {@link SolverSettings#choose} and {@link SolverSettings#create}, the same code the Spark ML
 * estimators run.
 */
final class SolverFactory {
  static final List<String> NAMES = SolverSettings.NAMES;
  /**
   * The solvers that can give a benchmark's reference optimum ({@code benchmark.reference}): not
   * the first-order baselines, which do not reach a tolerance of 1e-14 in a few hundred
   * iterations (and Adam's values are mini-batch values).
   */
  static final List<String> REFERENCE_NAMES =
      NAMES.stream()
          .filter(n -> !n.equals("lbfgs") && !n.equals("gradient-descent") && !n.equals("adam"))
          .toList();

  private SolverFactory() {}

  /** {@code solver.name}, with {@code auto} resolved: {@link SolverSettings#choose}. */
  static SolverSettings.Choice choose(JobConfig c, long parameters) {
    return SolverSettings.from(c).choose(parameters);
  }

  /** Checks every {@code solver.*} key without data: {@code auto} is checked as any name. */
  static void check(JobConfig c) {
    SolverSettings.from(c);
  }

  /** The solver {@link #choose} picks for {@code parameters} parameters. */
  static Solver create(JobConfig c, long parameters) {
    return SolverSettings.from(c).create(parameters);
  }

  /** {@code eisenstat-walker} -> {@code EISENSTAT_WALKER}, with the valid spellings on error. */
  static <E extends Enum<E>> E enumValue(JobConfig c, String key, Class<E> type) {
    return SolverSettings.enumValue(c, key, type);
  }
}
