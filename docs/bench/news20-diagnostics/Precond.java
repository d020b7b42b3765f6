import dev.sparknewton.data.*;
import dev.sparknewton.linalg.*;
import dev.sparknewton.objective.*;
import dev.sparknewton.solvers.*;
import java.util.*;

/** From the L-BFGS point after a[1] iterations: a[2] Newton-CG iterations with the diagonal (mode 0) or the class-sum-corrected diagonal (mode 1) preconditioner. */
public class Precond {
  static final int D = 62061, K = 20, M = D + 1;
  static final class ClassSum implements CgPreconditioner {
    final double[] h; final double lambda;
    ClassSum(double[] h, double lambda) { this.h = h; this.lambda = lambda; }
    public int dimension() { return h.length; }
    public void solve(double[] r, double[] z) {
      for (int j = 0; j < M; j++) {
        if (j == D) { for (int k = 0; k < K; k++) { int at = k * M + j; z[at] = r[at] / Math.max(h[at], 1e-12); } continue; }
        double num = 0, den = 0;
        for (int k = 0; k < K; k++) { int at = k * M + j; double dk = h[at] - lambda; double dinv = 1.0 / h[at]; num += dk * dinv * r[at]; den += dk * lambda * dinv; }
        double c = den > 0 ? num / den : 0;
        for (int k = 0; k < K; k++) { int at = k * M + j; double dk = h[at] - lambda; z[at] = (r[at] + dk * c) / h[at]; }
      }
    }
  }
  public static void main(String[] a) throws Exception {
    double lambda = Double.parseDouble(a[0]);
    List<RowBlock> blocks = Diag.load("/tmp/n20/news20.libsvm", 4000);
    SecondOrderObjective f = Diag.objective(blocks, lambda);
    int n = f.dimension();
    SolverState s = new Lbfgs(LbfgsConfig.defaults().withMaxIter(Integer.parseInt(a[1])).withTol(0)).minimize(f, new double[n]);
    double[] w0 = s.point();
    System.out.printf("lbfgs %d f=%.12e%n", s.iteration(), s.value());
    for (int mode = 0; mode < 2; mode++) {
      double[] w = w0.clone();
      long t0 = System.nanoTime();
      LineSearch ls = new LineSearch(LineSearchConfig.defaults());
      Evaluation e = f.evaluate(w, EvaluationRequest.valueAndGradient().withDiagonal());
      for (int it = 1; it <= Integer.parseInt(a[2]); it++) {
        double[] diag = e.hessianDiagonal().get();
        CgPreconditioner p = mode == 0 ? DiagonalPreconditioner.fromHessianDiagonal(diag) : new ClassSum(diag, lambda);
        CgResult r = new ConjugateGradient(500).solveWithin(e.curvature(RowSample.all()), e.gradient(), p,
            new CgStoppingRule.QuadraticModel(CgStoppingRule.QuadraticModel.LIBLINEAR_EPS_CG), Double.POSITIVE_INFINITY, Double.POSITIVE_INFINITY);
        LineSearchResult res = ls.search(f, e, r.step(), EvaluationRequest.valueAndGradient().withDiagonal());
        LineSearchResult.Accepted acc = (LineSearchResult.Accepted) res;
        e = acc.next();
        System.out.printf("mode %d it %d f=%.12e |g|=%.3e cg=%d step=%.3g t=%.1f%n", mode, it, e.value(), Vectors.norm(e.gradient()), r.iterations(), acc.stepSize(), (System.nanoTime() - t0) / 1e9);
      }
    }
  }
}
