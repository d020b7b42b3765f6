import dev.sparknewton.linalg.*;
import java.util.Random;
public class CholCold {
  public static void main(String[] a) {
    int n = Integer.parseInt(a[0]);
    long t0 = System.nanoTime();
    dev.ludovic.netlib.lapack.LAPACK.getInstance();
    System.out.printf("LAPACK.getInstance %.1f ms (%s)%n", (System.nanoTime() - t0) / 1e6, dev.ludovic.netlib.lapack.LAPACK.getInstance().getClass().getSimpleName());
    Random r = new Random(1);
    for (int it = 0; it < 10; it++) {
      ColumnMatrix m = ColumnMatrix.zeros(n, n);
      double[][] x = new double[2 * n][n];
      for (double[] row : x) for (int j = 0; j < n; j++) row[j] = r.nextGaussian();
      for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { double s = 0; for (double[] row : x) s += row[i] * row[j]; m.set(i, j, s); }
      long t = System.nanoTime();
      Cholesky c = Cholesky.factor(m).get();
      double[] sol = c.solve(new double[n]);
      System.out.printf("factor+solve %d: %.2f ms%n", it, (System.nanoTime() - t) / 1e6);
    }
  }
}
