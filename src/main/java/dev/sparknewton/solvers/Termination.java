package dev.sparknewton.solvers;

/** Why a solver stopped. Numerical failures are reasons like any other, never exceptions or nulls. */
public enum Termination {
  /** {@code ||g|| <= tol ||g_0||}. */
  CONVERGED_RELATIVE_GRADIENT("converged: relative gradient norm below tol"),
  /** {@code ||g|| <= gtol}. */
  CONVERGED_ABSOLUTE_GRADIENT("converged: gradient norm below gtol"),
  /** No step size in the line search gave sufficient decrease. */
  LINE_SEARCH_FAILED("line search failed to find sufficient decrease"),
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

  /** True for the two convergence reasons. */
  public boolean converged() {
    return this == CONVERGED_RELATIVE_GRADIENT || this == CONVERGED_ABSOLUTE_GRADIENT;
  }
}
