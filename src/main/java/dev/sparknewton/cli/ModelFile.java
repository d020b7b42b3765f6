package dev.sparknewton.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sparknewton.models.LinearModel;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The coefficients and intercepts of a {@code model.json} written by the {@code train} command
 * ({@link RunOutput#model}).
 *
 * @param type the model type as written ({@code binary-logistic}, ...)
 * @param coefficients {@code W}, {@code K} rows of {@code d}
 * @param intercepts {@code b}, {@code K}
 */
record ModelFile(String path, String type, double[][] coefficients, double[] intercepts) {

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
    JsonNode intercepts = node.path("intercepts");
    if (!coef.isArray() || !intercepts.isArray() || coef.size() != intercepts.size()
        || coef.isEmpty()) {
      throw new IllegalArgumentException(key + ": " + file + " has no 'coefficients' rows and "
          + "'intercepts' of the same count (not a model.json of train)");
    }
    double[][] w = new double[coef.size()][];
    double[] b = new double[intercepts.size()];
    for (int k = 0; k < w.length; k++) {
      JsonNode row = coef.get(k);
      if (!row.isArray() || row.size() != coef.get(0).size()) {
        throw new IllegalArgumentException(key + ": " + file + " coefficient row " + k
            + " is not an array of " + coef.get(0).size() + " numbers");
      }
      w[k] = new double[row.size()];
      for (int j = 0; j < w[k].length; j++) {
        w[k][j] = number(row.get(j), key, file, "coefficient [" + k + "][" + j + "]");
      }
      b[k] = number(intercepts.get(k), key, file, "intercept " + k);
    }
    return new ModelFile(file.toString(), node.path("type").asText(""), w, b);
  }

  private static double number(JsonNode n, String key, Path file, String what) {
    if (!n.isNumber()) {
      throw new IllegalArgumentException(key + ": " + file + " " + what + " is not a number: " + n);
    }
    return n.asDouble();
  }

  /** The parameters of {@code model} (its layout) that this file holds. */
  double[] point(LinearModel model, String expectedType, String key) {
    if (!type.isEmpty() && !type.equals(expectedType)) {
      throw new IllegalArgumentException(key + ": " + path + " is a " + type
          + " model but the data and model.type give " + expectedType);
    }
    if (coefficients.length != model.numOutputs() || coefficients[0].length != model.numFeatures()) {
      throw new IllegalArgumentException(key + ": " + path + " has " + coefficients.length + " x "
          + coefficients[0].length + " coefficients but the data give " + model.numOutputs()
          + " x " + model.numFeatures());
    }
    if (!model.intercept()) {
      for (double b : intercepts) {
        if (b != 0.0) {
          throw new IllegalArgumentException(key + ": " + path + " has intercept " + b
              + " but model.fitIntercept = false");
        }
      }
    }
    return model.parameters(coefficients, intercepts);
  }
}
