package dev.sparknewton.ml.params;

import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;

/**
 * {@link NewtonParams} and the logistic regression params: {@code family} and the binomial
 * {@code threshold}, kept consistent with Spark's {@code thresholds} as MLlib's
 * {@code LogisticRegression} keeps them: setting one clears the other, and a binomial model with
 * {@code thresholds = [t0, t1]} predicts 1 when {@code p1 > 1 / (1 + t0 / t1)}, which is the
 * {@link #getThreshold()} it reports.
 */
public interface NewtonClassifierParams<T extends NewtonClassifierParams<T>> extends NewtonParams<T> {
  default Param<String> family() {
    return newtonParams().family;
  }

  default String getFamily() {
    return (String) getOrDefault(family());
  }

  @SuppressWarnings("unchecked")
  default T setFamily(String value) {
    return (T) set(family(), value);
  }

  default DoubleParam threshold() {
    return newtonParams().threshold;
  }

  /** Spark's {@code thresholds} param (of the superclass). */
  DoubleArrayParam thresholds();

  /**
   * The binomial decision threshold on the probability of class 1: from {@code thresholds}
   * when they are set (which must then have 2 entries), else {@code threshold}.
   */
  default double getThreshold() {
    if (isSet(thresholds())) {
      double[] ts = (double[]) getOrDefault(thresholds());
      if (ts.length != 2) {
        throw new IllegalArgumentException("threshold applies to binomial models, but thresholds "
            + "has " + ts.length + " entries: " + java.util.Arrays.toString(ts));
      }
      return 1.0 / (1.0 + ts[0] / ts[1]);
    }
    return (Double) getOrDefault(threshold());
  }

  /** Sets {@code threshold} and clears {@code thresholds}. */
  @SuppressWarnings("unchecked")
  default T setThreshold(double value) {
    if (isSet(thresholds())) {
      clear(thresholds());
    }
    return (T) set(threshold(), value);
  }

  /**
   * {@code thresholds} when set; else, when {@code threshold} is set, {@code [1 - t, t]}; else
   * undefined (Spark's error).
   */
  default double[] thresholdsOrThreshold() {
    if (!isSet(thresholds()) && isSet(threshold())) {
      double t = (Double) getOrDefault(threshold());
      return new double[] {1.0 - t, t};
    }
    return (double[]) getOrDefault(thresholds());
  }
}
