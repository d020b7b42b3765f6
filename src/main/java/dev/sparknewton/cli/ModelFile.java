package dev.sparknewton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The coefficients and intercept of a {@code model.json} written by the {@code train} command
 * ({@link RunOutput#model}).
 *
 * @param coefficients {@code w}, length {@code numFeatures}
 * @param intercept {@code b}
 */
record ModelFile(String path, double[] coefficients, double intercept) {

  /**
   * Reads {@code path}: a {@code model.json}, or a train output directory that holds one.
   *
   * @throws IllegalArgumentException naming {@code key} when the file is missing or malformed
   */
  static ModelFile read(String key, String path, Configuration hadoop) {
    JsonNode node;
    Path file = new Path(path);
    try {
      FileSystem fs = file.getFileSystem(hadoop);
      if (fs.getFileStatus(file).isDirectory()) {
        file = new Path(file, "model.json");
      }
      try (InputStream in = fs.open(file)) {
        node = new ObjectMapper().readTree(in);
      }
    } catch (IOException e) {
      throw new IllegalArgumentException(
          key + ": cannot read a model from '" + path + "' (" + e.getMessage() + ")");
    }
    JsonNode coef = node.path("coefficients");
    JsonNode intercept = node.path("intercept");
    if (!coef.isArray() || !intercept.isNumber()) {
      throw new IllegalArgumentException(key + ": " + file
          + " has no numeric 'coefficients' array and 'intercept' (not a model.json of train)");
    }
    double[] w = new double[coef.size()];
    for (int j = 0; j < w.length; j++) {
      if (!coef.get(j).isNumber()) {
        throw new IllegalArgumentException(
            key + ": " + file + " coefficient " + j + " is not a number: " + coef.get(j));
      }
      w[j] = coef.get(j).asDouble();
    }
    return new ModelFile(file.toString(), w, intercept.asDouble());
  }

  /**
   * The point {@code [w; b]} (or {@code w} without an intercept) for a problem of
   * {@code numFeatures} features.
   */
  double[] point(int numFeatures, boolean fitIntercept, String key) {
    if (coefficients.length != numFeatures) {
      throw new IllegalArgumentException(key + ": " + path + " has " + coefficients.length
          + " coefficients but the data have " + numFeatures + " features");
    }
    if (!fitIntercept && intercept != 0.0) {
      throw new IllegalArgumentException(key + ": " + path + " has intercept " + intercept
          + " but model.fitIntercept = false");
    }
    double[] w = java.util.Arrays.copyOf(coefficients, fitIntercept ? numFeatures + 1 : numFeatures);
    if (fitIntercept) {
      w[numFeatures] = intercept;
    }
    return w;
  }
}
