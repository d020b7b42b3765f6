import dev.sparknewton.data.*;
import dev.sparknewton.models.*;
import dev.sparknewton.linalg.*;
import dev.sparknewton.data.RowSample;
import java.util.*;

public class FusedGrad {
  static List<RowBlock> blocks = new ArrayList<>();
  static List<double[]> vals = new ArrayList<>(); static List<int[]> cols = new ArrayList<>(), starts = new ArrayList<>();
  static List<double[]> labs = new ArrayList<>(), wts = new ArrayList<>();
  public static void main(String[] a) {
    boolean sparse = a[0].equals("csr");
    Random rnd = new Random(42);
    int d = sparse ? 20_000 : 100, n = sparse ? 64_000 : 40_000, blockRows = sparse ? 1_600 : 800, perRow = 48;
    for (int start = 0, id = 0; start < n; start += blockRows, id++) {
      int rows = Math.min(blockRows, n - start);
      double[] labels = new double[rows], weights = new double[rows];
      for (int i = 0; i < rows; i++) { labels[i] = rnd.nextInt(2); weights[i] = 1.0; }
      labs.add(labels); wts.add(weights);
      if (sparse) {
        int[] st = new int[rows + 1]; int[] c = new int[rows * perRow]; double[] v = new double[rows * perRow];
        for (int i = 0; i < rows; i++) { st[i + 1] = st[i] + perRow; for (int j = 0; j < perRow; j++) { c[i * perRow + j] = j * (d / perRow) + rnd.nextInt(d / perRow); v[i * perRow + j] = rnd.nextGaussian(); } }
        blocks.add(new SparseRowBlock(id, d, labels, weights, st, c, v)); vals.add(v); cols.add(c); starts.add(st);
      } else {
        double[] v = new double[rows * d]; for (int i = 0; i < v.length; i++) v[i] = rnd.nextGaussian();
        blocks.add(new DenseRowBlock(id, d, labels, weights, v)); vals.add(v);
      }
    }
    LinearModel m = new LinearModel(d, true, LogisticLoss.INSTANCE);
    double[] w = new double[d + 1]; for (int j = 0; j <= d; j++) w[j] = 0.1 * rnd.nextGaussian();
    InlineShared<double[]> theta = new InlineShared<>(w);
    for (int round = 0; round < 8; round++) {
      int reps = 30;
      long t0 = System.nanoTime(); double l1 = 0; ValueGradientAggregator acc = null;
      for (int r = 0; r < reps; r++) {
        acc = new ValueGradientAggregator(theta, m, false, false, RowSample.all(), List.of(), PointStates.none());
        for (RowBlock b : blocks) acc = acc.add(b);
        l1 = acc.lossSum();
      }
      long t1 = System.nanoTime(); double l2 = 0; double[] g = null;
      for (int r = 0; r < reps; r++) { g = new double[d + 1]; l2 = sparse ? fusedCsr(w, d, g) : fusedDense(w, d, g); }
      long t2 = System.nanoTime();
      double[] g1 = acc.gradientSum(d + 1); double diff = 0; for (int j = 0; j <= d; j++) diff = Math.max(diff, Math.abs(g1[j] - g[j]));
      System.out.printf("%s: aggregator %.2f ms, fused %.2f ms, loss diff %.1e grad diff %.1e%n", a[0], (t1 - t0) / 1e6 / reps, (t2 - t1) / 1e6 / reps, Math.abs(l1 - l2), diff);
    }
  }
  static double rowLoss(double m, double y, double c, double[] s, int i) {
    double e = Math.exp(-Math.abs(m));
    double sigma = m >= 0.0 ? 1.0 / (1.0 + e) : e / (1.0 + e);
    s[0] = c * (sigma - y);
    return c * ((m > 0.0 ? m + Math.log1p(e) : Math.log1p(e)) - y * m);
  }
  static double fusedCsr(double[] w, int d, double[] g) {
    double loss = 0; double[] s = new double[1]; double total = 0;
    for (int b = 0; b < vals.size(); b++) {
      double[] v = vals.get(b); int[] c = cols.get(b), st = starts.get(b); double[] y = labs.get(b), wt = wts.get(b);
      int n = y.length; double bias = w[d];
      for (int i = 0; i < n; i++) {
        int k0 = st[i], k1 = st[i + 1];
        double m = bias;
        for (int k = k0; k < k1; k++) m += v[k] * w[c[k]];
        loss += rowLoss(m, y[i], wt[i], s, i);
        double si = s[0]; total += si;
        if (si != 0.0) for (int k = k0; k < k1; k++) g[c[k]] += si * v[k];
      }
    }
    g[d] += total;
    return loss;
  }
  static double fusedDense(double[] w, int d, double[] g) {
    double loss = 0; double[] s = new double[1]; double total = 0;
    for (int b = 0; b < vals.size(); b++) {
      double[] v = vals.get(b); double[] y = labs.get(b), wt = wts.get(b);
      int n = y.length; double bias = w[d];
      for (int i = 0; i < n; i++) {
        int off = i * d;
        double m0 = 0, m1 = 0, m2 = 0, m3 = 0; int j = 0;
        for (; j + 3 < d; j += 4) { m0 += v[off + j] * w[j]; m1 += v[off + j + 1] * w[j + 1]; m2 += v[off + j + 2] * w[j + 2]; m3 += v[off + j + 3] * w[j + 3]; }
        for (; j < d; j++) m0 += v[off + j] * w[j];
        double m = bias + ((m0 + m1) + (m2 + m3));
        loss += rowLoss(m, y[i], wt[i], s, i);
        double si = s[0]; total += si;
        for (j = 0; j < d; j++) g[j] += si * v[off + j];
      }
    }
    g[d] += total;
    return loss;
  }
}
