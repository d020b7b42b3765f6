// Row-outer (before) against column-outer (after) sparse block products, and a third layout
// (gathered rows) that was tried and not kept; 4,000 rows, 80 nonzeros a row (Zipf), r = 113.
//   java -Xmx4g docs/bench/high-d/SparseBlockLoops.java 62061   (and 1000000)
// Output: sparse-block-loops.txt
import java.util.*;
public class SparseBlockLoops {
  public static void main(String[] a) {
    int n = 4000, d = Integer.parseInt(a[0]), nnzRow = 80, r = 113;
    SplittableRandom rng = new SplittableRandom(1);
    int[] rs = new int[n + 1]; int[] cols = new int[n * nnzRow]; double[] vals = new double[n * nnzRow];
    double H = 0; double[] cum = new double[d]; for (int j = 0; j < d; j++) { H += 1.0 / (j + 1); cum[j] = H; }
    for (int i = 0; i < n; i++) {
      TreeSet<Integer> s = new TreeSet<>();
      while (s.size() < nnzRow) { double u = rng.nextDouble() * H; int j = Arrays.binarySearch(cum, u); if (j < 0) j = -j - 1; s.add((int)((j * 2654435761L) % d)); }
      int k = i * nnzRow; rs[i] = k; for (int j : s) { cols[k] = j; vals[k++] = rng.nextDouble(); }
    }
    rs[n] = n * nnzRow;
    double[] v = new double[d * r]; for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble();
    double[] out = new double[n * r]; double[] od = new double[d * r];
    for (int rep = 0; rep < 5; rep++) {
      long t0 = System.nanoTime();
      for (int i = 0; i < n; i++) for (int c = 0; c < r; c++) { int col = c * d; double s = 0; for (int k = rs[i]; k < rs[i+1]; k++) s += vals[k] * v[col + cols[k]]; out[c * n + i] = s; }
      long t1 = System.nanoTime();
      for (int c = 0; c < r; c++) { int col = c * d; for (int i = 0; i < n; i++) { double s = 0; for (int k = rs[i]; k < rs[i+1]; k++) s += vals[k] * v[col + cols[k]]; out[c * n + i] = s; } }
      long t2 = System.nanoTime();
      for (int i = 0; i < n; i++) for (int c = 0; c < r; c++) { double si = out[c * n + i]; int col = c * d; for (int k = rs[i]; k < rs[i+1]; k++) od[col + cols[k]] += si * vals[k]; }
      long t3 = System.nanoTime();
      for (int c = 0; c < r; c++) { int col = c * d; for (int i = 0; i < n; i++) { double si = out[c * n + i]; for (int k = rs[i]; k < rs[i+1]; k++) od[col + cols[k]] += si * vals[k]; } }
      long t4 = System.nanoTime();
      long t5 = System.nanoTime();
      // gather: local ids, row-major local copy of the touched rows of v
      int[] mark = new int[d]; Arrays.fill(mark, -1); int[] lid = new int[rs[n]]; int u = 0; int[] feat = new int[rs[n]];
      for (int k = 0; k < rs[n]; k++) { int j = cols[k]; if (mark[j] < 0) { mark[j] = u; feat[u++] = j; } lid[k] = mark[j]; }
      double[] loc = new double[u * r];
      for (int c = 0; c < r; c++) { int col = c * d; for (int q = 0; q < u; q++) loc[q * r + c] = v[col + feat[q]]; }
      double[] acc = new double[r];
      for (int i = 0; i < n; i++) { Arrays.fill(acc, 0); for (int k = rs[i]; k < rs[i+1]; k++) { double x = vals[k]; int b = lid[k] * r; for (int c = 0; c < r; c++) acc[c] += x * loc[b + c]; } for (int c = 0; c < r; c++) out[c * n + i] = acc[c]; }
      long t6 = System.nanoTime();
      Arrays.fill(loc, 0);
      for (int i = 0; i < n; i++) { for (int c = 0; c < r; c++) acc[c] = out[c * n + i]; for (int k = rs[i]; k < rs[i+1]; k++) { double x = vals[k]; int b = lid[k] * r; for (int c = 0; c < r; c++) loc[b + c] += x * acc[c]; } }
      for (int c = 0; c < r; c++) { int col = c * d; for (int q = 0; q < u; q++) od[col + feat[q]] += loc[q * r + c]; }
      long t7 = System.nanoTime();
      System.out.printf("   gather: unique %d of nnz %d; multiply %.0f ms, transposeTimes %.0f ms%n", u, rs[n], (t6-t5)/1e6, (t7-t6)/1e6);
      System.out.printf("d %d: multiplyBlock row-outer %.0f ms, column-outer %.0f ms; transposeTimes row-outer %.0f ms, column-outer %.0f ms%n", d, (t1-t0)/1e6, (t2-t1)/1e6, (t3-t2)/1e6, (t4-t3)/1e6);
    }
  }
}
