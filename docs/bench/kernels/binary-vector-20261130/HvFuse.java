import dev.sparknewton.data.*;
import java.util.*;

public class HvFuse {
  public static void main(String[] a) {
    Random rnd = new Random(42);
    int d = 20000, n = 64000, blockRows = 1600, perRow = 48;
    List<SparseRowBlock> blocks = new ArrayList<>();
    for (int start = 0, id = 0; start < n; start += blockRows, id++) {
      int rows = blockRows;
      double[] labels = new double[rows], weights = new double[rows];
      Arrays.fill(weights, 1.0);
      int[] starts = new int[rows + 1]; int[] columns = new int[rows * perRow]; double[] values = new double[rows * perRow];
      for (int i = 0; i < rows; i++) {
        starts[i + 1] = starts[i] + perRow;
        for (int j = 0; j < perRow; j++) { columns[i*perRow+j] = j*(d/perRow) + rnd.nextInt(d/perRow); values[i*perRow+j] = rnd.nextGaussian(); }
      }
      blocks.add(new SparseRowBlock(id, d, labels, weights, starts, columns, values));
    }
    double[] v = new double[d + 1]; for (int j = 0; j <= d; j++) v[j] = rnd.nextGaussian();
    double[][] D = new double[blocks.size()][blockRows];
    for (double[] x : D) for (int i = 0; i < x.length; i++) x[i] = rnd.nextDouble() * 0.25;
    double[] u = new double[blockRows];
    double[] out1 = new double[d + 1], out2 = new double[d + 1];
    for (int rep = 0; rep < 60; rep++) {
      Arrays.fill(out1, 0); Arrays.fill(out2, 0);
      long t0 = System.nanoTime();
      for (int b = 0; b < blocks.size(); b++) {
        SparseRowBlock blk = blocks.get(b);
        blk.multiply(v, true, u);
        for (int i = 0; i < blockRows; i++) u[i] *= D[b][i];
        blk.addTransposeTimes(u, true, out1);
      }
      long t1 = System.nanoTime();
      for (int b = 0; b < blocks.size(); b++) {
        fused(blocks.get(b), v, D[b], out2, d);
      }
      long t2 = System.nanoTime();
      if (rep % 10 == 9) {
        double m = 0; for (int j = 0; j <= d; j++) m = Math.max(m, Math.abs(out1[j]-out2[j]));
        System.out.printf("two sweeps %.2f ms fused %.2f ms diff %.1e%n", (t1-t0)/1e6, (t2-t1)/1e6, m);
      }
    }
  }
  // Access to the arrays through reflection-free copies: read via public API is not available, so re-derive.
  static java.lang.reflect.Field F(String n) throws Exception { var f = SparseRowBlock.class.getDeclaredField(n); f.setAccessible(true); return f; }
  static void fused(SparseRowBlock blk, double[] v, double[] D, double[] out, int d) {
    try {
      int[] rs = (int[]) F("rowStarts").get(blk); int[] cols = (int[]) F("columns").get(blk); double[] vals = (double[]) F("values").get(blk);
      int n = blk.numRows(); double b = v[d]; double total = 0;
      for (int i = 0; i < n; i++) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0; int k = rs[i], end = rs[i+1];
        for (; k + 3 < end; k += 4) { s0 += vals[k]*v[cols[k]]; s1 += vals[k+1]*v[cols[k+1]]; s2 += vals[k+2]*v[cols[k+2]]; s3 += vals[k+3]*v[cols[k+3]]; }
        for (; k < end; k++) s0 += vals[k]*v[cols[k]];
        double si = (b + ((s0+s1)+(s2+s3))) * D[i];
        total += si;
        for (k = rs[i]; k < end; k++) out[cols[k]] += si * vals[k];
      }
      out[d] += total;
    } catch (Exception e) { throw new RuntimeException(e); }
  }
}
