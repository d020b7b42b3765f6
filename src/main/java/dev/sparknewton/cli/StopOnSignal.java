package dev.sparknewton.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;

/**
 * A clean stop on SIGTERM or Ctrl-C (a killed {@code spark-submit}, a cancelled Databricks run):
 * one line on stderr instead of the traces of every job that fails as Spark's own shutdown hook
 * stops the context under the running fit.
 *
 * <p>A JVM shutdown hook that, when the JVM exits before the command has finished (a signal;
 * the command's own exits come after {@link #finished()}), prints the line and switches logging
 * off, so that Spark's errors about its stopped context do not follow it. The main thread, whose
 * running job then fails, ends silently ({@link Main#main}). Nothing is written: outputs are
 * renamed into place only when complete.
 */
final class StopOnSignal {
  private volatile boolean finished;
  private volatile boolean stopping;

  private StopOnSignal() {}

  /** Registers the hook; call once, before Spark starts. */
  static StopOnSignal install() {
    StopOnSignal stop = new StopOnSignal();
    Runtime.getRuntime().addShutdownHook(new Thread(stop::onShutdown, "spark-newton-stop"));
    return stop;
  }

  /** The command has returned: the JVM's exit is its own, not a signal. */
  void finished() {
    finished = true;
  }

  /** True once the JVM is exiting before the command finished. */
  boolean stopping() {
    return stopping;
  }

  private void onShutdown() {
    if (finished) {
      return;
    }
    stopping = true;
    try {
      Configurator.setAllLevels(LogManager.ROOT_LOGGER_NAME, Level.OFF);
    } catch (RuntimeException | LinkageError e) {
      // Another logging backend than log4j2 (or another context): its output stays as it is.
    }
    System.err.println("stopped: the JVM was asked to exit (SIGTERM or Ctrl-C) before the run "
        + "finished; nothing was written");
    System.err.flush();
  }
}
