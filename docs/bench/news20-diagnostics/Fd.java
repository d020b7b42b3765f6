import dev.sparknewton.data.*;
import dev.sparknewton.linalg.*;
import dev.sparknewton.objective.*;
import dev.sparknewton.solvers.*;
import java.util.*;

/** Runs k Newton-CG iterations (cgcap), then at w_k checks Hv by finite differences along the CG step and the model along the step. */
public class Fd {
  public static void main(String[] a) throws Exception {
    double lambda = Double.parseDouble(a[0]);
    int k = Integer.parseInt(a[1]);
    int cgcap = Integer.parseInt(a[2]);
    List<RowBlock> blocks = Diag.load("/tmp/n20/news20.libsvm", 1000);
    SecondOrderObjective f = Diag.objective(blocks, lambda);
    NewtonCgConfig c = NewtonCgConfig.defaults().withMaxIter(k).withTol(0).withMaxCgIterations(cgcap);
    double[] w = new double[f.dimension()];
    SolverRun run = new NewtonCg(c).iterations(f, w);
    SolverState s = null;
    while (run.hasNext()) { s = run.next();
      System.out.printf("%3d f=%.10e |g|=%.3e step=%.3g cg=%d %s%n", s.iteration(), s.value(), s.gradientNorm(), s.stepSize(), s.innerIterations(), s.detail()); }
    w = s.point();
    Evaluation at = f.evaluate(w, EvaluationRequest.valueAndGradient().withDiagonal());
    CurvatureOperator h = at.curvature(RowSample.all());
    double[] g = at.gradient();
    CgPreconditioner m = DiagonalPreconditioner.fromHessianDiagonal(at.hessianDiagonal().get());
    ConjugateGradient cg = new ConjugateGradient(Integer.parseInt(a[3]));
    CgResult r = cg.solve(h, g, m, new CgStoppingRule.ResidualForcing(1e-12));
    double[] p = r.step();
    double[] hp = h.hessianVectorProduct(p);
    double gp = Vectors.dot(g, p), pHp = Vectors.dot(p, hp);
    System.out.printf("CG %d its exit %s model decrease %.4e |p|=%.4e g.p=%.4e pHp=%.4e%n", r.iterations(), r.exit(), r.modelDecrease(), Vectors.norm(p), gp, pHp);
    // intercept null direction component of p
    int D = Diag.D, K = Diag.K;
    double sumB = 0; for (int kk = 0; kk < K; kk++) sumB += p[kk * (D + 1) + D];
    System.out.printf("intercept mean of p %.4e, intercepts of p: ", sumB / K);
    for (int kk = 0; kk < K; kk++) System.out.printf("%.3g ", p[kk * (D + 1) + D]); System.out.println();
    for (double eps : new double[] {1e-3, 1e-5, 1e-7}) {
      double e = eps / Vectors.norm(p);
      double[] gp1 = f.evaluate(Vectors.plus(w, e, p), EvaluationRequest.valueAndGradient()).gradient();
      double[] gm1 = f.evaluate(Vectors.plus(w, -e, p), EvaluationRequest.valueAndGradient()).gradient();
      double[] fd = new double[g.length];
      for (int i = 0; i < g.length; i++) fd[i] = (gp1[i] - gm1[i]) / (2 * e);
      double err = Vectors.norm(Vectors.plus(fd, -1.0, hp)) / Vectors.norm(hp);
      System.out.printf("FD eps(rel)=%.0e rel error of Hp: %.3e%n", eps, err);
    }
    double[] ts = {1, 0.5, 0.25, 0.125, 1.0/16, 1.0/32, 1.0/64, 1.0/128, 1.0/256, 1.0/512, 1.0/1024};
    double[] vals = at.valuesAlong(p, ts);
    for (int i = 0; i < ts.length; i++) {
      double q = ts[i] * gp + 0.5 * ts[i] * ts[i] * pHp;
      System.out.printf("t=%.5f actual df=%.4e model dq=%.4e ratio=%.3f%n", ts[i], vals[i] - at.value(), q, (vals[i] - at.value()) / q);
    }
  }
}
