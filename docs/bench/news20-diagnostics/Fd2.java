import dev.sparknewton.data.*;
import dev.sparknewton.linalg.*;
import dev.sparknewton.models.*;
import dev.sparknewton.objective.*;
import dev.sparknewton.solvers.*;
import java.util.*;

public class Fd2 {
  public static void main(String[] a) throws Exception {
    double lambda = Double.parseDouble(a[0]);
    int k = Integer.parseInt(a[1]);
    double eta = Double.parseDouble(a[2]);
    List<RowBlock> blocks = Diag.load("/tmp/n20/news20.libsvm", 1000);
    SecondOrderObjective f = Diag.objective(blocks, lambda);
    NewtonCgConfig c = NewtonCgConfig.defaults().withMaxIter(k).withTol(0);
    double[] w = new double[f.dimension()];
    SolverRun run = new NewtonCg(c).iterations(f, w);
    SolverState s = null;
    while (run.hasNext()) { s = run.next(); System.out.printf("%3d f=%.10e step=%.3g cg=%d%n", s.iteration(), s.value(), s.stepSize(), s.innerIterations()); }
    w = s.point();
    Evaluation at = f.evaluate(w, EvaluationRequest.valueAndGradient().withDiagonal());
    CurvatureOperator h = at.curvature(RowSample.all());
    double[] g = at.gradient();
    String[] pcs = {"diag", "none"};
    for (String pc : pcs) {
      CgPreconditioner m = pc.equals("diag") ? DiagonalPreconditioner.fromHessianDiagonal(at.hessianDiagonal().get()) : DiagonalPreconditioner.identity(g.length);
      CgResult r = new ConjugateGradient(250).solve(h, g, m, new CgStoppingRule.ResidualForcing(eta));
      double[] p = r.step();
      report(pc, f, at, h, g, p, blocks, r);
    }
  }
  static void report(String pc, SecondOrderObjective f, Evaluation at, CurvatureOperator h, double[] g, double[] p, List<RowBlock> blocks, CgResult r) {
    int D = Diag.D, K = Diag.K;
    double[] hp = h.hessianVectorProduct(p);
    double gp = Vectors.dot(g, p), pHp = Vectors.dot(p, hp);
    double coef = 0, icpt = 0, mean = 0;
    for (int kk = 0; kk < K; kk++) { for (int j = 0; j < D; j++) coef += p[kk*(D+1)+j]*p[kk*(D+1)+j]; double b = p[kk*(D+1)+D]; icpt += b*b; mean += b / K; }
    // max output change over rows
    LinearModel lm = new LinearModel(D, true, new SoftmaxCrossEntropy(K));
    double maxdz = 0; double sumsq = 0; long n = 0;
    for (RowBlock b : blocks) { double[] z = new double[b.numRows() * K]; lm.outputs(b, p, z);
      for (double v : z) { maxdz = Math.max(maxdz, Math.abs(v)); sumsq += v*v; } n += b.numRows(); }
    System.out.printf("[%s] CG %d its %s modeldec %.4e |p_coef|=%.4e |p_icpt|=%.4e icpt mean %.4e  g.p=%.4e pHp=%.4e max|dz|=%.3e rms dz=%.3e%n", pc, r.iterations(), r.exit(), r.modelDecrease(), Math.sqrt(coef), Math.sqrt(icpt), mean, gp, pHp, maxdz, Math.sqrt(sumsq / (n*K)));
    double e = 1e-5 / Vectors.norm(p);
    double[] gp1 = f.evaluate(Vectors.plus(w(at), e, p), EvaluationRequest.valueAndGradient()).gradient();
    double[] gm1 = f.evaluate(Vectors.plus(w(at), -e, p), EvaluationRequest.valueAndGradient()).gradient();
    double[] fd = new double[g.length];
    for (int i = 0; i < g.length; i++) fd[i] = (gp1[i] - gm1[i]) / (2 * e);
    System.out.printf("FD rel error of Hp: %.3e%n", Vectors.norm(Vectors.plus(fd, -1.0, hp)) / Vectors.norm(hp));
    double[] ts = {1, 0.5, 0.25, 0.125, 1.0/16, 1.0/64, 1.0/256, 1.0/1024};
    double[] vals = at.valuesAlong(p, ts);
    for (int i = 0; i < ts.length; i++) {
      double q = ts[i] * gp + 0.5 * ts[i] * ts[i] * pHp;
      System.out.printf("  t=%.5f actual df=%.4e model dq=%.4e ratio=%.3f%n", ts[i], vals[i] - at.value(), q, (vals[i] - at.value()) / q);
    }
  }
  static double[] w(Evaluation at) { return at.point(); }
}
