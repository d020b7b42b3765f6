import dev.sparknewton.data.*;
import dev.sparknewton.linalg.*;
import dev.sparknewton.models.*;
import dev.sparknewton.objective.*;
import dev.sparknewton.solvers.*;
import java.io.*;
import java.nio.file.*;
import java.util.*;

public class Diag {
  static int D = 62061, K = 20;
  public static List<RowBlock> load(String path, int blockRows) throws IOException {
    List<String> lines = Files.readAllLines(Paths.get(path));
    List<RowBlock> blocks = new ArrayList<>();
    for (int start = 0, id = 0; start < lines.size(); start += blockRows, id++) {
      int end = Math.min(lines.size(), start + blockRows);
      int n = end - start;
      double[] labels = new double[n]; double[] w = new double[n]; Arrays.fill(w, 1.0);
      int[] rs = new int[n + 1];
      List<Integer> cols = new ArrayList<>(); List<Double> vals = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        String[] t = lines.get(start + i).trim().split("\\s+");
        labels[i] = Double.parseDouble(t[0]) - 1;
        for (int q = 1; q < t.length; q++) {
          int c = t[q].indexOf(':');
          cols.add(Integer.parseInt(t[q].substring(0, c)) - 1);
          vals.add(Double.parseDouble(t[q].substring(c + 1)));
        }
        rs[i + 1] = cols.size();
      }
      int[] ca = cols.stream().mapToInt(Integer::intValue).toArray();
      double[] va = vals.stream().mapToDouble(Double::doubleValue).toArray();
      blocks.add(new SparseRowBlock(id, D, labels, w, rs, ca, va));
    }
    return blocks;
  }

  public static SecondOrderObjective objective(List<RowBlock> blocks, double lambda) {
    LinearModel m = new LinearModel(D, true, new SoftmaxCrossEntropy(K));
    ModelObjective data = new ModelObjective(m, new LocalBlockFold(blocks), Long.getLong("driverBytes", Long.MAX_VALUE), 512L << 20);
    return new L2Regularized(data, lambda, m.penalized());
  }
}
