package dev.sparknewton.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparknewton.cli.plots.LogAxisPlot;
import dev.sparknewton.ml.CompressedHessian;
import dev.sparknewton.randomized.HessianSpectrum;
import dev.sparknewton.randomized.LowRankEigen;
import java.awt.Color;
import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.SparkSession;

/**
 * The output directory of the {@code spectrum} command, written all-or-nothing
 * ({@link AtomicOutputDirectory}):
 * <ul>
 *   <li>{@code spectrum.csv}: {@code index} (1-based, by decreasing {@code |lambda|}),
 *       {@code eigenvalue}, {@code abs}, {@code sign};
 *   <li>{@code spectrum.png}: index vs {@code |lambda|} on a log scale, positive and negative
 *       eigenvalues marked differently (circles, triangles), drawn by XChart ({@link LogAxisPlot});
 *   <li>{@code hessian/}: the compressed Hessian ({@link CompressedHessian}, readable with
 *       {@link CompressedHessian#read});
 *   <li>{@code summary.json}: the numbers printed (trace, Frobenius norm, captured fractions,
 *       estimated error, passes) and where the norms come from;
 *   <li>{@code config.conf}: the resolved configuration.
 * </ul>
 */
final class SpectrumOutput {
  static final int PLOT_WIDTH = 960;
  static final int PLOT_HEIGHT = 640;
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final Color POSITIVE = new Color(31, 119, 180);
  private static final Color NEGATIVE = new Color(214, 39, 40);

  private SpectrumOutput() {}

  /**
   * Writes every file into {@code output}.
   *
   * @param passes passes over the data spent on the analysis (not on training)
   */
  static void write(AtomicOutputDirectory output, SparkSession spark, HessianSpectrum spectrum,
      CompressedHessian hessian, long passes, String title, String config) {
    output.write((fs, dir) -> {
      AtomicOutputDirectory.writeText(fs, new Path(dir, "spectrum.csv"), csv(spectrum.eigen()));
      AtomicOutputDirectory.writeBytes(fs, new Path(dir, "spectrum.png"),
          plot(spectrum.eigen(), title).png());
      hessian.write(spark, new Path(dir, "hessian").toString());
      AtomicOutputDirectory.writeText(fs, new Path(dir, "summary.json"),
          JSON.writeValueAsString(summary(spectrum, hessian, passes)));
      AtomicOutputDirectory.writeText(fs, new Path(dir, "config.conf"), config);
    });
  }

  static String csv(LowRankEigen eigen) {
    StringBuilder sb = new StringBuilder("index,eigenvalue,abs,sign\n");
    double[] values = eigen.values();
    for (int j = 0; j < values.length; j++) {
      sb.append(j + 1).append(',').append(values[j]).append(',').append(Math.abs(values[j]))
          .append(',').append(values[j] < 0 ? "negative" : "positive").append('\n');
    }
    return sb.toString();
  }

  static LogAxisPlot plot(LowRankEigen eigen, String title) {
    double[] values = eigen.values();
    int pos = 0;
    for (double v : values) {
      if (v >= 0) {
        pos++;
      }
    }
    double[] px = new double[pos];
    double[] py = new double[pos];
    double[] nx = new double[values.length - pos];
    double[] ny = new double[values.length - pos];
    int p = 0;
    int q = 0;
    for (int j = 0; j < values.length; j++) {
      if (values[j] >= 0) {
        px[p] = j + 1;
        py[p++] = values[j];
      } else {
        nx[q] = j + 1;
        ny[q++] = -values[j];
      }
    }
    LogAxisPlot plot = new LogAxisPlot(PLOT_WIDTH, PLOT_HEIGHT, title,
        "eigenvalue index j (by decreasing |lambda|)", "|lambda_j|  (log scale)");
    plot.add("lambda > 0 (" + pos + ")", POSITIVE, LogAxisPlot.Style.FILLED_CIRCLES, px, py);
    plot.add("lambda < 0 (" + (values.length - pos) + ")", NEGATIVE,
        LogAxisPlot.Style.TRIANGLES, nx, ny);
    return plot;
  }

  static ObjectNode summary(HessianSpectrum s, CompressedHessian h, long passes) {
    ObjectNode node = JSON.createObjectNode();
    node.put("point", h.point());
    node.put("dimension", s.eigen().dimension());
    node.put("rank", s.eigen().rank());
    node.put("regParam", h.regParam());
    node.put("fitIntercept", h.fitIntercept());
    node.put("hessianSampleFraction", h.sampleFraction());
    node.put("estimatedError", s.eigen().estimatedError());
    node.put("trace", s.trace());
    node.put("traceSource", s.traceSource());
    node.put("capturedTraceFraction", s.capturedTraceFraction());
    node.put("frobeniusNormSquared", s.frobeniusSquared());
    node.put("frobeniusSource", s.frobeniusSource());
    node.put("frobeniusRelativeStandardError", s.frobeniusRelativeError());
    node.put("capturedFrobeniusFraction", s.capturedFrobeniusFraction());
    node.put("eigensolverPasses", s.eigen().passes());
    node.put("passes", passes);
    ArrayNode ev = node.putArray("eigenvalues");
    Arrays.stream(s.eigen().values()).forEach(ev::add);
    return node;
  }
}
