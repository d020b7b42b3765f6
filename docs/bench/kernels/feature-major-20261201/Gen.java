import dev.sparknewton.data.*;
import dev.sparknewton.objective.*;
import dev.sparknewton.models.*;
import java.nio.file.*;
import java.util.*;
/** The generated 10-class set (/tmp/gen-mc/data): gradient evaluations and Hv over blocks of a[0] rows, LocalBlockFold's threads. */
public class Gen {
  public static void main(String[] a) throws Exception {
    List<String> lines = new ArrayList<>();
    try (var s = Files.list(Paths.get("/tmp/gen-mc/data"))) { for (Path p : s.sorted().toList()) if (p.getFileName().toString().startsWith("part-")) lines.addAll(Files.readAllLines(p)); }
    int D = 20000, br = Integer.parseInt(a[0]);
    List<RowBlock> blocks = new ArrayList<>();
    for (int start = 0, id = 0; start < lines.size(); start += br, id++) {
      int end = Math.min(lines.size(), start + br), n = end - start;
      double[] labels = new double[n], w = new double[n]; Arrays.fill(w, 1.0);
      int[] rs = new int[n + 1]; List<Integer> cols = new ArrayList<>(); List<Double> vals = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String[] t = lines.get(start + i).trim().split("\\s+");
        labels[i] = Double.parseDouble(t[0]);
        for (int q = 1; q < t.length; q++) { int c = t[q].indexOf(':'); cols.add(Integer.parseInt(t[q].substring(0, c)) - 1); vals.add(Double.parseDouble(t[q].substring(c + 1))); }
        rs[i + 1] = cols.size();
      }
      blocks.add(new SparseRowBlock(id, D, labels, w, rs, cols.stream().mapToInt(Integer::intValue).toArray(), vals.stream().mapToDouble(Double::doubleValue).toArray()));
    }
    LocalBlockFold fold = new LocalBlockFold(blocks);
    LinearModel m = new LinearModel(D, true, new SoftmaxCrossEntropy(10));
    SecondOrderObjective f = new L2Regularized(new ModelObjective(m, fold, 0L, 512L << 20), 1e-6, m.penalized());
    int n = f.dimension(); Random r = new Random(1);
    double[] w = new double[n]; for (int i = 0; i < n; i++) w[i] = 1e-2 * r.nextGaussian();
    double[] v = new double[n]; for (int i = 0; i < n; i++) v[i] = r.nextGaussian();
    double s = 0; double[] tg = new double[21], th = new double[21];
    for (int rep = 0; rep < 31; rep++) {
      long t0 = System.nanoTime(); Evaluation e = f.evaluate(w, EvaluationRequest.valueAndGradient()); s += e.value(); long t1 = System.nanoTime();
      CurvatureOperator h = e.curvature(RowSample.all()); long t2 = System.nanoTime(); s += h.hessianVectorProduct(v)[3]; long t3 = System.nanoTime();
      if (rep >= 10) { tg[rep - 10] = (t1 - t0) / 1e6; th[rep - 10] = (t3 - t2) / 1e6; }
      w[rep % n] += 1e-9;
    }
    Arrays.sort(tg); Arrays.sort(th);
    System.out.printf("blocks %d of %d rows: value+gradient median %.1f ms, Hv median %.1f ms (%s)%n", blocks.size(), br, tg[10], th[10], s);
  }
}
