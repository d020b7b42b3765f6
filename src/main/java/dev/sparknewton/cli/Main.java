package dev.sparknewton.cli;

import java.util.Arrays;
import java.util.List;

/**
 * Entry point of the jar: {@code [train | benchmark | spectrum | generate] [CONF_FILE] [key=value ...]}. The same arguments work
 * under {@code jobs/train.sh}, {@code spark-submit} and as the parameters of a Databricks JAR task.
 *
 * <p>Exit codes: 0 done; 2 bad arguments, configuration or input data (one line on stderr,
 * nothing written); 3 the solver stopped on a numerical failure ({@code Termination.failed()}), or
 * {@code regParam = 0} on separable data ({@code ml.Separation}) (output written, with the reason);
 * 1 any other failure (a cold benchmark's child JVM that failed: one line on stderr); 143
 * (128 + 15) stopped by SIGTERM, 130 by Ctrl-C, with one line on stderr
 * ({@link StopOnSignal}).
 */
public final class Main {
  /** Any other failure: an uncaught exception, or a cold benchmark's child JVM that failed. */
  static final int EXIT_OTHER_FAILURE = 1;
  static final int EXIT_BAD_INPUT = 2;
  static final int EXIT_NUMERICAL_FAILURE = 3;
  /** benchmark: a solver of ours did not reach the target suboptimality. */
  static final int EXIT_TARGET_NOT_REACHED = 4;

  private Main() {}

  public static void main(String[] args) {
    StopOnSignal stop = StopOnSignal.install();
    int code;
    try {
      code = run(Arrays.asList(args));
    } catch (Throwable e) {
      if (stop.stopping()) {
        return; // the JVM is exiting on a signal, which StopOnSignal has reported in one line
      }
      stop.finished();
      throw e;
    }
    stop.finished();
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Runs a command and returns its exit code instead of exiting (for tests). */
  public static int run(List<String> args) {
    List<String> rest = args;
    String command = "train";
    if (!args.isEmpty() && isCommand(args.get(0))) {
      command = args.get(0);
      rest = args.subList(1, args.size());
    }
    try {
      switch (command) {
        case "train":
          return TrainCommand.run(rest);
        case "benchmark":
          return BenchmarkCommand.run(rest);
        case "spectrum":
          return SpectrumCommand.run(rest);
        case "generate":
          return GenerateCommand.run(rest);
        case BenchmarkCommand.FRESH_JVM_FIT:
          return BenchmarkCommand.fitInThisJvm(rest);
        case "help":
        case "--help":
        case "-h":
          System.out.println(usage());
          return 0;
        default:
          throw new IllegalStateException("unreachable: " + command);
      }
    } catch (IllegalArgumentException e) {
      System.err.println("error: " + e.getMessage());
      return EXIT_BAD_INPUT;
    } catch (FreshJvmFits.ChildFailed e) {
      System.err.println("error: " + e.getMessage());
      return EXIT_OTHER_FAILURE;
    }
  }

  private static boolean isCommand(String arg) {
    return List.of("train", "benchmark", "spectrum", "generate", BenchmarkCommand.FRESH_JVM_FIT,
        "help", "--help", "-h").contains(arg);
  }

  static String usage() {
    return String.join("\n",
        "usage: [train | benchmark | spectrum | generate] [CONF_FILE] [key=value ...]",
        "  train       fit a linear model: binary or multinomial logistic regression, least squares (the default command)",
        "  benchmark   passes and seconds to a target suboptimality, ours vs Spark MLlib L-BFGS",
        "  spectrum    top-k Hessian eigenvalues at a point: spectrum.csv, spectrum.png, hessian/",
        "  generate    synthetic logistic data (libsvm, parquet), true weights, statistics",
        "Keys and defaults: reference.conf in the jar; examples: conf/*.conf.");
  }
}
