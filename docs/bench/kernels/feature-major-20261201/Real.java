import dev.sparknewton.data.*;
import dev.sparknewton.linalg.ColumnMatrix;
import dev.sparknewton.models.*;
import java.util.*;
/** news20 multiclass rows, blocks of a[0] rows: a task's softmax (K = 20) C v both ways, one thread. */
public class Real {
  interface R { double run(); }
  static double time(R r, int reps) {
    double[] t = new double[reps]; double sink = 0;
    for (int k = 0; k < reps; k++) { long s = System.nanoTime(); sink += r.run(); t[k] = (System.nanoTime() - s) / 1e6; }
    Arrays.sort(t); if (sink == 42.4242) System.out.println(sink); return t[reps / 2];
  }
  public static void main(String[] a) throws Exception {
    List<RowBlock> blocks = Diag.load("/tmp/n20/news20.libsvm", Integer.parseInt(a[0]));
    int take = Integer.parseInt(a[1]);
    List<RowBlock> bs = blocks.subList(0, Math.min(take, blocks.size()));
    LinearModel model = new LinearModel(62061, true, new SoftmaxCrossEntropy(20));
    int p = model.dimension();
    Random rnd = new Random(1);
    double[] theta = new double[p]; for (int j = 0; j < p; j++) theta[j] = 1e-3 * rnd.nextGaussian();
    List<double[]> states = new ArrayList<>();
    for (RowBlock b : bs) {
      int nk = b.numRows() * 20;
      double[] z = new double[nk], st = new double[b.numRows() * model.loss().stateWidth()];
      model.outputs(b, theta, z); model.loss().evaluateBlock(b, z, new double[nk], st); states.add(st);
    }
    double[] vd = new double[p]; for (int j = 0; j < p; j++) vd[j] = rnd.nextGaussian();
    ColumnMatrix v = new ColumnMatrix(p, 1, vd);
    InlineShared<double[]> th = new InlineShared<>(theta); InlineShared<ColumnMatrix> vs = new InlineShared<>(v);
    R fm = () -> { CurvatureAggregator agg = CurvatureAggregator.blockProduct(th, vs, model, RowSample.all(), PointStates.none(), Curvature.GAUSS_NEWTON);
      for (int b = 0; b < bs.size(); b++) agg.addAtPoint(bs.get(b), states.get(b)); return agg.sum(p, 1).data()[3]; };
    R cm = () -> { ColumnMatrix out = ColumnMatrix.zeros(p, 1);
      for (int b = 0; b < bs.size(); b++) model.addCurvatureTimes(Curvature.GAUSS_NEWTON, bs.get(b), theta, states.get(b), v, out); return out.data()[3]; };
    R copyOnly = () -> { double[] t = new double[62062 * 20]; for (int q = 0; q < 20; q++) for (int j = 0, at = q * 62062; j < 62062; j++, at++) t[j * 20 + q] = vd[at]; return t[5]; };
    for (int round = 0; round < 3; round++)
      System.out.printf("blocks %d x %s rows: feature-major %.1f ms, column-major %.1f ms, one copy of V %.1f ms%n", bs.size(), a[0], time(fm, 15), time(cm, 15), time(copyOnly, 15));
  }
}
