import dev.sparknewton.data.*;
import dev.sparknewton.linalg.*;
import dev.sparknewton.objective.*;
import dev.sparknewton.solvers.*;
import java.util.*;

public class Run {
  public static void main(String[] a) throws Exception {
    double lambda = Double.parseDouble(a[0]);
    int iters = Integer.parseInt(a[1]);
    String mode = a[2];
    List<RowBlock> blocks = Diag.load(System.getProperty("n20", "/tmp/n20/news20.libsvm"), 1000);
    SecondOrderObjective f = Diag.objective(blocks, lambda);
    NewtonCgConfig c = NewtonCgConfig.defaults().withMaxIter(iters).withTol(0);
    if (mode.contains("tr")) c = c.withGlobalization(NewtonCgConfig.Globalization.TRUST_REGION);
    if (mode.contains("none")) c = c.withPreconditioner(NewtonCgConfig.Preconditioner.NONE);
    if (mode.contains("init")) c = c.withPreconditioner(NewtonCgConfig.Preconditioner.INITIAL_DIAGONAL);
    if (mode.contains("qm")) c = c.withForcing(NewtonCgConfig.Forcing.QUADRATIC_MODEL);
    double[] w = new double[f.dimension()];
    long t0 = System.nanoTime();
    SolverRun run = new NewtonCg(c).iterations(f, w);
    SolverState last = null;
    while (run.hasNext()) {
      SolverState s = run.next();
      last = s;
      System.out.printf("%3d f=%.10e |g|=%.3e step=%.3g cg=%d t=%.1f %s%n", s.iteration(), s.value(),
          s.gradientNorm(), s.stepSize(), s.innerIterations(), (System.nanoTime() - t0) / 1e9, s.detail());
    }
    if (a.length > 3) {
      java.nio.file.Files.write(java.nio.file.Paths.get(a[3]), toBytes(last.point()));
    }
  }
  static byte[] toBytes(double[] x) {
    java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * x.length);
    for (double v : x) b.putDouble(v);
    return b.array();
  }
}
