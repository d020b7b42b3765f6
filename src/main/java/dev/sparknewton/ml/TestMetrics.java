package dev.sparknewton.ml;

import java.util.Map;

/** Metrics of a fitted model on test data, by model type. */
public interface TestMetrics {
  /** Test rows scored. */
  long rows();

  /** Each metric by name, in the order to show them (numbers, or nested maps and arrays). */
  Map<String, Object> values();

  /** One line for the console, e.g. {@code "accuracy 0.9040, AUC 0.9041, log-loss 0.21"}. */
  String describe();
}
