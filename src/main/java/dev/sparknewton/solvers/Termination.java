package dev.sparknewton.solvers;

/** Why a solver stopped. Numerical failures are reasons like any other, never exceptions or nulls. */
public enum Termination {
  /** {@code ||g|| <= tol ||g_0||}. */
  CONVERGED_RELATIVE_GRADIENT("converged: relative gradient norm below tol"),
  /** {@code ||g|| <= gtol}. */
  CONVERGED_ABSOLUTE_GRADIENT("converged: gradient norm below gtol"),
  /**
   * The step the quadratic model proposes promises a decrease within
   * {@link ConvergenceCheck#PRECISION_RELATIVE}{@code |f|}, and the objective did not decrease
   * measurably along it: the point is optimal to the precision at which {@code f}, a sum over the
   * data, is computed. A converged state.
   */
  CONVERGED_AT_PRECISION("converged: no decrease left that f resolves at double precision"),
  /** No step size in the line search gave sufficient decrease. */
  LINE_SEARCH_FAILED("line search failed to find sufficient decrease"),
  /** The trust region shrank without an acceptable step while the model still promised decrease. */
  TRUST_REGION_FAILED("trust region collapsed without an acceptable step"),
  /** The iteration limit was reached. */
  MAX_ITERATIONS("maximum number of iterations reached"),
  /** The objective, gradient or step became NaN or infinite. */
  NON_FINITE("objective, gradient or step is not finite"),
  /** The relative decrease of the objective fell below what double precision resolves. */
  NO_PROGRESS("objective no longer decreases within rounding"),
  /** A Cholesky factorization failed even after the solver's largest damping. */
  FACTORIZATION_FAILED("Cholesky factorization failed even with damping"),
  /** A randomized eigendecomposition failed: a non-finite block product or a small eigenproblem that did not converge. */
  EIGENSOLVER_FAILED("randomized eigendecomposition failed");

  private final String description;

  Termination(String description) {
    this.description = description;
  }

  public String description() {
    return description;
  }

  /** True for the three convergence reasons. */
  public boolean converged() {
    return this == CONVERGED_RELATIVE_GRADIENT || this == CONVERGED_ABSOLUTE_GRADIENT
        || this == CONVERGED_AT_PRECISION;
  }

  /**
   * True for the numerical failures (no acceptable step, NaN, a factorization or eigensolver that
   * failed): the run's result is the last good iterate, and the job exits with status 3.
   */
  public boolean failed() {
    return this == LINE_SEARCH_FAILED || this == TRUST_REGION_FAILED || this == NON_FINITE
        || this == FACTORIZATION_FAILED || this == EIGENSOLVER_FAILED;
  }
}
