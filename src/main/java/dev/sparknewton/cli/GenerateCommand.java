package dev.sparknewton.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sparknewton.data.LabelKind;
import dev.sparknewton.data.LabelMapping;
import dev.sparknewton.data.SyntheticDataWriter;
import dev.sparknewton.data.SyntheticRows;
import dev.sparknewton.data.SyntheticSpec;
import dev.sparknewton.data.SyntheticStats;
import dev.sparknewton.ml.LinearModelFit;
import dev.sparknewton.ml.ModelType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * {@code generate}: synthetic logistic data ({@link SyntheticRows}) generated on the executors and
 * written atomically ({@link AtomicOutputDirectory}) to {@code output.dir}:
 * <ul>
 *   <li>{@code data/}: LIBSVM part files ({@code generate.format = libsvm}; read them with
 *       {@code data.format = libsvm}, {@code data.path = <dir>/data}) or Parquet with
 *       {@code label} and {@code features} ({@code parquet});
 *   <li>{@code weights.json}: the true model {@code W*} in {@code model.json}'s format (intercepts
 *       0), so {@code spectrum.point = <dir>/weights.json} takes the Hessian there;
 *   <li>{@code generate.json}: the settings and the statistics measured on the written rows;
 *   <li>{@code config.conf}: the resolved configuration.
 * </ul>
 */
final class GenerateCommand {
  private static final String SECTION = "generate.";
  private static final List<String> FORMATS = List.of("libsvm", "parquet");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);
  /** Largest whole number a double holds exactly. */
  private static final double MAX_EXACT_LONG = 0x1.0p53;

  private GenerateCommand() {}

  static int run(List<String> args) {
    JobConfig config = JobConfig.fromArguments(args);
    // Everything is checked before Spark starts.
    SyntheticSpec spec = spec(config);
    String format = config.choice(SECTION + "format", FORMATS);
    int partitions = (int) wholeNumber(config, SECTION + "partitions", Integer.MAX_VALUE);
    String outputDir = TrainCommand.outputDir(config, "generate");
    AtomicOutputDirectory.checkBeforeSpark(outputDir, config.bool("output.overwrite"), config.inputPaths());

    SparkSession spark = TrainCommand.session(config);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    AtomicOutputDirectory output = AtomicOutputDirectory.prepare(
        outputDir, config.bool("output.overwrite"), config.inputPaths(),
        spark.sparkContext().hadoopConfiguration());
    int used = SyntheticDataWriter.partitions(spec, partitions);
    System.out.printf(Locale.ROOT, "generating %d rows x %d features, %d nonzeros a row, %d "
            + "classes, as %s: %d chunks of %d rows in %d partitions%n", spec.rows(),
        spec.features(), spec.nnzPerRow(), spec.classes(), format, spec.chunks(), spec.chunkRows(),
        used);
    long start = System.nanoTime();
    SyntheticStats[] stats = new SyntheticStats[1];
    double[] seconds = new double[1];
    output.write((fs, dir) -> {
      String data = new Path(dir, "data").toString();
      stats[0] = format.equals("libsvm")
          ? SyntheticDataWriter.writeLibSvm(jsc, spec, partitions, data)
          : SyntheticDataWriter.writeParquet(spark, spec, partitions, data);
      seconds[0] = (System.nanoTime() - start) / 1e9;
      AtomicOutputDirectory.writeText(fs, new Path(dir, "weights.json"),
          JSON.writeValueAsString(RunOutput.model(trueModel(spec))));
      AtomicOutputDirectory.writeText(fs, new Path(dir, "generate.json"),
          JSON.writeValueAsString(report(spec, format, used, stats[0], seconds[0])));
      AtomicOutputDirectory.writeText(fs, new Path(dir, "config.conf"), config.render());
    });
    SyntheticStats s = stats[0];
    System.out.printf(Locale.ROOT, "%d rows, %.2f nonzeros a row, labels %s, %d changed by label "
            + "noise, true model's accuracy %.4f; %.1f s (%.0f rows/s); output in %s%n",
        s.rows(), s.meanNonzerosPerRow(), labelCounts(s), s.changedByNoise(),
        (double) s.agreeingWithTrueModel() / s.rows(), seconds[0], s.rows() / seconds[0],
        output.target());
    return 0;
  }

  /** The {@code generate} section as a spec; every bad value is a one-line error naming its key. */
  static SyntheticSpec spec(JobConfig c) {
    SyntheticSpec.Values values = SyntheticSpec.Values.valueOf(
        c.choice(SECTION + "values", List.of("binary", "gaussian")).toUpperCase(Locale.ROOT));
    SyntheticSpec spec;
    try {
      spec = new SyntheticSpec(
          wholeNumber(c, SECTION + "rows", MAX_EXACT_LONG),
          (int) wholeNumber(c, SECTION + "features", Integer.MAX_VALUE),
          (int) wholeNumber(c, SECTION + "nnzPerRow", Integer.MAX_VALUE),
          c.number(SECTION + "powerLaw"), c.number(SECTION + "scaleDecades"), values,
          (int) wholeNumber(c, SECTION + "classes", Integer.MAX_VALUE),
          c.number(SECTION + "labelNoise"), c.number(SECTION + "signal"),
          c.longValue(SECTION + "seed"),
          (int) wholeNumber(c, SECTION + "chunkRows", Integer.MAX_VALUE));
      spec.checkSamplingCost();
    } catch (IllegalArgumentException e) {
      // The spec's messages start with the field name, which is the key within the section.
      throw new IllegalArgumentException(SECTION + e.getMessage(), e);
    }
    return spec;
  }

  /**
   * A whole number in {@code [0, max]}, written as an integer or in exponent form ({@code 1e8});
   * a fraction is an error rather than truncated.
   */
  static long wholeNumber(JobConfig c, String key, double max) {
    double v = c.number(key);
    if (v != Math.rint(v) || v < 0 || v > max) {
      throw new IllegalArgumentException(String.format(Locale.ROOT,
          "%s must be a whole number in [0, %.0f], got %s", key, max, c.string(key)));
    }
    return (long) v;
  }

  /** {@code W*} with zero intercepts, labelled as the written labels. */
  static LinearModelFit trueModel(SyntheticSpec spec) {
    List<Double> labels = new ArrayList<>();
    if (spec.binary()) {
      labels.addAll(List.of(-1.0, 1.0));
    } else {
      for (int k = 0; k < spec.classes(); k++) {
        labels.add((double) k);
      }
    }
    LabelKind kind = spec.binary() ? LabelKind.BINARY : LabelKind.MULTICLASS;
    LabelMapping mapping =
        LabelMapping.ofNumbers(labels, kind, spec.classes(), Optional.empty(), "generated labels");
    return new LinearModelFit(ModelType.of(mapping), new SyntheticRows(spec).trueWeights(),
        new double[spec.outputs()], mapping, List.of());
  }

  static ObjectNode report(SyntheticSpec spec, String format, int partitions, SyntheticStats s,
      double seconds) {
    ObjectNode node = JSON.createObjectNode();
    ObjectNode settings = node.putObject("settings");
    settings.put("rows", spec.rows());
    settings.put("features", spec.features());
    settings.put("nnzPerRow", spec.nnzPerRow());
    settings.put("powerLaw", spec.powerLaw());
    settings.put("scaleDecades", spec.scaleDecades());
    settings.put("values", spec.values().configName());
    settings.put("classes", spec.classes());
    settings.put("labelNoise", spec.labelNoise());
    settings.put("signal", spec.signal());
    settings.put("seed", spec.seed());
    settings.put("chunkRows", spec.chunkRows());
    settings.put("format", format);
    settings.put("partitions", partitions);
    ObjectNode measured = node.putObject("statistics");
    measured.put("rows", s.rows());
    measured.put("nonzeros", s.nonzeros());
    measured.put("meanNnz", s.meanNonzerosPerRow());
    ObjectNode counts = measured.putObject("labelCounts");
    long[] c = s.labelCounts();
    for (int k = 0; k < c.length; k++) {
      counts.put(s.labelName(k), c[k]);
    }
    measured.put("changedByNoise", s.changedByNoise());
    measured.put("trueModelAccuracy", (double) s.agreeingWithTrueModel() / s.rows());
    node.put("seconds", seconds);
    node.put("rowsPerSecond", s.rows() / seconds);
    return node;
  }

  private static String labelCounts(SyntheticStats s) {
    long[] c = s.labelCounts();
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < c.length; k++) {
      sb.append(k == 0 ? "" : ", ").append(s.labelName(k)).append(": ").append(c[k]);
    }
    return sb.toString();
  }
}
