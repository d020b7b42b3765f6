import dev.sparknewton.data.*;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.models.*;
import java.util.*;

/** Feature-major curvature products against the column-major ones block by block, by shape. */
public class Shapes {
  interface R { double run(); }
  static double time(R r, int reps) {
    double[] t = new double[reps]; double sink = 0;
    for (int k = 0; k < reps; k++) { long s = System.nanoTime(); sink += r.run(); t[k] = (System.nanoTime() - s) / 1e6; }
    Arrays.sort(t); if (sink == 42.4242) System.out.println(sink); return t[reps / 2];
  }
  public static void main(String[] a) {
    int d = Integer.parseInt(a[0]), perRow = Integer.parseInt(a[1]), rows = Integer.parseInt(a[2]);
    int blockRows = Integer.parseInt(a[3]), k = Integer.parseInt(a[4]);
    boolean power = a.length > 6 && a[6].equals("power");
    Random rnd = new Random(1);
    List<RowBlock> blocks = new ArrayList<>();
    for (int start = 0, id = 0; start < rows; start += blockRows, id++) {
      int n = Math.min(blockRows, rows - start);
      double[] labels = new double[n], weights = new double[n];
      int[] starts = new int[n + 1]; int[] cols = new int[n * perRow]; double[] vals = new double[n * perRow];
      for (int i = 0; i < n; i++) {
        labels[i] = rnd.nextInt(Math.max(2, k)); weights[i] = 1;
        TreeSet<Integer> set = new TreeSet<>();
        while (set.size() < perRow) set.add(power ? (int) Math.min(d - 1, Math.floor(Math.pow(d, rnd.nextDouble())) - 1 + 0) : rnd.nextInt(d));
        int q = i * perRow; for (int c : set) { cols[q] = Math.max(0, c); vals[q++] = rnd.nextGaussian(); }
        starts[i + 1] = starts[i] + perRow;
      }
      blocks.add(new SparseRowBlock(id, d, labels, weights, starts, cols, vals));
    }
    LinearModel model = new LinearModel(d, true, k == 1 ? LogisticLoss.INSTANCE : new SoftmaxCrossEntropy(k));
    int p = model.dimension();
    double[] theta = new double[p]; for (int j = 0; j < p; j++) theta[j] = 0.1 * rnd.nextGaussian();
    List<double[]> states = new ArrayList<>();
    for (RowBlock b : blocks) {
      int nk = b.numRows() * model.numOutputs();
      double[] z = new double[nk], st = new double[b.numRows() * model.loss().stateWidth()];
      model.outputs(b, theta, z); model.loss().evaluateBlock(b, z, new double[nk], st); states.add(st);
    }
    for (String rs : a[5].split(",")) {
      int r = Integer.parseInt(rs);
      double[] vd = new double[p * r]; for (int j = 0; j < vd.length; j++) vd[j] = rnd.nextGaussian();
      ColumnMatrix v = new ColumnMatrix(p, r, vd);
      InlineShared<double[]> th = new InlineShared<>(theta); InlineShared<ColumnMatrix> vs = new InlineShared<>(v);
      R fm0 = () -> { CurvatureAggregator agg = CurvatureAggregator.blockProduct(th, vs, model, RowSample.all(), PointStates.none(), Curvature.GAUSS_NEWTON);
        for (int b = 0; b < blocks.size(); b++) agg.addAtPoint(blocks.get(b), states.get(b)); return agg.sum(p, r).data()[3]; };
      R cm0 = () -> { ColumnMatrix out = ColumnMatrix.zeros(p, r);
        for (int b = 0; b < blocks.size(); b++) model.addCurvatureTimes(Curvature.GAUSS_NEWTON, blocks.get(b), theta, states.get(b), v, out); return out.data()[3]; };
      R fm = fm0, cm = cm0;
      int threads = Integer.getInteger("threads", 1);
      if (threads > 1) {
        R fm1 = fm, cm1 = cm;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        java.util.function.Function<R, R> par = (R one) -> () -> {
          List<java.util.concurrent.Future<Double>> fs = new ArrayList<>();
          for (int t = 0; t < threads; t++) fs.add(pool.submit(() -> one.run()));
          double x = 0; for (var f : fs) { try { x += f.get(); } catch (Exception e) { throw new RuntimeException(e); } }
          return x; };
        fm = par.apply(fm1); cm = par.apply(cm1);
      }
      int reps = 7;
      double f1 = time(fm, reps), c1 = time(cm, reps), f2 = time(fm, reps), c2 = time(cm, reps);
      System.out.printf("d=%d perRow=%d rows=%d blockRows=%d K=%d r=%d: feature-major %.1f/%.1f ms, column-major %.1f/%.1f ms, ratio %.2f threads %d%n",
          d, perRow, rows, blockRows, k, r, f1, f2, c1, c2, Math.min(c1, c2) / Math.min(f1, f2), threads);
    }
    System.exit(0);
  }
}
