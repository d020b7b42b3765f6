package dev.sparknewton.solvers;

import dev.sparknewton.objective.CurvatureOperator;
import dev.sparknewton.objective.Evaluation;
import dev.sparknewton.objective.EvaluationRequest;

/**
 * The Newton system {@code H s = -g} of one iterate as CG sees it: the (sub-sampled) curvature,
 * the preconditioner, and when CG stops (its rule and its iteration cap).
 *
 * @param curvature {@code H} at the iterate
 * @param preconditioner {@code M}; also the norm {@code ||.||_M} of a trust region
 * @param rule the CG stopping rule of this iterate
 * @param cg CG with this iterate's iteration cap (which depends on where the products run)
 * @param eigenvalues the sketched eigenvalues when the preconditioner was built at this iterate,
 *     else empty
 * @param note for the iteration's detail ("; Nystrom sketch rank 50 built"), possibly empty
 * @param maxDecrease {@code f - lowerBound(f)} at the iterate, the most {@code f} can decrease
 *     (CG stops when its model promises that much), or {@code +infinity}
 */
record NewtonSystem(
    CurvatureOperator curvature, CgPreconditioner preconditioner, CgStoppingRule rule,
    ConjugateGradient cg, double[] eigenvalues, String note, double maxDecrease) {

  /** Where an outer loop gets its systems; one instance per run, called in iteration order. */
  interface Source {
    /** What the evaluation of iterate {@code iteration} fuses into its gradient pass. */
    EvaluationRequest request(int iteration);

    /** The system at iterate {@code iteration}, from its evaluation (made with {@link #request}). */
    NewtonSystem at(Evaluation at, int iteration);

    /** Reports the CG iterations of the step taken at {@code iteration}. */
    void solved(int iteration, int cgIterations);

    /**
     * Reports how the globalization took the step of the last system: {@code capped}, CG stopped
     * at its iteration cap; {@code whole}, the step was taken as CG gave it (line search: unit
     * step; trust region: accepted with {@code rho >= eta2}). Called once per accepted step.
     */
    void taken(boolean capped, boolean whole);

    /** Writes what this source keeps between iterations (as {@link DirectionRule#saveTo}). */
    void saveTo(SnapshotFields.Builder out);

    /** Puts back what {@link #saveTo} wrote (as {@link DirectionRule#restoreFrom}). */
    void restoreFrom(SnapshotFields in);
  }
}
