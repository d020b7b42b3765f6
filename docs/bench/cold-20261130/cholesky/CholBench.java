import dev.sparknewton.linalg.*;
import java.util.Random;
import org.netlib.util.intW;
public class CholBench {
  public static void main(String[] a) {
    Random r = new Random(1);
    for (int n : new int[] {124, 512, 1024, 2048}) {
      ColumnMatrix m = ColumnMatrix.zeros(n, n);
      double[][] x = new double[n + 10][n];
      for (double[] row : x) for (int j = 0; j < n; j++) row[j] = r.nextGaussian();
      double[] d = m.data();
      for (double[] row : x) for (int j = 0; j < n; j++) { double xj = row[j]; for (int i = 0; i < n; i++) d[i + j * n] += row[i] * xj; }
      double[] b = new double[n]; for (int i = 0; i < n; i++) b[i] = r.nextGaussian();
      int reps = n <= 512 ? 20 : 4;
      for (int round = 0; round < 3; round++) {
        long t0 = System.nanoTime(); double[] s1 = null;
        for (int k = 0; k < reps; k++) s1 = Cholesky.factor(m).get().solve(b);
        long t1 = System.nanoTime(); double[] s2 = null;
        for (int k = 0; k < reps; k++) {
          double[] l = d.clone(); intW info = new intW(0);
          dev.ludovic.netlib.lapack.LAPACK.getInstance().dpotrf("L", n, l, n, info);
          s2 = b.clone();
          dev.ludovic.netlib.lapack.LAPACK.getInstance().dpotrs("L", n, 1, l, n, s2, n, info);
        }
        long t2 = System.nanoTime();
        double diff = 0, norm = 0; for (int i = 0; i < n; i++) { diff = Math.max(diff, Math.abs(s1[i] - s2[i])); norm = Math.max(norm, Math.abs(s2[i])); }
        double[] res = m.multiply(s1); double rr = 0; for (int i = 0; i < n; i++) rr = Math.max(rr, Math.abs(res[i] - b[i]));
        System.out.printf("n %d: java %.2f ms, lapack %.2f ms, rel diff %.1e, residual %.1e%n", n, (t1 - t0) / 1e6 / reps, (t2 - t1) / 1e6 / reps, diff / norm, rr);
      }
    }
  }
}
