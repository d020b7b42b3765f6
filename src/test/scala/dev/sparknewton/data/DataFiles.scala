package dev.sparknewton.data

import java.io.{File, FileOutputStream, OutputStream}
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import java.util.Optional
import org.apache.hadoop.conf.Configuration
import org.apache.hadoop.io.compress.BZip2Codec

/** Small data files in temporary directories for the data suites. */
object DataFiles {

  def withTempDir[T](body: File => T): T = {
    val dir = Files.createTempDirectory("spark-newton-data").toFile
    try body(dir) finally deleteRecursively(dir)
  }

  def write(dir: File, name: String, lines: Seq[String]): File = {
    val file = new File(dir, name)
    writeTo(new FileOutputStream(file), lines)
    file
  }

  /** Writes `lines` bzip2-compressed with Hadoop's codec. */
  def writeBz2(dir: File, name: String, lines: Seq[String]): File = {
    val file = new File(dir, name)
    val codec = new BZip2Codec()
    codec.setConf(new Configuration())
    writeTo(codec.createOutputStream(new FileOutputStream(file)), lines)
    file
  }

  private def writeTo(out: OutputStream, lines: Seq[String]): Unit = {
    try out.write(lines.map(_ + "\n").mkString.getBytes(StandardCharsets.UTF_8))
    finally out.close()
  }

  private def deleteRecursively(f: File): Unit = {
    Option(f.listFiles()).foreach(_.foreach(deleteRecursively))
    f.delete()
  }

  def spec(path: String, format: String, numFeatures: Int = 0, labelCol: String = null,
      featuresCol: String = null, weightCol: Option[String] = None, testPath: Option[String] = None,
      testFraction: Double = 0.0, seed: Long = 0L, delimiter: String = ",",
      positiveLabel: Option[String] = None, labelKind: LabelKind = LabelKind.AUTO,
      maxClasses: Int = DataSpec.DEFAULT_MAX_CLASSES, labelsPath: Option[String] = None,
      testLabelsPath: Option[String] = None): DataSpec =
    new DataSpec(path, format, numFeatures, labelCol, featuresCol, opt(weightCol), opt(testPath),
      testFraction, seed, delimiter, opt(positiveLabel), labelKind, maxClasses, opt(labelsPath),
      opt(testLabelsPath))

  private def opt(o: Option[String]): Optional[String] = o.fold(Optional.empty[String]())(Optional.of(_))
}
