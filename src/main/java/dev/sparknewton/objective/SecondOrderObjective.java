package dev.sparknewton.objective;

/**
 * A twice-differentiable objective {@code f: R^n -> R}. All first- and second-order information
 * is reached through an {@link Evaluation} bound to one point, so no product can silently use the
 * curvature of another point (LIBLINEAR's "Hv after grad at the same w" call order, made
 * impossible by the types).
 */
public interface SecondOrderObjective {
  /** The number of variables {@code n}. */
  int dimension();

  /**
   * A lower bound of {@code f} over all {@code w}, or {@code -infinity} when none is known. A
   * quadratic model that promises to go below it is wrong at that step (Newton-CG stops CG there).
   */
  default double lowerBound() {
    return Double.NEGATIVE_INFINITY;
  }

  /**
   * Whether the diagonal ({@link EvaluationRequest#withDiagonal()}) and the dense matrix are
   * those of the matrix the curvature products multiply by (true, the default), or of a
   * positive semidefinite approximation only (a network's exact Hessian: products are exact,
   * its diagonal is the Gauss-Newton one, usable as a preconditioner, and the dense matrix is not
   * formed).
   */
  default boolean diagonalIsCurvature() {
    return true;
  }

  /**
   * The groups of parameters along whose sum the data term has no curvature (a softmax model's
   * classes of one feature), for a preconditioner that knows it
   * ({@code solver.preconditioner = softmax-diagonal}); empty when there are none.
   */
  default java.util.Optional<ClassSumGroups> classSumGroups() {
    return java.util.Optional.empty();
  }

  /** Value and gradient at {@code w} (one pass over the data). {@code w} not modified. */
  default Evaluation evaluate(double[] w) {
    return evaluate(w, EvaluationRequest.valueAndGradient());
  }

  /**
   * Value, gradient and whatever else {@code request} asks for, all computed in one pass over the
   * data. {@code w} not modified.
   */
  Evaluation evaluate(double[] w, EvaluationRequest request);
}
