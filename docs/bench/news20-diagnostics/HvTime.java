/** One Hessian-vector product of the news20 multinomial objective over the driver-held rows, as blocks of a[0] rows or coalesced (-Dcoalesce=true); a[1] timed products after 10 warm-ups; prints the median and min (ms). */
import dev.sparknewton.data.*;
import dev.sparknewton.objective.*;
import java.util.*;
public class HvTime {
  public static void main(String[] a) throws Exception {
    List<RowBlock> blocks = Diag.load("/tmp/n20/news20.libsvm", Integer.parseInt(a[0]));
    LocalBlockFold fold = Boolean.getBoolean("coalesce") ? LocalBlockFold.coalesced(blocks) : new LocalBlockFold(blocks);
    dev.sparknewton.models.LinearModel m = new dev.sparknewton.models.LinearModel(62061, true, new dev.sparknewton.models.SoftmaxCrossEntropy(20));
    SecondOrderObjective f = new L2Regularized(new ModelObjective(m, fold, 0L, 512L << 20), 1e-5, m.penalized());
    int n = f.dimension();
    Random r = new Random(1);
    double[] w = new double[n]; for (int i = 0; i < n; i++) w[i] = 1e-3 * r.nextGaussian();
    Evaluation e = f.evaluate(w, EvaluationRequest.valueAndGradient());
    CurvatureOperator h = e.curvature(RowSample.all());
    double[] v = new double[n]; for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
    double[] t = new double[Integer.parseInt(a[1])];
    double s = 0;
    for (int rep = 0; rep < 10; rep++) s += h.hessianVectorProduct(v)[0];
    for (int rep = 0; rep < t.length; rep++) { long t0 = System.nanoTime(); s += h.hessianVectorProduct(v)[7]; t[rep] = (System.nanoTime() - t0) / 1e6; }
    Arrays.sort(t);
    System.out.printf("coalesce=%s blocks %d -> %d Hv median %.1f ms min %.1f (%s)%n", Boolean.getBoolean("coalesce"), blocks.size(), fold.blocks().size(), t[t.length/2], t[0], s);
  }
}
