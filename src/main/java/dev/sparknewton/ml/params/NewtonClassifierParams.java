package dev.sparknewton.ml.params;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.Param;

/**
 * {@link NewtonParams} and the logistic regression params: {@code family} and the binomial
 * {@code threshold} (kept consistent with Spark's {@code thresholds} by the owner, as MLlib's
 * {@code LogisticRegression} does).
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
}
