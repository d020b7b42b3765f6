package dev.sparknewton.data

import com.fasterxml.jackson.databind.ObjectMapper
import dev.sparknewton.SharedSpark
import dev.sparknewton.cli.CliRun
import dev.sparknewton.data.DataFiles._
import java.io.{ByteArrayOutputStream, DataOutputStream, File, FileOutputStream, ObjectOutputStream, OutputStream}
import java.nio.file.Files
import java.util.zip.GZIPOutputStream
import org.apache.hadoop.fs.Path
import org.apache.spark.ml.linalg.{Vector => MlVector}
import org.apache.spark.sql.{Dataset, Row}
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.jdk.OptionConverters._
import scala.util.Random

/**
 * The IDX loader on tiny IDX files written here (plain and gzip-compressed), every error it
 * reports, the same images through the LIBSVM loader, and the real MNIST files when
 * jobs/fetch-mnist.sh has put them in the cache.
 */
class IdxSuite extends AnyFunSuite with SharedSpark {

  /** Images of `rows x cols` unsigned bytes with a label byte each. */
  private case class Images(rows: Int, cols: Int, pixels: Seq[Array[Byte]], labels: Seq[Byte]) {
    def d: Int = rows * cols
    def n: Int = pixels.size
  }

  /**
   * `n` seeded images of 3 x 4: the first half nearly full, the second half mostly zero (so blocks
   * of both forms occur), with the extreme bytes 0, 128 and 255 in every image.
   */
  private def images(n: Int, labels: Seq[Int], seed: Long): Images = {
    val rnd = new Random(seed)
    val pixels = (0 until n).map { i =>
      val zeroChance = if (i < n / 2) 0.05 else 0.8
      val p = Array.fill(12)(if (rnd.nextDouble() < zeroChance) 0 else 1 + rnd.nextInt(255))
      p(i % 12) = 255
      p((i + 5) % 12) = 128
      p.map(_.toByte)
    }
    Images(3, 4, pixels, (0 until n).map(i => labels(i % labels.size).toByte))
  }

  private val sample = images(7, Seq(3, 0, 7, 3, 9, 0, 7), 11L)

  private def imagesBytes(im: Images): Array[Byte] =
    header(0x803, im.n, im.rows, im.cols) ++ im.pixels.flatten

  private def labelsBytes(im: Images): Array[Byte] = header(0x801, im.labels.size) ++ im.labels

  private def header(ints: Int*): Array[Byte] = {
    val bytes = new ByteArrayOutputStream()
    val out = new DataOutputStream(bytes) // big-endian, as IDX
    ints.foreach(out.writeInt)
    out.close()
    bytes.toByteArray
  }

  /** Writes `bytes` to `dir/name`, gzip-compressed (java.util.zip, not Hadoop) when `gzip`. */
  private def writeBytes(dir: File, name: String, bytes: Array[Byte], gzip: Boolean = false): File = {
    val file = new File(dir, name)
    val out: OutputStream =
      if (gzip) new GZIPOutputStream(new FileOutputStream(file)) else new FileOutputStream(file)
    try out.write(bytes) finally out.close()
    file
  }

  /** Writes the images and labels under the standard names with `prefix` ("train", "t10k"). */
  private def writeIdx(dir: File, im: Images, prefix: String = "train", gzip: Boolean = false): File = {
    val suffix = if (gzip) ".gz" else ""
    writeBytes(dir, s"$prefix-labels-idx1-ubyte$suffix", labelsBytes(im), gzip)
    writeBytes(dir, s"$prefix-images-idx3-ubyte$suffix", imagesBytes(im), gzip)
  }

  private def load(spec: DataSpec): TrainingData = DataLoader.load(spark, spec)

  private def loadError(spec: DataSpec): String =
    intercept[DataValidationException](load(spec)).getMessage

  private def rows(df: Dataset[Row]): Seq[(Double, Seq[Double], Double)] =
    df.collect().toSeq.map(r => (r.getDouble(0), r.getAs[MlVector](1).toArray.toSeq, r.getDouble(2)))

  /** The rows `im` should give with `classOf` mapping a raw label byte to its class. */
  private def expected(im: Images, classOf: Int => Double): Seq[(Double, Seq[Double], Double)] =
    im.pixels.indices.map { i =>
      (classOf(im.labels(i) & 0xff), im.pixels(i).toSeq.map(b => (b & 0xff) / 255.0), 1.0)
    }

  private val sampleClass = Map(0 -> 0.0, 3 -> 1.0, 7 -> 2.0, 9 -> 3.0)

  test("features are pixel / 255 as dense vectors, labels the mapped bytes, rows in file order") {
    withTempDir { dir =>
      val data = load(DataSpec.idx(writeIdx(dir, sample).getPath))
      assert(data.numFeatures == 12)
      assert(data.featureNames.isEmpty && data.test.isEmpty)
      assert(data.labels.kind == LabelKind.MULTICLASS)
      assert(data.labels.describe == "0 -> 0, 3 -> 1, 7 -> 2, 9 -> 3")
      val got = rows(data.train)
      assert(got == expected(sample, sampleClass))
      assert(got.flatMap(_._2).contains(1.0) && got.flatMap(_._2).contains(128 / 255.0))
      assert(data.train.collect().forall(_.get(1).isInstanceOf[org.apache.spark.ml.linalg.DenseVector]))
      // Consecutive chunks, one per partition: local[2] gives two.
      assert(data.train.rdd.getNumPartitions == 2)
      assert(data.description == s"idx ${dir.getPath}/train-images-idx3-ubyte " +
        "(labels train-labels-idx1-ubyte): 7 images of 3 x 4 = 12 features, " +
        "labels 0 -> 0, 3 -> 1, 7 -> 2, 9 -> 3")
    }
  }

  test("a task over the rows carries a chunk index, not the chunk's bytes") {
    withTempDir { dir =>
      val rnd = new Random(3L)
      val big = Images(28, 28, Seq.fill(200)(Array.fill(784)(rnd.nextInt(256).toByte)), Seq.tabulate(200)(i => (i % 2).toByte))
      val data = load(DataSpec.idx(writeIdx(dir, big).getPath))
      val blocks = Blockifier.blockify(data.train, 784, 1.0, 0)
      assert(blocks.getNumPartitions == 2)
      // 78,400 bytes of pixels per chunk; a partition of a parallelized collection of the chunks
      // would serialize to more than that.
      blocks.partitions.asScala.foreach(p => assert(serialized(p).length < 2000))
      assert(blocks.count() > 0)
    }
  }

  test("label bytes are unsigned and any value is a class; two values make binary labels") {
    withTempDir { dir =>
      val wide = sample.copy(labels = Seq(0, 200, 255, 9, 200, 0, 9).map(_.toByte))
      val data = load(DataSpec.idx(writeIdx(dir, wide).getPath))
      assert(data.labels.describe == "0 -> 0, 9 -> 1, 200 -> 2, 255 -> 3")
      assert(rows(data.train).map(_._1) == Seq(0.0, 2.0, 3.0, 1.0, 2.0, 0.0, 1.0))
    }
    withTempDir { dir =>
      val two = sample.copy(labels = Seq(4, 8, 8, 4, 4, 8, 8).map(_.toByte))
      val data = load(DataSpec.idx(writeIdx(dir, two).getPath))
      assert(data.labels.kind == LabelKind.BINARY && data.labels.describe == "4 -> 0, 8 -> 1")
      assert(rows(data.train).map(_._1) == Seq(0.0, 1.0, 1.0, 0.0, 0.0, 1.0, 1.0))
    }
  }

  test("gzip-compressed files read the same; test data keep the training labels' mapping") {
    withTempDir { dir =>
      val train = writeIdx(dir, sample, gzip = true)
      val testImages = sample.copy(pixels = sample.pixels.take(3).reverse, labels = Seq(9, 0, 9).map(_.toByte))
      val test = writeIdx(dir, testImages, prefix = "t10k", gzip = true)
      val data = load(DataSpec.idx(train.getPath).withTestPath(test.getPath))
      assert(rows(data.train) == expected(sample, sampleClass))
      assert(rows(data.test.get) == expected(testImages, sampleClass))
      assert(data.description.endsWith(s"; test ${test.getPath}: 3 images"))
    }
  }

  test("the labels path is derived from the images file's name, in its directory only") {
    def derived(images: String): Option[String] =
      IdxSource.derivedLabelsPath(new Path(images)).toScala.map(_.toString)
    assert(derived("/data/train-images-idx3-ubyte").contains("/data/train-labels-idx1-ubyte"))
    assert(derived("/data/t10k-images-idx3-ubyte.gz").contains("/data/t10k-labels-idx1-ubyte.gz"))
    assert(derived("train-images.idx3-ubyte").contains("train-labels.idx1-ubyte"))
    assert(derived("hdfs://nn:8020/images-idx3/t10k-images-idx3-ubyte")
      .contains("hdfs://nn:8020/images-idx3/t10k-labels-idx1-ubyte"))
    assert(derived("/data/images.bin").isEmpty)
    assert(derived("/images-idx3/digits.bin").isEmpty)
  }

  test("labelsPath and testLabelsPath name labels files the naming rule cannot find") {
    withTempDir { dir =>
      val images = writeBytes(dir, "digits.img", imagesBytes(sample))
      val labels = writeBytes(dir, "digits.lbl", labelsBytes(sample))
      assert(loadError(DataSpec.idx(images.getPath)) == s"cannot derive the labels file of " +
        s"${images.getPath} from its name (it has no 'images' and 'idx3' to replace); set data.labelsPath")
      val data = load(spec(images.getPath, "idx", labelsPath = Some(labels.getPath),
        testPath = Some(images.getPath), testLabelsPath = Some(labels.getPath)))
      assert(rows(data.train) == expected(sample, sampleClass))
      assert(rows(data.test.get) == rows(data.train))
      val missing = new File(dir, "none.lbl").getPath
      assert(loadError(spec(images.getPath, "idx", labelsPath = Some(missing))) ==
        s"labels file $missing given by data.labelsPath does not exist")
      assert(loadError(spec(images.getPath, "idx", labelsPath = Some(labels.getPath),
          testPath = Some(images.getPath), testLabelsPath = Some(missing))) ==
        s"labels file $missing given by data.testLabelsPath does not exist")
    }
  }

  test("missing files, wrong magic numbers and headers are one-line errors naming the file") {
    withTempDir { dir =>
      val images = writeIdx(dir, sample).getPath
      val labels = new File(dir, "train-labels-idx1-ubyte").getPath
      val nope = new File(dir, "nope-images-idx3-ubyte").getPath
      assert(loadError(DataSpec.idx(nope)) == s"cannot read $nope: no such file")
      val t10k = writeBytes(dir, "t10k-images-idx3-ubyte", imagesBytes(sample)).getPath
      assert(loadError(DataSpec.idx(images).withTestPath(t10k)) ==
        s"labels file ${dir.getPath}/t10k-labels-idx1-ubyte (derived from t10k-images-idx3-ubyte) " +
          "does not exist; set data.testLabelsPath")
      // The files swapped: each has the other's magic number.
      assert(loadError(spec(labels, "idx", labelsPath = Some(images))) ==
        s"$labels: magic number 0x00000801 (idx1-ubyte labels), expected 0x00000803 (idx3-ubyte images)")
      writeBytes(dir, "x-images-idx3-ubyte", imagesBytes(sample))
      writeBytes(dir, "x-labels-idx1-ubyte", imagesBytes(sample))
      assert(loadError(DataSpec.idx(new File(dir, "x-images-idx3-ubyte").getPath)) ==
        s"${dir.getPath}/x-labels-idx1-ubyte: magic number 0x00000803 (idx3-ubyte images), " +
          "expected 0x00000801 (idx1-ubyte labels)")
      val zipped = writeBytes(dir, "z-images-idx3-ubyte", imagesBytes(sample), gzip = true).getPath
      assert(loadError(DataSpec.idx(zipped)) == s"$zipped: magic number 0x1f8b0800, expected " +
        "0x00000803 (idx3-ubyte images); the file looks gzip-compressed: name it *.gz")
      val other = writeBytes(dir, "o-images-idx3-ubyte", header(0x80d, 1, 1, 1) ++ Array[Byte](0, 0, 0, 0)).getPath
      assert(loadError(DataSpec.idx(other)) ==
        s"$other: magic number 0x0000080d, expected 0x00000803 (idx3-ubyte images)")
      val short = writeBytes(dir, "s-images-idx3-ubyte", imagesBytes(sample).take(10)).getPath
      assert(loadError(DataSpec.idx(short)) == s"$short: expected an IDX header of 16 bytes, found 10")
      val empty = writeBytes(dir, "e-images-idx3-ubyte", Array.emptyByteArray).getPath
      assert(loadError(DataSpec.idx(empty)) == s"$empty: expected an IDX header of 16 bytes, found 0")
      val flat = writeBytes(dir, "f-images-idx3-ubyte", header(0x803, 1, 0, 4)).getPath
      assert(loadError(DataSpec.idx(flat)) == s"$flat: the header gives images of 0 x 4 pixels")
      val negative = writeBytes(dir, "n-images-idx3-ubyte", header(0x803, -2, 3, 4)).getPath
      assert(loadError(DataSpec.idx(negative)) == s"$negative: the header gives a negative count, -2")
    }
  }

  for (gzip <- Seq(false, true)) {
    test(s"truncated and overlong files and mismatched counts are errors (gzip $gzip)") {
      withTempDir { dir =>
        val gz = if (gzip) ".gz" else ""
        val full = imagesBytes(sample)
        val size = 16 + 7 * 12
        assert(full.length == size)
        /** The error for these images bytes, without the "path: " it starts with. */
        def imagesError(bytes: Array[Byte]): String = {
          val images = writeBytes(dir, s"train-images-idx3-ubyte$gz", bytes, gzip).getPath
          writeBytes(dir, s"train-labels-idx1-ubyte$gz", labelsBytes(sample), gzip)
          val message = loadError(DataSpec.idx(images))
          assert(message.startsWith(s"$images: "), message)
          message.drop(images.length + 2)
        }
        assert(imagesError(full.dropRight(5)) ==
          s"expected $size bytes (16 of header, 7 images of 3 x 4), found ${size - 5} (truncated)")
        assert(imagesError(full.take(16)) ==
          s"expected $size bytes (16 of header, 7 images of 3 x 4), found 16 (truncated)")
        assert(imagesError(full ++ Array[Byte](1, 2, 3)) ==
          s"expected $size bytes (16 of header, 7 images of 3 x 4), found ${size + 3}")
        val images = writeBytes(dir, s"train-images-idx3-ubyte$gz", full, gzip).getPath
        val labels = s"${dir.getPath}/train-labels-idx1-ubyte$gz"
        writeBytes(dir, s"train-labels-idx1-ubyte$gz", labelsBytes(sample).dropRight(1), gzip)
        assert(loadError(DataSpec.idx(images)) ==
          s"$labels: expected 15 bytes (8 of header, 7 labels), found 14 (truncated)")
        writeBytes(dir, s"train-labels-idx1-ubyte$gz", header(0x801, 6) ++ sample.labels.take(6), gzip)
        assert(loadError(DataSpec.idx(images)) == s"$images has 7 images but $labels has 6 labels")
        writeBytes(dir, s"train-images-idx3-ubyte$gz", header(0x803, 0, 3, 4), gzip)
        writeBytes(dir, s"train-labels-idx1-ubyte$gz", header(0x801, 0), gzip)
        assert(loadError(DataSpec.idx(images)) == s"no images in $images")
      }
    }
  }

  test("numFeatures, the test images' shape, test labels and weights are checked") {
    withTempDir { dir =>
      val train = writeIdx(dir, sample).getPath
      assert(loadError(spec(train, "idx", numFeatures = 10)) ==
        s"numFeatures 10 does not match the 3 x 4 pixels of the images in $train")
      assert(load(spec(train, "idx", numFeatures = 12)).numFeatures == 12)
      val wide = sample.copy(rows = 4, cols = 3)
      val test = writeIdx(dir, wide, prefix = "t10k").getPath
      // Same pixel count, other shape: still an error, the images would not line up.
      assert(loadError(DataSpec.idx(train).withTestPath(test)) == s"the test images in $test " +
        s"have 4 x 3 pixels, the training images in $train 3 x 4")
      val unknown = writeIdx(dir, sample.copy(labels = Seq(3, 5, 7, 3, 9, 0, 7).map(_.toByte)),
        prefix = "t10k").getPath
      assert(loadError(DataSpec.idx(train).withTestPath(unknown)) ==
        s"${dir.getPath}/t10k-labels-idx1-ubyte: label 5 is not one of the training labels " +
          "(0 -> 0, 3 -> 1, 7 -> 2, 9 -> 3)")
      // Refused when the spec is made, before Spark reads anything.
      assert(intercept[DataValidationException](spec(train, "idx", weightCol = Some("w"))).getMessage
        .startsWith("weightCol 'w' does not apply to idx data (every image has weight 1"))
      val e = intercept[DataValidationException](spec(train, "libsvm", labelsPath = Some(train)))
      assert(e.getMessage == "labelsPath and testLabelsPath apply to format idx only, not to libsvm")
    }
  }

  test("testFraction splits the rows into train and test") {
    withTempDir { dir =>
      val many = images(40, Seq(1, 2), 5L)
      val data = load(spec(writeIdx(dir, many).getPath, "idx", testFraction = 0.3, seed = 7L))
      val (train, test) = (rows(data.train), rows(data.test.get))
      assert(train.size + test.size == 40 && test.nonEmpty && train.nonEmpty)
      assert((train ++ test).sortBy(_.toString) == expected(many, b => b - 1.0).sortBy(_.toString))
      assert(data.description.endsWith("; test: a 0.3 random split (seed 7)"))
    }
  }

  test("the same images as LIBSVM text give the same rows and the same blocks") {
    withTempDir { dir =>
      val im = images(60, Seq(0, 1, 2, 3, 4, 5, 6, 7, 8, 9), 17L)
      val idx = load(DataSpec.idx(writeIdx(dir, im).getPath))
      // Double.toString is the shortest decimal that parses back to the same double.
      val text = im.pixels.indices.map { i =>
        ((im.labels(i) & 0xff).toString +: im.pixels(i).indices.collect {
          case j if im.pixels(i)(j) != 0 => s"${j + 1}:${(im.pixels(i)(j) & 0xff) / 255.0}"
        }).mkString(" ")
      }
      val libsvm = load(DataSpec.libsvm(write(dir, "images.libsvm", text).getPath, 12))
      assert(idx.labels.describe == libsvm.labels.describe)
      assert(rows(idx.train) == rows(libsvm.train))
      // 60 rows of 3 x 4 in blocks of at most 524 bytes: dense and sparse blocks both occur.
      def blocks(data: TrainingData): Seq[RowBlock] =
        Blockifier.blockify(data.train.coalesce(1), 12, 0.0005, 0).collect().asScala.toSeq
      val (a, b) = (blocks(idx), blocks(libsvm))
      assert(a.exists(_.isInstanceOf[DenseRowBlock]) && a.exists(_.isInstanceOf[SparseRowBlock]))
      assert(a.size == b.size && a.size > 2)
      a.zip(b).foreach { case (x, y) => assert(serialized(x).sameElements(serialized(y)), s"block ${x.id}") }
    }
  }

  private def serialized(value: AnyRef): Array[Byte] = {
    val bytes = new ByteArrayOutputStream()
    val out = new ObjectOutputStream(bytes)
    out.writeObject(value)
    out.close()
    bytes.toByteArray
  }

  test("train with data.format = idx picks multinomial logistic regression for ten digits") {
    withTempDir { dir =>
      val im = images(50, 0 to 9, 23L)
      val train = writeIdx(dir, im, gzip = true)
      val test = writeIdx(dir, im, prefix = "t10k")
      val out = new File(dir, "run")
      val r = CliRun("train", "data.format=idx", s"data.path=${train.getPath}",
        s"data.testPath=${test.getPath}", "model.regParam=0.1", s"output.dir=${out.getPath}")
      assert(r.code == 0, r.stderr)
      val json = new ObjectMapper()
      val model = json.readTree(new File(out, "model.json"))
      assert(model.get("type").asText() == "multinomial-logistic" && model.get("numOutputs").asInt() == 10)
      val summary = json.readTree(new File(out, "summary.json"))
      assert(summary.get("n").asLong() == 50 && summary.get("d").asInt() == 12)
      assert(summary.get("test").get("rows").asLong() == 50)
    }
  }

  /** The cache directory of jobs/fetch-mnist.sh and jobs/fetch-fashion-mnist.sh. */
  private val cache = new File(sys.env.getOrElse("SPARK_NEWTON_DATA",
    sys.props("user.home") + "/.cache/spark-newton"))

  // Images per class (MNIST's well-known digit counts; Fashion-MNIST is balanced) and the label of
  // the first training image (a 5 on LeCun's page; an ankle boot, class 9, in Zalando's README).
  for ((name, script, trainCounts, testCounts, firstLabel) <- Seq(
      ("mnist", "fetch-mnist.sh", Seq(5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949),
        Seq(980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009), 5.0),
      ("fashion-mnist", "fetch-fashion-mnist.sh", Seq.fill(10)(6000), Seq.fill(10)(1000), 9.0))) {
    test(s"$name from the cache: 60,000 + 10,000 images of 28 x 28, the known class counts") {
      val dir = new File(cache, name)
      val files = Seq("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
        "t10k-labels-idx1-ubyte").map(new File(dir, _))
      assume(files.forall(_.isFile), s"the $name IDX files are not in $dir (jobs/$script puts them there)")
      val data = load(DataSpec.idx(files(0).getPath).withTestPath(files(2).getPath))
      assert(data.numFeatures == 784 && data.labels.kind == LabelKind.MULTICLASS)
      assert(data.labels.describe == (0 to 9).map(k => s"$k -> $k").mkString(", "))
      def counts(df: Dataset[Row]): Seq[Long] = {
        val byLabel = df.groupBy(TrainingData.LABEL).count().collect()
          .map(r => r.getDouble(0).toInt -> r.getLong(1)).toMap
        (0 to 9).map(byLabel)
      }
      assert(counts(data.train) == trainCounts)
      assert(counts(data.test.get) == testCounts)
      val first = data.train.head()
      assert(first.getDouble(0) == firstLabel)
      assert(first.getAs[MlVector](1).toArray.forall(v => v >= 0 && v <= 1))
    }
  }
}
