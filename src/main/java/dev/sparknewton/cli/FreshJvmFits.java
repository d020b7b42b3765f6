package dev.sparknewton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sparknewton.ml.IterationRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The timed fits of a cold benchmark ({@code benchmark.cold = true}), each in a JVM of its own, as
 * a {@code spark-submit} job runs: a child JVM with this JVM's executable, flags and classpath and
 * the same Spark master starts Spark, loads and persists the input as the benchmark does, then
 * times the one fit ({@link BenchmarkCommand#fitInThisJvm}); JIT compilation, class loading and
 * every first use fall in that fit, for our solvers and MLlib alike. One child at a time; its
 * output goes to a temporary log file, deleted after a fit that worked and kept, and named in the
 * one-line {@link ChildFailed}, after one that failed.
 */
final class FreshJvmFits {
  /**
   * A child JVM's fit failed: one line naming the fit, the child's exit status, its own error
   * line (its last line starting with {@code error:}, else its last line naming an exception or
   * error, else its last line) and the log file that keeps its whole output.
   */
  static final class ChildFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ChildFailed(String message) {
      super(message);
    }
  }

  private final List<String> benchmarkArgs;
  private final String master;

  /**
   * @param benchmarkArgs the benchmark's own arguments (configuration file and overrides)
   * @param master the Spark master of the benchmark, given to every child
   */
  FreshJvmFits(List<String> benchmarkArgs, String master) {
    this.benchmarkArgs = List.copyOf(benchmarkArgs);
    this.master = master;
  }

  /** One fit of entry {@code index} of {@code benchmark.solvers}. */
  BenchmarkCommand.TimedFit ours(int index, String label) {
    BenchmarkCommand.TimedFit fit =
        BenchmarkCommand.TimedFit.fromJson(run("ours:" + index, label));
    IterationRecord last = fit.history().get(fit.history().size() - 1);
    System.out.printf(Locale.ROOT, "%s in a fresh JVM: %d iterations, %d passes, %.2f s%n",
        label, last.iteration(), fit.passes(), last.seconds());
    return fit;
  }

  /** One MLlib fit to {@code maxIter}. */
  BenchmarkCommand.MllibRun mllib(int maxIter) {
    BenchmarkCommand.MllibRun run =
        BenchmarkCommand.MllibRun.fromJson(run("mllib:" + maxIter, "MLlib L-BFGS"));
    System.out.printf(Locale.ROOT, "MLlib L-BFGS (maxIter %d) in a fresh JVM: %d jobs, %.2f s%n",
        maxIter, run.jobs(), run.seconds());
    return run;
  }

  /** The command line of a child: this JVM's executable, flags and classpath, the given master. */
  List<String> command(Path result, String what) {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (!flag.startsWith("-Dspark.master=")) {
        cmd.add(flag);
      }
    }
    cmd.add("-Dspark.master=" + master);
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add(Main.class.getName());
    cmd.add(BenchmarkCommand.FRESH_JVM_FIT);
    cmd.add(result.toString());
    cmd.add(what);
    cmd.addAll(benchmarkArgs);
    return cmd;
  }

  private JsonNode run(String what, String label) {
    Path result = null;
    Path log = null;
    try {
      result = Files.createTempFile("spark-newton-fit-", ".json");
      log = Files.createTempFile("spark-newton-fit-", ".log");
      Process child = new ProcessBuilder(command(result, what)).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      int code = child.waitFor();
      if (code != 0 || Files.size(result) == 0) {
        Path kept = log;
        log = null;
        throw new ChildFailed(String.format(Locale.ROOT, "%s in a fresh JVM failed (exit %d): %s;"
            + " its output: %s", label, code,
            errorLine(Files.readAllLines(kept, StandardCharsets.UTF_8)), kept));
      }
      return BenchmarkReport.JSON.readTree(result.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(label + " in a fresh JVM: interrupted", e);
    } finally {
      deleteQuietly(result);
      deleteQuietly(log);
    }
  }

  /**
   * The line of a failed child's output that says what went wrong: its last {@code error:} line
   * (Main's one-line errors), else its last line naming an exception or error (a stack trace's
   * head), else its last non-blank line.
   */
  static String errorLine(List<String> lines) {
    String error = null;
    String exception = null;
    String last = "no output";
    for (String line : lines) {
      String t = line.strip();
      if (t.isEmpty()) {
        continue;
      }
      if (t.startsWith("error:")) {
        error = t;
      } else if (!t.startsWith("at ") && (t.contains("Exception") || t.contains("Error"))) {
        exception = t;
      }
      last = t;
    }
    return error != null ? error : exception != null ? exception : last;
  }

  private static void deleteQuietly(Path p) {
    if (p != null) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException ignored) {
        // a temporary file left behind in the temporary directory
      }
    }
  }
}
