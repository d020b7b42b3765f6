package dev.sparknewton.randomized;

import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.linalg.MatrixProducts;
import dev.sparknewton.linalg.QrDecomposition;
import dev.sparknewton.linalg.SymmetricEigen;
import dev.sparknewton.linalg.Vectors;
import dev.sparknewton.objective.CurvatureOperator;
import dev.sparknewton.randomized.RandomizedEigenConfig.Method;
import java.util.Arrays;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Rank-{@code k} eigendecomposition {@code H ~ U diag(lambda) U^T} of a symmetric {@code n x n}
 * operator seen only through {@link CurvatureOperator#hessianBlockProduct} (one pass over the data
 * per call, whatever the block width); no {@code n x n} matrix is ever formed.
 *
 * <p><b>Fixed rank</b> ({@code l = min(k + p, n)}, {@code r} error probes). The test matrix is
 * {@code [Omega | W]}: {@code Omega} an orthonormalized Gaussian {@code n x l} matrix (uniform on
 * the Stiefel manifold; the same range as the Gaussian one) and {@code W} {@code r} raw Gaussian
 * probes. The first pass computes {@code H [Omega | W]}; the probes ride along in it.
 * <ul>
 *   <li>{@link Method#RAYLEIGH_RITZ} (Halko, Martinsson, Tropp 2011, Alg. 4.1/4.4 then 5.3):
 *       {@code Q = orth(H Omega)}, {@code q} times {@code Q = orth(H Q)}, then
 *       {@code B = Q^T (H Q)} (one more pass), {@code B = V L V^T}, {@code U = Q V}, keep the
 *       {@code k} largest {@code |lambda|} (large negative eigenvalues are kept).
 *       Passes: {@code 1 + q + 1}.
 *   <li>{@link Method#NYSTROM} (positive semidefinite {@code H}; Halko et al. Alg. 5.5 in the
 *       stable form of Frangella, Tropp, Udell 2021, Alg. 3, see {@link ShiftedNystrom}):
 *       {@code q} times {@code Omega = orth(H Omega)} (one pass each), then the Nystrom
 *       approximation from {@code Omega} and {@code Y = H Omega}; keep the {@code k} largest.
 *       Passes: {@code 1 + q}.
 * </ul>
 * {@code estimatedError = 10 sqrt(2/pi) max_i ||H w_i - U diag(lambda) U^T w_i||} over the
 * {@code r} probes of the first pass, which are independent of {@code U}: an upper bound of
 * {@code ||H - U diag(lambda) U^T||} with probability {@code >= 1 - 10^-r} (Halko et al.
 * Lemma 4.1, eq. (4.3)).
 *
 * <p><b>Adaptive rank</b> (blocked Halko et al. Alg. 4.2, block size {@code b}, cap {@code K}).
 * Each pass applies {@code H} to a fresh Gaussian block {@code G_j} ({@code n x b}). Before the
 * block joins the basis its columns serve as probes of the current approximation, so no pass is
 * spent on estimation alone:
 * <ul>
 *   <li>Rayleigh-Ritz: {@code e_j = 10 sqrt(2/pi) max_i ||(I - Q Q^T) H g_i||} estimates
 *       {@code ||(I - Q Q^T) H||}; since {@code ||H - Q Q^T H Q Q^T|| <= 2 ||(I - Q Q^T) H||} the
 *       rule stops when {@code 2 e_j <= tol * ||H||_est}. The block is then orthonormalized against
 *       {@code Q} (projected twice) and appended. After stopping, one pass computes
 *       {@code H [Q | W]} with {@code r} fresh probes {@code W}: Rayleigh-Ritz with all columns,
 *       and {@code estimatedError} from {@code W} as in fixed mode.
 *       Passes: {@code (blocks) + 1}.
 *   <li>Nystrom: {@code e_j = 10 sqrt(2/pi) max_i ||H g_i - U diag(lambda) U^T g_i||} for the
 *       approximation from the blocks so far; stops when {@code e_j <= tol * ||H||_est}. The
 *       block joins the sketch ({@code Omega = [G_1 ... G_j]}, not orthonormalized: the Nystrom
 *       approximation depends only on its range). {@code estimatedError = e_j} of the last block:
 *       the Nystrom error only decreases as the range grows, so it still bounds the final
 *       approximation. Passes: {@code (blocks)}.
 * </ul>
 * {@code ||H||_est = max ||H g|| / ||g||} over all blocks, a lower bound of {@code ||H||}, so the
 * stopping rule is conservative. The basis stops growing at {@code min(K, n)} columns; the last
 * block still has {@code b} probes even when only part of it is appended.
 *
 * <p>Fused first pass: {@link #testMatrix(int)} gives the first block to multiply, and {@link
 * #decompose(CurvatureOperator, ColumnMatrix, ColumnMatrix)} continues from {@code H} times it
 * (for instance computed in the gradient pass); the result is the same as {@link
 * #decompose(CurvatureOperator)}. Numerical failures (a non-finite product, a small eigenproblem
 * that does not converge) give an empty result, never an exception.
 *
 * <p>References: Halko, Martinsson, Tropp. Finding structure with randomness. SIAM Review 53(2),
 * 2011. Frangella, Tropp, Udell. Randomized Nystrom preconditioning. arXiv:2110.02820, 2021.
 */
public final class RandomizedEigensolver {
  private final RandomizedEigenConfig config;

  public RandomizedEigensolver(RandomizedEigenConfig config) {
    this.config = config;
  }

  public RandomizedEigenConfig config() {
    return config;
  }

  /**
   * Returns the new first test matrix for an operator of dimension {@code n}, drawn from
   * {@code config.seed()}: fixed rank {@code [Omega | W]}, {@code n x (l + r)}; adaptive
   * {@code G_1}, {@code n x b}.
   */
  public ColumnMatrix testMatrix(int n) {
    checkDimension(n);
    ColumnMatrix g = RangeFinder.gaussian(n, firstBlockColumns(n), streams().split());
    if (config.adaptive()) {
      return g;
    }
    int l = sketchColumns(n);
    ColumnMatrix omega = QrDecomposition.orthonormalBasis(columns(g, 0, l));
    System.arraycopy(omega.data(), 0, g.data(), 0, omega.data().length);
    return g;
  }

  /** Decomposes {@code h} from scratch; see the class comment for the passes. */
  public Optional<LowRankEigen> decompose(CurvatureOperator h) {
    ColumnMatrix test = testMatrix(h.dimension());
    return decompose(h, test, h.hessianBlockProduct(test));
  }

  /**
   * Decomposes {@code h} from an already computed first product; the supplied product counts as
   * one of the result's passes.
   *
   * @param testMatrix {@link #testMatrix(int)} for {@code n = h.dimension()}. Not modified.
   * @param product {@code H * testMatrix}. Not modified.
   */
  public Optional<LowRankEigen> decompose(
      CurvatureOperator h, ColumnMatrix testMatrix, ColumnMatrix product) {
    int n = h.dimension();
    checkDimension(n);
    int cols = firstBlockColumns(n);
    if (testMatrix.rows() != n || testMatrix.cols() != cols || product.rows() != n
        || product.cols() != cols) {
      throw new IllegalArgumentException("expected an " + n + " x " + cols
          + " test matrix and product, got " + testMatrix + " and " + product);
    }
    if (!Vectors.allFinite(product.data())) {
      return Optional.empty();
    }
    return config.adaptive()
        ? adaptive(h, testMatrix, product)
        : fixedRank(h, testMatrix, product);
  }

  private Optional<LowRankEigen> fixedRank(
      CurvatureOperator h, ColumnMatrix test, ColumnMatrix y0) {
    int n = h.dimension();
    int l = sketchColumns(n);
    int q = config.powerIterations();
    ColumnMatrix probes = columns(test, l, test.cols());
    ColumnMatrix probeImages = columns(y0, l, y0.cols());
    ColumnMatrix omega = columns(test, 0, l);
    ColumnMatrix y = columns(y0, 0, l);
    Optional<EigenPairs> pairs;
    int passes = 1 + q;
    if (config.method() == Method.RAYLEIGH_RITZ) {
      Optional<ColumnMatrix> basis = RangeFinder.orthonormalBasis(h, y, q);
      if (basis.isEmpty()) {
        return Optional.empty();
      }
      pairs = rayleighRitz(basis.get(), h.hessianBlockProduct(basis.get()));
      passes++;
    } else {
      for (int i = 0; i < q; i++) {
        omega = QrDecomposition.orthonormalBasis(y);
        y = h.hessianBlockProduct(omega);
        if (!Vectors.allFinite(y.data())) {
          return Optional.empty();
        }
      }
      pairs = ShiftedNystrom.decompose(omega, y);
    }
    int finalPasses = passes;
    return pairs.map(p -> p.leading(config.rank()))
        .map(p -> p.toResult(p.errorBound(probes, probeImages), finalPasses));
  }

  private Optional<LowRankEigen> adaptive(CurvatureOperator h, ColumnMatrix g, ColumnMatrix y) {
    int n = h.dimension();
    int cap = Math.min(config.rank(), n);
    boolean rayleighRitz = config.method() == Method.RAYLEIGH_RITZ;
    double stopFactor = rayleighRitz ? 2.0 : 1.0;
    SplittableRandom streams = streams();
    streams.split();
    // Rayleigh-Ritz grows the orthonormal basis; Nystrom grows the sketch and its image.
    ColumnMatrix basis = ColumnMatrix.zeros(n, 0);
    ColumnMatrix sketch = ColumnMatrix.zeros(n, 0);
    ColumnMatrix sketchImage = ColumnMatrix.zeros(n, 0);
    EigenPairs pairs = new EigenPairs(ColumnMatrix.zeros(n, 0), new double[0]);
    // Stays 0 only when the first block spans R^n: the approximation is then exact up to rounding.
    double lastEstimate = 0.0;
    double normEstimate = 0.0;
    int passes = 1;
    while (true) {
      normEstimate = Math.max(normEstimate, largestColumnRatio(y, g));
      int m = rayleighRitz ? basis.cols() : sketch.cols();
      boolean converged = false;
      if (m > 0) {
        lastEstimate = rayleighRitz
            ? EigenPairs.ERROR_ESTIMATE_FACTOR * largestColumnNorm(projectOut(basis, y))
            : pairs.errorBound(g, y);
        converged = stopFactor * lastEstimate <= config.tolerance() * normEstimate;
      }
      int append = Math.min(g.cols(), cap - m);
      if (rayleighRitz) {
        basis = concat(basis, orthonormalComplement(basis, columns(y, 0, append)));
      } else {
        sketch = concat(sketch, columns(g, 0, append));
        sketchImage = concat(sketchImage, columns(y, 0, append));
        Optional<EigenPairs> next = ShiftedNystrom.decompose(sketch, sketchImage);
        if (next.isEmpty()) {
          return Optional.empty();
        }
        pairs = next.get();
      }
      if (converged || m + append == cap) {
        break;
      }
      g = RangeFinder.gaussian(n, config.blockSize(), streams.split());
      y = h.hessianBlockProduct(g);
      passes++;
      if (!Vectors.allFinite(y.data())) {
        return Optional.empty();
      }
    }
    if (!rayleighRitz) {
      return Optional.of(pairs.toResult(lastEstimate, passes));
    }
    ColumnMatrix probes = RangeFinder.gaussian(n, config.errorProbes(), streams.split());
    ColumnMatrix images = h.hessianBlockProduct(concat(basis, probes));
    passes++;
    if (!Vectors.allFinite(images.data())) {
      return Optional.empty();
    }
    int m = basis.cols();
    ColumnMatrix probeImages = columns(images, m, images.cols());
    int finalPasses = passes;
    return rayleighRitz(basis, columns(images, 0, m))
        .map(p -> p.toResult(p.errorBound(probes, probeImages), finalPasses));
  }

  /** Eigenpairs of {@code B = Q^T (H Q)} mapped back as {@code U = Q V}, by decreasing |lambda|. */
  private static Optional<EigenPairs> rayleighRitz(ColumnMatrix q, ColumnMatrix hq) {
    if (!Vectors.allFinite(hq.data())) {
      return Optional.empty();
    }
    ColumnMatrix b = MatrixProducts.symmetricPart(MatrixProducts.transposeTimes(q, hq));
    return SymmetricEigen.of(b, SymmetricEigen.Order.DESCENDING_MAGNITUDE)
        .map(e -> new EigenPairs(MatrixProducts.times(q, e.vectors()), e.values()));
  }

  /** {@code l = min(k + p, n)}, the sketch width of fixed-rank mode. */
  private int sketchColumns(int n) {
    return Math.min(config.rank() + config.oversampling(), n);
  }

  private int firstBlockColumns(int n) {
    return config.adaptive() ? config.blockSize() : sketchColumns(n) + config.errorProbes();
  }

  private void checkDimension(int n) {
    if (!config.adaptive() && config.rank() > n) {
      throw new IllegalArgumentException(
          "rank " + config.rank() + " exceeds the operator's dimension " + n);
    }
    if (n < 1) {
      throw new IllegalArgumentException("the operator's dimension must be >= 1, got " + n);
    }
  }

  /**
   * The seeded generators: the {@code j}-th {@code split()} draws block {@code j} (block 0 is the
   * test matrix), so a fused first product and a from-scratch call see the same matrices.
   */
  private SplittableRandom streams() {
    return new SplittableRandom(config.seed());
  }

  /** Returns a new {@code (I - Q Q^T) Y}. Not modified. */
  private static ColumnMatrix projectOut(ColumnMatrix q, ColumnMatrix y) {
    ColumnMatrix out = y.copy();
    if (q.cols() > 0) {
      ColumnMatrix qqy = MatrixProducts.times(q, MatrixProducts.transposeTimes(q, y));
      Vectors.axpy(-1.0, qqy.data(), out.data());
    }
    return out;
  }

  /**
   * Orthonormal columns spanning {@code (I - Q Q^T) Y}, orthogonal to {@code Q}: projected twice
   * ("twice is enough", Giraud et al. 2005), orthonormalized, and projected and orthonormalized
   * once more so that the arbitrary columns Householder QR adds for a rank-deficient block are
   * orthogonal to {@code Q} too.
   */
  private static ColumnMatrix orthonormalComplement(ColumnMatrix q, ColumnMatrix y) {
    ColumnMatrix z = QrDecomposition.orthonormalBasis(projectOut(q, projectOut(q, y)));
    return QrDecomposition.orthonormalBasis(projectOut(q, z));
  }

  private static double largestColumnNorm(ColumnMatrix a) {
    double worst = 0.0;
    for (int j = 0; j < a.cols(); j++) {
      worst = Math.max(worst, Vectors.norm(a.column(j)));
    }
    return worst;
  }

  /** {@code max_j ||Y_j|| / ||G_j||}: a lower bound of {@code ||H||} when {@code Y = H G}. */
  private static double largestColumnRatio(ColumnMatrix y, ColumnMatrix g) {
    double best = 0.0;
    for (int j = 0; j < g.cols(); j++) {
      double gn = Vectors.norm(g.column(j));
      if (gn > 0.0) {
        best = Math.max(best, Vectors.norm(y.column(j)) / gn);
      }
    }
    return best;
  }

  /** Returns a new matrix of columns {@code [from, to)} of {@code a}. Not modified. */
  static ColumnMatrix columns(ColumnMatrix a, int from, int to) {
    int n = a.rows();
    return new ColumnMatrix(n, to - from, Arrays.copyOfRange(a.data(), from * n, to * n));
  }

  /** Returns a new {@code [A | B]}. Not modified. */
  static ColumnMatrix concat(ColumnMatrix a, ColumnMatrix b) {
    double[] data = Arrays.copyOf(a.data(), a.data().length + b.data().length);
    System.arraycopy(b.data(), 0, data, a.data().length, b.data().length);
    return new ColumnMatrix(a.rows(), a.cols() + b.cols(), data);
  }
}
