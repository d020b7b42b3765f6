package dev.sparknewton.models;

import dev.sparknewton.linalg.RowKernels;

/**
 * Whether {@link LogisticLoss} runs its per-row work over a whole block in
 * {@link LogisticKernelsVector the vector form} or in {@link OutputLoss}'s row-by-row loops:
 * {@link LogisticLoss#evaluateBlock} (the gradient pass: loss, weighted derivative and curvature
 * state of every row, one {@code exp} and one {@code log1p} a row) and
 * {@link LogisticLoss#addLineLosses} (the line search's values at every step, an {@code exp} and a
 * {@code log1p} per row and step). With 10 steps a row these functions, not the data, set a
 * line-values pass's time (in the JMH kernel benchmark about 12 of its 22 ms over 64,000 CSR rows,
 * where a plain read of the rows takes 3.4 ms); the vector form computes them 4 or 8 rows at a
 * time from additions, multiplications and divisions.
 *
 * <p>The vector form needs the incubator module {@code jdk.incubator.vector} resolved
 * ({@code --add-modules=jdk.incubator.vector}, as {@code jobs/} and the tests run) and an x86-64
 * processor with 256-bit vectors or wider; elsewhere (the module absent; ARM, where JDK 17's
 * vectors are 128-bit NEON at best) the scalar loops run. The property
 * {@code -Dsparknewton.scalarKernels=true} forces them. The two forms agree to rounding (the
 * vector {@code exp} and {@code log1p} are within 2 ulp of {@link StrictMath}'s, and the vector
 * form adds a sum's terms in interleaved partial sums instead of in row order); each gives the
 * same bits run after run.
 */
final class LogisticKernels {
  /** Whether the vector forms run on this JVM: where the dense row kernels' do. */
  static final boolean VECTOR = RowKernels.VECTOR;

  private LogisticKernels() {}
}
