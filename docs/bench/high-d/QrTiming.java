// Blocked Householder QR (linalg/QrDecomposition) against netlib-java LAPACK dgeqrf + dorgqr on
// a 62,061 x 113 Gaussian matrix, 4 repetitions in one JVM:
//   source jobs/common.sh; java "${JAVA_OPTS[@]}" -cp "target/classes:$(cat target/spark-classpath.txt)" docs/bench/high-d/QrTiming.java
// Output: qr-timing.txt
import dev.sparknewton.linalg.*;
import java.util.*;
public class QrTiming {
  public static void main(String[] a) {
    int n = 62061, m = 113; SplittableRandom r = new SplittableRandom(1);
    double[] d = new double[n * m]; for (int i = 0; i < d.length; i++) d[i] = r.nextDouble() - 0.5;
    ColumnMatrix A = new ColumnMatrix(n, m, d);
    for (int rep = 0; rep < 4; rep++) {
      long t0 = System.nanoTime(); QrDecomposition.of(A); long t1 = System.nanoTime();
      double[] p = d.clone(); double[] tau = new double[m]; double[] w = new double[64 * m]; var info = new org.netlib.util.intW(0);
      var lp = dev.ludovic.netlib.lapack.LAPACK.getInstance();
      lp.dgeqrf(n, m, p, n, tau, w, w.length, info); lp.dorgqr(n, m, m, p, n, tau, w, w.length, info);
      long t2 = System.nanoTime();
      System.out.printf("blocked %.0f ms, LAPACK dgeqrf+dorgqr %.0f ms%n", (t1-t0)/1e6, (t2-t1)/1e6);
    }
  }
}
