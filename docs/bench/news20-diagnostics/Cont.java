import dev.sparknewton.data.*;
import dev.sparknewton.linalg.*;
import dev.sparknewton.objective.*;
import dev.sparknewton.solvers.*;
import java.util.*;

public class Cont {
  public static void main(String[] a) throws Exception {
    double lambda = Double.parseDouble(a[0]);
    double factor = Double.parseDouble(a[1]);
    double start = Double.parseDouble(a[2]);
    double stageTol = Double.parseDouble(a[3]);
    int finalIters = Integer.parseInt(a[4]);
    String mode = a.length > 5 ? a[5] : "";
    List<RowBlock> blocks = Diag.load("/tmp/n20/news20.libsvm", 1000);
    double[] w = new double[Diag.K * (Diag.D + 1)];
    long t0 = System.nanoTime();
    int total = 0, totalCg = 0;
    for (double l = start; ; l = Math.max(lambda, l / factor)) {
      boolean last = l <= lambda * (1 + 1e-12);
      SecondOrderObjective f = Diag.objective(blocks, l);
      NewtonCgConfig c = NewtonCgConfig.defaults().withMaxIter(last ? finalIters : 50).withTol(last ? 0 : stageTol);
      if (mode.contains("qm")) c = c.withForcing(NewtonCgConfig.Forcing.QUADRATIC_MODEL);
      SolverRun run = new NewtonCg(c).iterations(f, w);
      SolverState s = null;
      while (run.hasNext()) {
        s = run.next();
        if (s.iteration() > 0) { total++; totalCg += s.innerIterations(); }
        System.out.printf("lambda %.2e %3d f=%.12e |g|=%.3e step=%.3g cg=%d total=%d cgtot=%d t=%.1f %s%n", l, s.iteration(), s.value(),
            s.gradientNorm(), s.stepSize(), s.innerIterations(), total, totalCg, (System.nanoTime() - t0) / 1e9, s.detail());
      }
      w = s.point();
      if (last) break;
    }
  }
}
