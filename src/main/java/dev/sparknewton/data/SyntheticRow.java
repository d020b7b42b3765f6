package dev.sparknewton.data;

import java.io.Serializable;

/**
 * One generated row. Labels are as written: -1 / +1 for binary, the class {@code 0 .. K-1} for
 * multiclass.
 *
 * @param label the label, after label noise
 * @param noiselessLabel the label drawn from the true model, before label noise
 * @param mostLikelyLabel the true model's most probable label (the Bayes classifier)
 * @param indices distinct 0-based feature indices, increasing
 * @param values the nonzero values, one per index
 */
public record SyntheticRow(
    double label, double noiselessLabel, double mostLikelyLabel, int[] indices, double[] values)
    implements Serializable {}
