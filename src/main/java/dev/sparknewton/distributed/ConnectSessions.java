package dev.sparknewton.distributed;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;

/**
 * Spark Connect sessions for the job: {@code spark.remote = sc://host:port} (or Spark's own
 * {@code SPARK_REMOTE}) makes the job a Connect client, which ships this project's classes to the
 * server as a session artifact so that the Dataset fold's functions and aggregators run there.
 */
public final class ConnectSessions {
  private ConnectSessions() {}

  /**
   * The Connect URL to use: {@code configured} when not empty, else the environment's
   * {@code SPARK_REMOTE}, else empty (a classic session).
   *
   * @throws IllegalArgumentException when the URL does not start with {@code sc://}
   */
  public static Optional<String> remote(String configured, String environment) {
    String url = !configured.isEmpty() ? configured
        : environment == null ? "" : environment.trim();
    if (url.isEmpty()) {
      return Optional.empty();
    }
    if (!url.startsWith("sc://")) {
      throw new IllegalArgumentException(
          "spark.remote (or SPARK_REMOTE) must look like sc://host:port, got '" + url + "'");
    }
    return Optional.of(url);
  }

  /**
   * A Spark Connect session to {@code url} with this project's classes added as an artifact:
   * the jar that holds them, or, when they are a directory of classes (tests, an IDE), a
   * temporary jar of that directory. Needs the Spark Connect client on the class path.
   */
  public static SparkSession connect(String url) {
    SparkSession spark = SparkSession.builder().connect().remote(url).getOrCreate();
    spark.addArtifact(projectJar().toString());
    return spark;
  }

  /** The jar holding this project's classes, packed from their directory when it is one. */
  static Path projectJar() {
    Path location;
    try {
      location = Path.of(ConnectSessions.class.getProtectionDomain().getCodeSource().getLocation()
          .toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate this project's classes", e);
    }
    if (Files.isRegularFile(location)) {
      return location;
    }
    try {
      Path jar = Files.createTempFile("spark-newton-classes", ".jar");
      jar.toFile().deleteOnExit();
      try (OutputStream file = Files.newOutputStream(jar);
          JarOutputStream out = new JarOutputStream(file);
          Stream<Path> walk = Files.walk(location)) {
        for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile).sorted()::iterator) {
          out.putNextEntry(new JarEntry(
              String.join("/", List.of(location.relativize(p).toString().split(File.separator)))));
          Files.copy(p, out);
          out.closeEntry();
        }
      }
      return jar;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pack " + location + " into a jar", e);
    }
  }
}
