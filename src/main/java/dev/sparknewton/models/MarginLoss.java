package dev.sparknewton.models;

import java.io.Serializable;

/**
 * The loss of one row as a function of its margin {@code m = z . w}: the whole model-specific math
 * of a generalized linear model (LIBLINEAR reduces its loss families the same way).
 *
 * <p>With {@code l(m)} the loss, the gradient of a row is {@code l'(m) z} and its Hessian is
 * {@code l''(m) z z^T}, so every aggregator is written once against this interface.
 */
public interface MarginLoss extends Serializable {
  /** {@code l(m; y)}. */
  double loss(double margin, double label);

  /** {@code dl/dm}. */
  double derivative(double margin, double label);

  /** {@code d^2 l / dm^2}; {@code >= 0} for a convex loss. */
  double curvature(double margin, double label);
}
