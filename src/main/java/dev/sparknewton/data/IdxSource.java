package dev.sparknewton.data;

import dev.sparknewton.distributed.DistributedFolds;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Reads IDX data ({@link IdxFile}; MNIST, Fashion-MNIST): per data set an images file and its
 * labels file, as rows of label (the {@link LabelMapping} of the distinct training label bytes,
 * each read as a number 0..255, so ten digits make ten classes), features (a dense vector of the
 * {@code rows x cols} pixels of an image, row-major, each {@code pixel / 255.0}) and weight 1, in
 * the files' order.
 *
 * <p>The labels file of {@code path} is {@code labelsPath} and that of {@code testPath} is
 * {@code testLabelsPath}; one not given is derived from its images file's name
 * ({@link #derivedLabelsPath}).
 *
 * <p>Read on the driver, not by the executors: IDX data sets are small (MNIST's 60,000 training
 * images are 47 MB) and a gzip file cannot be split. The driver reads each file once, through
 * Hadoop's FileSystem (so a file on the driver's own disk works on a cluster too), and hands the
 * raw bytes, one per pixel, to Spark in consecutive chunks, one broadcast per chunk and one
 * partition per chunk; the executors turn a chunk into rows of doubles (eight bytes a pixel) as the
 * rows are consumed, so the driver never holds the doubles. The chunks are as many as Spark's
 * default parallelism, more where one would exceed {@link #MAX_CHUNK_BYTES}, and at most one per
 * image.
 *
 * <p>Broadcasts, not a parallelized collection of the chunks: a partition of a parallelized
 * collection carries its data, and every task over the data's lineage carries that partition, so
 * every pass over the cached blocks would ship all the bytes again (Spark warned of 23 MB tasks on
 * MNIST). A task now carries a chunk index, and an executor fetches a chunk once. The broadcasts
 * live as long as the returned frames are referenced (they may be recomputed from them) and are
 * then removed by Spark's ContextCleaner; until then the driver's block manager holds each chunk
 * (as an object and as compressed pieces). Runs no Spark job.
 */
final class IdxSource {
  /**
   * The largest chunk of pixel bytes (unless one image is larger): enough for MNIST in two chunks
   * (47 MB), small enough that a task's bytes are a small part of an executor's memory and that a
   * large data set spreads over many partitions even where the default parallelism is small.
   */
  static final int MAX_CHUNK_BYTES = 32 << 20;

  private IdxSource() {}

  static TrainingData load(SparkSession spark, DataSpec spec) {
    if (DistributedFolds.sparkContext(spark).isEmpty()) {
      throw new DataValidationException("data.format = idx reads " + spec.path() + " on the driver "
          + "and hands it to the executors as broadcasts, which a Spark Connect session does not "
          + "offer: convert the images to libsvm or parquet (jobs/fetch-mnist.sh writes libsvm)");
    }
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    int parallelism = spark.sparkContext().defaultParallelism();
    ImageSet train = ImageSet.read(conf, spec.path(), spec.labelsPath(), "data.labelsPath",
        parallelism);
    int d = train.rows() * train.cols();
    if (spec.numFeatures() > 0 && spec.numFeatures() != d) {
      throw new DataValidationException("numFeatures " + spec.numFeatures() + " does not match the "
          + train.shape() + " pixels of the images in " + train.images());
    }
    Optional<ImageSet> test = spec.testPath().map(p -> ImageSet.read(conf, p,
        spec.testLabelsPath(), "data.testLabelsPath", parallelism));
    if (test.isPresent() && !test.get().shape().equals(train.shape())) {
      throw new DataValidationException("the test images in " + test.get().images() + " have "
          + test.get().shape() + " pixels, the training images in " + train.images() + " "
          + train.shape());
    }
    LabelMapping mapping = spec.labelKind() == LabelKind.REAL
        ? LabelMapping.real()
        : LabelMapping.ofNumbers(train.labelValues(), spec.labelKind(), spec.maxClasses(),
            spec.positiveLabel(), train.labels().toString());
    test.ifPresent(t -> {
      for (double label : t.labelValues()) {
        if (Double.isNaN(mapping.map(label))) {
          throw new DataValidationException(t.labels() + ": label "
              + LabelMapping.format(label, false) + " is not one of the training labels ("
              + mapping.describe() + ")");
        }
      }
    });
    double[] labelOf = new double[256];
    for (int b = 0; b < labelOf.length; b++) {
      labelOf[b] = mapping.map(b);
    }
    Dataset<Row> trainRows = frame(spark, train.chunks(), labelOf);
    Optional<Dataset<Row>> testRows = test.map(t -> frame(spark, t.chunks(), labelOf));
    String description = "idx " + train.images() + " (labels " + train.labels().getName() + "): "
        + train.count() + " images of " + train.shape() + " = " + d + " features, labels "
        + mapping.describe()
        + test.map(t -> "; test " + t.images() + ": " + t.count() + " images").orElse("");
    return DataLoader.ofMappedRows(trainRows, testRows, d, mapping, description, spec);
  }

  /**
   * The labels file of an images file by the standard naming: in the file's name (not in its
   * directory) "images" becomes "labels" and "idx3" becomes "idx1", so
   * {@code train-images-idx3-ubyte -> train-labels-idx1-ubyte},
   * {@code t10k-images-idx3-ubyte.gz -> t10k-labels-idx1-ubyte.gz} and
   * {@code train-images.idx3-ubyte -> train-labels.idx1-ubyte}; empty when the name lacks either.
   */
  static Optional<Path> derivedLabelsPath(Path images) {
    String name = images.getName();
    if (!name.contains("images") || !name.contains("idx3")) {
      return Optional.empty();
    }
    String path = images.toString();
    String directory = path.substring(0, path.length() - name.length());
    return Optional.of(
        new Path(directory + name.replace("images", "labels").replace("idx3", "idx1")));
  }

  /** The rows of {@code chunks}: one broadcast and one partition per chunk, in order. */
  private static Dataset<Row> frame(SparkSession spark, List<Chunk> chunks, double[] labelOf) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    List<Broadcast<Chunk>> shared = new ArrayList<>();
    List<Integer> indices = new ArrayList<>();
    for (Chunk c : chunks) {
      indices.add(shared.size());
      shared.add(jsc.broadcast(c));
    }
    JavaRDD<Row> rows = jsc.parallelize(indices, indices.size())
        .flatMap(i -> shared.get(i).value().rows(labelOf));
    return spark.createDataFrame(rows, TrainingData.SCHEMA);
  }

  /**
   * One data set as the driver read it: its two files, the images' shape, their bytes in chunks
   * and the distinct label values.
   */
  private record ImageSet(Path images, Path labels, int count, int rows, int cols,
      List<Chunk> chunks, SortedSet<Double> labelValues) {

    /**
     * Reads the images file {@code path} and its labels file whole.
     *
     * @param labelsPath the labels file if given, else derived from {@code path}
     * @param labelsKey the configuration key of {@code labelsPath}, for messages
     * @param parallelism the least number of chunks (unless there are fewer images)
     */
    static ImageSet read(Configuration conf, String path, Optional<String> labelsPath,
        String labelsKey, int parallelism) {
      Path images = new Path(path);
      Path labels = labelsPath.map(Path::new).orElseGet(() -> derivedLabelsPath(images)
          .orElseThrow(() -> new DataValidationException("cannot derive the labels file of "
              + images + " from its name (it has no 'images' and 'idx3' to replace); set "
              + labelsKey)));
      String labelsMissing = "labels file " + labels + (labelsPath.isPresent()
          ? " given by " + labelsKey + " does not exist"
          : " (derived from " + images.getName() + ") does not exist; set " + labelsKey);
      try (IdxFile x = IdxFile.open(conf, images, IdxFile.IMAGES_MAGIC,
              "cannot read " + images + ": no such file");
          IdxFile y = IdxFile.open(conf, labels, IdxFile.LABELS_MAGIC, labelsMissing)) {
        if (x.count() != y.count()) {
          throw new DataValidationException(images + " has " + x.count() + " images but "
              + labels + " has " + y.count() + " labels");
        }
        if (x.count() == 0) {
          throw new DataValidationException("no images in " + images);
        }
        byte[] labelBytes = new byte[y.count()];
        y.read(labelBytes);
        y.requireEnd();
        SortedSet<Double> values = new TreeSet<>();
        for (byte b : labelBytes) {
          values.add((double) (b & 0xff));
        }
        List<Chunk> chunks = readChunks(x, labelBytes, parallelism);
        x.requireEnd();
        return new ImageSet(images, labels, x.count(), x.rows(), x.cols(), chunks, values);
      }
    }

    /** The images of {@code x} and their labels in consecutive chunks of equal size. */
    private static List<Chunk> readChunks(IdxFile x, byte[] labels, int parallelism) {
      int n = x.count();
      int d = x.itemBytes();
      long bytes = (long) n * d;
      long chunks =
          Math.min(n, Math.max(parallelism, (bytes + MAX_CHUNK_BYTES - 1) / MAX_CHUNK_BYTES));
      int chunkRows = (int) ((n + chunks - 1) / chunks);
      List<Chunk> out = new ArrayList<>();
      for (int start = 0; start < n; start += chunkRows) {
        int m = Math.min(chunkRows, n - start);
        byte[] pixels = new byte[m * d];
        x.read(pixels);
        out.add(new Chunk(Arrays.copyOfRange(labels, start, start + m), pixels));
      }
      return out;
    }

    /** "28 x 28". */
    String shape() {
      return rows + " x " + cols;
    }
  }

  /**
   * Consecutive images as raw bytes with their label bytes: the rows of one partition. A final
   * class, not a record: a broadcast travels through Spark's serializer, which may be Kryo, and
   * Kryo 4 cannot serialize records on Java 17.
   */
  static final class Chunk implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] labels;
    private final byte[] pixels;

    /**
     * @param labels one byte per image; kept, not copied
     * @param pixels the images' bytes, {@code labels.length x d}; kept, not copied
     */
    Chunk(byte[] labels, byte[] pixels) {
      this.labels = labels;
      this.pixels = pixels;
    }

    /**
     * The rows of this chunk, built as they are consumed: label {@code labelOf[label byte]},
     * features {@code pixel / 255.0}, weight 1.
     *
     * @param labelOf the label of each byte value 0..255. Not modified.
     */
    Iterator<Row> rows(double[] labelOf) {
      int d = pixels.length / labels.length;
      return new Iterator<>() {
        private int i;

        @Override
        public boolean hasNext() {
          return i < labels.length;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          double[] x = new double[d];
          int offset = i * d;
          for (int j = 0; j < d; j++) {
            x[j] = (pixels[offset + j] & 0xff) / 255.0;
          }
          return RowFactory.create(labelOf[labels[i++] & 0xff], new DenseVector(x), 1.0);
        }
      };
    }
  }
}
