import dev.sparknewton.data.*;
import dev.sparknewton.linalg.*;
import dev.sparknewton.objective.*;
import dev.sparknewton.solvers.*;
import java.util.*;

/** Plain L-BFGS (m=10, Armijo backtracking) to get near the optimum, then Newton-CG to polish; prints f and |g|. */
public class Lbfgs {
  public static void main(String[] a) throws Exception {
    double lambda = Double.parseDouble(a[0]);
    int iters = Integer.parseInt(a[1]);
    int newtonIters = Integer.parseInt(a[2]);
    List<RowBlock> blocks = Diag.load(System.getProperty("n20", "/tmp/n20/news20.libsvm"), 1000);
    SecondOrderObjective f = Diag.objective(blocks, lambda);
    int n = f.dimension();
    double[] w = new double[n];
    Evaluation e = f.evaluate(w, EvaluationRequest.valueAndGradient());
    int m = 10;
    ArrayDeque<double[]> S = new ArrayDeque<>(), Y = new ArrayDeque<>();
    long t0 = System.nanoTime();
    for (int it = 1; it <= iters; it++) {
      double[] g = e.gradient();
      double[] q = g.clone();
      List<double[]> sl = new ArrayList<>(S), yl = new ArrayList<>(Y);
      int k = sl.size(); double[] al = new double[k];
      for (int i = k - 1; i >= 0; i--) { double rho = 1 / Vectors.dot(yl.get(i), sl.get(i)); al[i] = rho * Vectors.dot(sl.get(i), q); Vectors.axpy(-al[i], yl.get(i), q); }
      double gamma = k > 0 ? Vectors.dot(sl.get(k-1), yl.get(k-1)) / Vectors.dot(yl.get(k-1), yl.get(k-1)) : 1.0 / Vectors.norm(g);
      Vectors.scale(gamma, q);
      for (int i = 0; i < k; i++) { double rho = 1 / Vectors.dot(yl.get(i), sl.get(i)); double b = rho * Vectors.dot(yl.get(i), q); Vectors.axpy(al[i] - b, sl.get(i), q); }
      double[] p = Vectors.times(-1.0, q);
      double slope = Vectors.dot(g, p);
      if (slope >= 0) { p = Vectors.times(-1.0 / Vectors.norm(g), g); slope = Vectors.dot(g, p); S.clear(); Y.clear(); }
      double t = 1; Evaluation ne = null;
      for (int ls = 0; ls < 40; ls++) { ne = f.evaluate(Vectors.plus(w, t, p), EvaluationRequest.valueAndGradient()); if (ne.value() <= e.value() + 1e-4 * t * slope) break; t *= 0.5; }
      double[] s = Vectors.plus(ne.point(), -1.0, w); double[] y = Vectors.plus(ne.gradient(), -1.0, g);
      if (Vectors.dot(s, y) > 1e-12 * Vectors.norm(s) * Vectors.norm(y)) { S.addLast(s); Y.addLast(y); if (S.size() > m) { S.removeFirst(); Y.removeFirst(); } }
      w = ne.point(); e = ne;
      if (it % 50 == 0 || it == iters) System.out.printf("lbfgs %d f=%.13e |g|=%.3e t=%.1f%n", it, e.value(), Vectors.norm(e.gradient()), (System.nanoTime() - t0) / 1e9);
    }
    NewtonCgConfig c = NewtonCgConfig.defaults().withMaxIter(newtonIters).withTol(0);
    SolverRun run = new NewtonCg(c).iterations(f, w);
    while (run.hasNext()) { SolverState st = run.next();
      System.out.printf("newton %d f=%.13e |g|=%.3e step=%.3g cg=%d t=%.1f %s%n", st.iteration(), st.value(), st.gradientNorm(), st.stepSize(), st.innerIterations(), (System.nanoTime() - t0) / 1e9, st.detail()); }
  }
}
