package dev.sparknewton.objective;

import java.util.Locale;

/**
 * What {@link ModelObjective} does with a curvature sample larger than its driver budget
 * ({@code solver.curvatureOverBudget}): draw a smaller seeded sample that fits and collect that
 * (one pass, then no pass per product), or keep the requested sample's products distributed (one
 * pass each). Either way no more than the budget is collected.
 */
public enum OverBudgetCurvature {
  /** A sub-sample of the requested rows (same seed, smaller fraction) that fits the budget. */
  SAMPLE,
  /** Every product on the requested sample is a pass over the cached blocks. */
  DISTRIBUTED;

  /** The configuration name: {@code sample}, {@code distributed}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The choice named {@code name}; {@code key} names the setting in the error. */
  public static OverBudgetCurvature parse(String key, String name) {
    for (OverBudgetCurvature c : values()) {
      if (c.configName().equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        key + " must be one of sample, distributed, got '" + name + "'");
  }
}
