import dev.sparknewton.bench.KernelBenchmark;
import dev.sparknewton.data.*;
import java.util.*;
public class P4 {
  interface R { double run(); }
  static double time(R r, int reps) {
    double[] t = new double[reps]; double sink = 0;
    for (int k = 0; k < reps; k++) { long s = System.nanoTime(); sink += r.run(); t[k] = (System.nanoTime() - s) / 1e6; }
    Arrays.sort(t); if (sink == 42.4242) System.out.println(sink); return t[reps / 2];
  }
  @SuppressWarnings("unchecked")
  public static void main(String[] a) throws Exception {
    KernelBenchmark b = new KernelBenchmark();
    b.storage = "csr"; b.model = "binary"; b.setUp();
    var f = KernelBenchmark.class.getDeclaredField("blocks"); f.setAccessible(true);
    List<RowBlock> blocks = (List<RowBlock>) f.get(b);
    Random rnd = new Random(3);
    int m = 20001;
    double[] w = new double[m], p = new double[m], wp = new double[2 * m];
    for (int j = 0; j < m; j++) { w[j] = rnd.nextGaussian(); p[j] = rnd.nextGaussian(); wp[2*j] = w[j]; wp[2*j+1] = p[j]; }
    double[] z = new double[1600], u = new double[1600];
    for (int round = 0; round < 4; round++) {
      double two = time(() -> { for (RowBlock rb : blocks) rb.multiplyTwo(w, p, true, z, u); return z[3] + u[5]; }, 31);
      double il = time(() -> { for (RowBlock rb : blocks) ((SparseRowBlock) rb).multiplyTwoInterleaved(wp, true, z, u); return z[3] + u[5]; }, 31);
      double lv = time(() -> b.lineValues10()[0], 31);
      double st = time(b::stream, 31);
      System.out.printf("stream %.2f multiplyTwo %.2f interleaved %.2f lineValues10 %.2f%n", st, two, il, lv);
    }
  }
}
