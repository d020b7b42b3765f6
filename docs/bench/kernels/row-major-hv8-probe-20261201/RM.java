import dev.sparknewton.bench.KernelBenchmark;
import dev.sparknewton.data.RowBlock;
import dev.sparknewton.data.SparseRowBlock;
import jdk.incubator.vector.*;
import java.lang.reflect.*;
import java.util.*;

/** Probe: H V for r = 8 on the kernel benchmark's CSR blocks, one sweep with V and out row-major per pass. */
public class RM {
  static final VectorSpecies<Double> S = DoubleVector.SPECIES_512;

  public static void main(String[] a) throws Exception {
    KernelBenchmark b = new KernelBenchmark();
    b.storage = "csr"; b.model = "binary"; b.setUp();
    Field f = KernelBenchmark.class.getDeclaredField("blocks"); f.setAccessible(true);
    @SuppressWarnings("unchecked") List<RowBlock> blocks = (List<RowBlock>) f.get(b);
    Field fs = SparseRowBlock.class.getDeclaredField("rowStarts"); fs.setAccessible(true);
    Field fc = SparseRowBlock.class.getDeclaredField("columns"); fc.setAccessible(true);
    Field fv = SparseRowBlock.class.getDeclaredField("values"); fv.setAccessible(true);
    int d = 20000, m = d + 1, r = 8;
    Random rnd = new Random(3);
    double[] vCol = new double[m * r];
    for (int i = 0; i < vCol.length; i++) vCol[i] = rnd.nextGaussian();
    double[][] h = new double[blocks.size()][];
    for (int q = 0; q < blocks.size(); q++) { h[q] = new double[blocks.get(q).numRows()]; for (int i = 0; i < h[q].length; i++) h[q][i] = rnd.nextDouble() * 0.25; }
    for (int round = 0; round < 6; round++) {
      double[] times = new double[15];
      double sink = 0;
      for (int rep = 0; rep < times.length; rep++) {
        long t0 = System.nanoTime();
        // once per pass (per task): V^T row-major, out^T row-major
        double[] vt = new double[m * r];
        for (int j = 0; j < m; j++) for (int c = 0; c < r; c++) vt[j * r + c] = vCol[c * m + j];
        double[] ot = new double[m * r];
        for (int q = 0; q < blocks.size(); q++) {
          SparseRowBlock bl = (SparseRowBlock) blocks.get(q);
          int[] starts = (int[]) fs.get(bl); int[] cols = (int[]) fc.get(bl); double[] vals = (double[]) fv.get(bl);
          double[] hq = h[q];
          int n = bl.numRows();
          for (int i = 0; i < n; i++) {
            DoubleVector acc = DoubleVector.fromArray(S, vt, d * r); // intercept row
            int end = starts[i + 1];
            for (int k = starts[i]; k < end; k++) {
              acc = DoubleVector.fromArray(S, vt, cols[k] * r).fma(DoubleVector.broadcast(S, vals[k]), acc);
            }
            DoubleVector s = acc.mul(hq[i]);
            for (int k = starts[i]; k < end; k++) {
              int at = cols[k] * r;
              s.fma(DoubleVector.broadcast(S, vals[k]), DoubleVector.fromArray(S, ot, at)).intoArray(ot, at);
            }
            s.add(DoubleVector.fromArray(S, ot, d * r)).intoArray(ot, d * r);
          }
        }
        double[] out = new double[m * r];
        for (int j = 0; j < m; j++) for (int c = 0; c < r; c++) out[c * m + j] = ot[j * r + c];
        times[rep] = (System.nanoTime() - t0) / 1e6;
        sink += out[5];
      }
      Arrays.sort(times);
      long t0 = System.nanoTime(); for (int rep = 0; rep < 5; rep++) sink += b.hessianBlock8().data()[3]; double cur = (System.nanoTime() - t0) / 5e6;
      long t1 = System.nanoTime(); for (int rep = 0; rep < 15; rep++) sink += b.stream(); double st = (System.nanoTime() - t1) / 15e6;
      System.out.printf("r=8 one sweep row-major %.2f ms, current hessianBlock8 %.2f ms, stream %.2f ms (%s)%n", times[7], cur, st, sink == 1.2345 ? "" : "");
    }
  }
}
