package dev.sparknewton.cli

import java.nio.file.{Files, Path}
import org.apache.hadoop.conf.Configuration
import org.scalatest.funsuite.AnyFunSuite

/**
 * Unknown configuration keys anywhere, and what `output.overwrite` may replace: both refused in
 * one line before Spark starts (no Spark session is needed for any test here).
 */
class ConfigAndOutputSuite extends AnyFunSuite {

  private def withTempDir(body: Path => Unit): Unit = {
    val dir = Files.createTempDirectory("config-output")
    try body(dir)
    finally Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p => p.toFile.delete())
  }

  private def configError(args: String*): String =
    intercept[IllegalArgumentException](JobConfig.fromArguments(java.util.Arrays.asList(args: _*))).getMessage

  test("an unknown key is an error wherever it is, with the nearest known key as a suggestion") {
    assert(configError("regParam=0.1") ==
      "unknown configuration key 'regParam' (from the command line); did you mean model.regParam?")
    assert(configError("solver.nmae=newton-cg") ==
      "unknown configuration key 'solver.nmae' (from the command line); did you mean solver.name?")
    assert(configError("foo.bar=1") == "unknown configuration key 'foo.bar' (from the command line)")
    assert(configError("solver.maxiter=5").endsWith("did you mean solver.maxIter?"))
    withTempDir { dir =>
      val conf = dir.resolve("job.conf")
      Files.writeString(conf, "maxIter = 5\nsolver { tol = 1e-6 }\n")
      assert(configError(conf.toString) ==
        s"unknown configuration key 'maxIter' (from $conf); did you mean solver.maxIter?")
      Files.writeString(conf, "extra { seed = 3 }\n")
      assert(configError(conf.toString).startsWith("unknown configuration key 'extra.seed'"))
    }
  }

  test("a helper key that a substitution of the file uses is allowed, and may be overridden") {
    withTempDir { dir =>
      val conf = dir.resolve("job.conf")
      Files.writeString(conf, "cache.dir = \"/data\"\ndata { path = ${cache.dir}\"/a9a\" }\n")
      assert(JobConfig.fromArguments(java.util.List.of(conf.toString)).string("data.path") == "/data/a9a")
      val overridden = JobConfig.fromArguments(java.util.List.of(conf.toString, "cache.dir=/other"))
      assert(overridden.string("data.path") == "/other/a9a")
      // Not used by any substitution: a typo, not a helper.
      Files.writeString(conf, "cache.dir = \"/data\"\ndata { path = \"/data/a9a\" }\n")
      assert(configError(conf.toString).startsWith("unknown configuration key 'cache.dir'"))
    }
    // The shipped configurations use such helpers.
    val shipped = new java.io.File(System.getProperty("user.dir"), "conf").listFiles()
      .filter(_.getName.endsWith(".conf"))
    assert(shipped.length > 5)
    shipped.foreach(f => JobConfig.fromArguments(java.util.List.of(f.getPath)))
  }

  test("the train command refuses an unknown key in one line, exit 2") {
    val r = CliRun("train", "regParam=0.1")
    assert(r.code == 2 && r.errorLines == List(
      "error: unknown configuration key 'regParam' (from the command line); did you mean model.regParam?"))
  }

  private val hadoop = new Configuration()

  private def prepareError(dir: Path, inputs: Seq[String]): String =
    intercept[IllegalArgumentException](AtomicOutputDirectory.prepare(
      dir.toString, true, java.util.List.of(inputs: _*), hadoop)).getMessage

  private def writeOutput(dir: Path): Unit =
    AtomicOutputDirectory.prepare(dir.toString, true, java.util.List.of(), hadoop)
      .write((fs, tmp) => AtomicOutputDirectory.writeText(fs, new org.apache.hadoop.fs.Path(tmp, "summary.json"), "{}"))

  test("output.overwrite replaces a previous output of this tool, and nothing else") {
    withTempDir { dir =>
      // A previous output (it has the marker file) is replaced.
      val out = dir.resolve("run")
      writeOutput(out)
      assert(Files.exists(out.resolve(AtomicOutputDirectory.MARKER)))
      Files.writeString(out.resolve("stale.txt"), "old")
      writeOutput(out)
      assert(!Files.exists(out.resolve("stale.txt")) && Files.exists(out.resolve("summary.json")))

      // A folder holding the input (the data file, or a glob under it) is never replaced.
      val data = dir.resolve("data")
      Files.createDirectory(data)
      Files.writeString(data.resolve("train.txt"), "+1 1:1\n")
      Files.writeString(data.resolve(AtomicOutputDirectory.MARKER), "")
      for (input <- Seq(data.resolve("train.txt").toString, data.toString, s"$data/*.txt",
          s"file:$data/train.txt")) {
        assert(prepareError(data, Seq(input)) == s"output.dir $data holds the input $input; " +
          "output.overwrite never replaces it: choose another output.dir", input)
      }
      // A folder that is not an output of this tool.
      val other = dir.resolve("photos")
      Files.createDirectory(other)
      Files.writeString(other.resolve("keep.jpg"), "x")
      assert(prepareError(other, Seq()).startsWith(s"output.dir $other is not an output of spark-newton"))
      // A regular file.
      val file = dir.resolve("notes.txt")
      Files.writeString(file, "x")
      assert(prepareError(file, Seq()).startsWith(s"output.dir $file is a file, not an output directory"))
      // Nothing refused was touched.
      assert(Files.readString(data.resolve("train.txt")) == "+1 1:1\n")
      assert(Files.exists(other.resolve("keep.jpg")) && Files.readString(file) == "x")
    }
  }

  test("the train command refuses to overwrite the folder of its input, before Spark starts") {
    withTempDir { dir =>
      val data = dir.resolve("data")
      Files.createDirectory(data)
      val train = data.resolve("train.txt")
      Files.writeString(train, "+1 1:1\n-1 1:-1\n")
      Files.writeString(dir.resolve("beside.txt"), "unrelated")
      val r = CliRun("train", "data.format=libsvm", s"data.path=$train", s"output.dir=$data",
        "output.overwrite=true")
      assert(r.code == 2 && r.errorLines == List(s"error: output.dir $data holds the input $train; " +
        "output.overwrite never replaces it: choose another output.dir"), r.stderr)
      assert(Files.readString(train) == "+1 1:1\n-1 1:-1\n")
      assert(Files.readString(dir.resolve("beside.txt")) == "unrelated")
    }
  }

  test("an unwritable output.dir is one line and exit 2, before Spark starts") {
    val r = CliRun("train", "output.dir=/proc/spark-newton-test/run")
    assert(r.code == 2, r.stderr)
    assert(r.errorLines == List("error: output.dir /proc/spark-newton-test/run is not writable: " +
      "cannot create a directory in file:/proc"), r.stderr)
    assert(r.stderr.linesIterator.size == 1, r.stderr)
    assert(r.stdout.isEmpty, "no data loaded, nothing fitted")
  }
}
