package dev.sparknewton.objective;

/**
 * Groups of parameters along whose sum the data term has no curvature: the {@code members}
 * parameters {@code g + k stride} ({@code k < members}) of group {@code g < groups}. For a
 * multinomial (softmax) linear model, group {@code j} holds the {@code K} classes' coefficients
 * of feature {@code j} (and the last group their intercepts): adding one constant to all of them
 * changes no probability, so each feature's {@code K x K} block of the data Hessian,
 * {@code sum_i c_i x_ij^2 (diag(p_i) - p_i p_i^T)}, maps the constant vector to 0, and the
 * objective's curvature along it is the regularization's alone.
 *
 * @param penalty the regularization's contribution to the Hessian diagonal, per parameter
 *     ({@code lambda} where penalized, 0 elsewhere); null when the objective has none
 */
public record ClassSumGroups(int groups, int members, int stride, double[] penalty) {
  public ClassSumGroups {
    if (groups < 1 || members < 2 || stride < groups) {
      throw new IllegalArgumentException("class-sum groups: " + groups + " groups of " + members
          + " at stride " + stride);
    }
  }

  /** The index of member {@code k} of group {@code g}. */
  public int index(int g, int k) {
    return g + k * stride;
  }

  /** The same groups with {@code penalty} as the regularization's diagonal. */
  public ClassSumGroups withPenalty(double[] value) {
    return new ClassSumGroups(groups, members, stride, value);
  }
}
