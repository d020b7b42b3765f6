package dev.sparknewton.cli

import breeze.linalg.{eigSym, DenseMatrix}
import dev.sparknewton.SharedSpark
import dev.sparknewton.data.DataFiles
import dev.sparknewton.ml.CompressedHessian
import java.io.{ByteArrayOutputStream, File, PrintStream}
import java.nio.charset.StandardCharsets
import java.nio.file.Files
import javax.imageio.ImageIO
import org.scalatest.funsuite.AnyFunSuite
import scala.util.Random

/**
 * The spectrum command end to end on a small generated libsvm problem, against its dense Hessian
 * computed here independently: H = (1/N) sum_i s_i (1 - s_i) z_i z_i^T + lambda diag(1..1, 0), with
 * s_i = sigma(z_i . w) and z_i = [x_i; 1] when an intercept is fitted.
 */
class SpectrumCommandSuite extends AnyFunSuite with SharedSpark {

  private val d = 6
  private val rowsX: Array[Array[Double]] = {
    val rnd = new Random(21L)
    Array.fill(48)(Array.tabulate(d)(j => if (rnd.nextDouble() < 0.3) 0.0 else rnd.nextGaussian() * (j + 1) / 3.0))
  }
  private val labels: Array[Int] = {
    val rnd = new Random(22L)
    rowsX.map(x => if (x(0) - x(2) + 0.5 * rnd.nextGaussian() > 0) 1 else 0)
  }
  private val regParam = 0.01

  private def libsvmLines: Seq[String] = rowsX.indices.map { i =>
    (labels(i).toString +: rowsX(i).zipWithIndex.collect { case (v, j) if v != 0.0 => s"${j + 1}:$v" }).mkString(" ")
  }

  private def denseHessian(w: Array[Double], intercept: Boolean): DenseMatrix[Double] = {
    val n = if (intercept) d + 1 else d
    val h = DenseMatrix.zeros[Double](n, n)
    for (x <- rowsX) {
      val z = if (intercept) x :+ 1.0 else x
      val m = z.indices.map(j => z(j) * w(j)).sum
      val s = 1.0 / (1.0 + math.exp(-m))
      val c = s * (1 - s) / rowsX.length
      for (a <- 0 until n; b <- 0 until n) h(a, b) += c * z(a) * z(b)
    }
    for (j <- 0 until d) h(j, j) += regParam
    h
  }

  private def run(args: String*): CliRun.Result = {
    spark // the command's getOrCreate must find the shared session (spark.master stays "")
    CliRun(("spectrum" +: args): _*)
  }

  private def printed(out: String, label: String): Double = {
    val line = out.linesIterator.find(_.startsWith(label)).getOrElse(fail(s"no line '$label' in:\n$out"))
    line.substring(line.indexOf(" = ") + 3).trim.split(" ")(0).toDouble
  }

  private def baseArgs(dir: File): Seq[String] = {
    val data = DataFiles.write(dir, "small.libsvm", libsvmLines)
    Seq(s"data.path=${data.getPath}", "data.format=libsvm", s"data.numFeatures=$d",
      s"model.regParam=$regParam", "spark.partitions=3")
  }

  private def byMagnitude(values: Array[Double]): Array[Double] = values.sortBy(v => -math.abs(v))

  test("rank 3 at a model.json: printed captured fractions equal sum(lambda)/trace(H) of the dense Hessian; files") {
    DataFiles.withTempDir { dir =>
      val w = Array(0.7, -0.4, -1.1, 0.25, 0.0, -0.3, 0.2) // 6 coefficients, then the intercept
      val model = DataFiles.write(dir, "model.json", Seq(
        s"""{"type": "binary-logistic", "coefficients": [[${w.take(d).mkString(", ")}]], "intercepts": [${w(d)}]}"""))
      val out = new File(dir, "out")
      val CliRun.Result(code, text, _) = run(baseArgs(dir) ++ Seq("model.fitIntercept=true", s"spectrum.point=${model.getPath}",
        "spectrum.rank=3", s"output.dir=${out.getPath}"): _*)
      assert(code == 0, text)
      val h = denseHessian(w, intercept = true)
      val dense = byMagnitude(eigSym(h).eigenvalues.toArray)
      val traceH = (0 to d).map(j => h(j, j)).sum
      val frobenius2 = h.data.map(x => x * x).sum

      val saved = CompressedHessian.read(spark, new File(out, "hessian").getPath)
      val lambda = saved.eigen().values()
      assert(saved.eigen().dimension() == d + 1 && lambda.length == 3)
      assert(saved.point() == model.getPath && saved.regParam() == regParam && saved.fitIntercept())
      // The sketch (3 + 10 oversampling, capped at 7 columns) spans R^7: the top 3 are exact.
      lambda.indices.foreach(i => assert(math.abs(lambda(i) - dense(i)) <= 1e-10 * math.abs(dense(0))))

      val traceFraction = printed(text, "captured trace fraction:")
      assert(math.abs(traceFraction - lambda.sum / traceH) <= 1e-12 * traceFraction)
      assert(math.abs(traceFraction - dense.take(3).sum / traceH) <= 1e-9)
      assert(traceFraction > 0.0 && traceFraction < 1.0)
      val frobeniusFraction = printed(text, "captured Frobenius fraction:")
      assert(math.abs(frobeniusFraction - lambda.map(x => x * x).sum / frobenius2) <= 1e-12 * frobeniusFraction)
      assert(math.abs(printed(text, "trace(H)") - traceH) <= 1e-9 * traceH)
      assert(text.contains("exact, from the dense 7 x 7 Hessian"))

      val csv = Files.readAllLines(new File(out, "spectrum.csv").toPath)
      assert(csv.get(0) == "index,eigenvalue,abs,sign" && csv.size() == 4)
      (0 until 3).foreach(i => assert(csv.get(i + 1).split(",")(1).toDouble == lambda(i)))
      val png = ImageIO.read(new File(out, "spectrum.png"))
      assert(png != null && png.getWidth == SpectrumOutput.PLOT_WIDTH && png.getHeight == SpectrumOutput.PLOT_HEIGHT)
      assert(new File(out, "summary.json").isFile && new File(out, "config.conf").isFile)
      assert(dir.listFiles().forall(f => !f.getName.startsWith(".out.tmp")))
    }
  }

  test("rank = d at the initial point: the eigenvalues equal the dense ones (Breeze eigSym) to 1e-8, probe path too") {
    DataFiles.withTempDir { dir =>
      val h = denseHessian(new Array[Double](d), intercept = false)
      val dense = byMagnitude(eigSym(h).eigenvalues.toArray)
      val traceH = (0 until d).map(j => h(j, j)).sum
      for ((maxExact, name) <- Seq(("2000", "dense"), ("0", "probes"))) {
        val out = new File(dir, name)
        val CliRun.Result(code, text, _) = run(baseArgs(dir) ++ Seq("model.fitIntercept=false", "spectrum.point=initial",
          s"spectrum.rank=$d", "spectrum.powerIterations=0", s"spectrum.exactNormsMaxDimension=$maxExact",
          s"output.dir=${out.getPath}"): _*)
        assert(code == 0, text)
        val lambda = CompressedHessian.read(spark, new File(out, "hessian").getPath).eigen().values()
        assert(lambda.length == d)
        lambda.indices.foreach(i => assert(math.abs(lambda(i) - dense(i)) <= 1e-8, s"$name eigenvalue $i"))
        // The trace is exact on both paths (dense Hessian, or the diagonal of the gradient pass).
        assert(math.abs(printed(text, "captured trace fraction:") - lambda.sum / traceH) <= 1e-12)
        assert(math.abs(printed(text, "captured trace fraction:") - 1.0) <= 1e-12)
        if (name == "probes") assert(text.contains("estimated from 64 Gaussian probes"))
      }
    }
  }

  test("bad configuration values fail with one line naming the key and leave no output directory") {
    DataFiles.withTempDir { dir =>
      val out = new File(dir, "out")
      val cases = Seq(
        "spectrum.rank=0" -> "spectrum.rank",
        "spectrum.method=lanczos" -> "spectrum.method",
        "spectrum.hessianSampleFraction=1.5" -> "spectrum.hessianSampleFraction",
        "spectrum.point=" + new File(dir, "missing.json").getPath -> "spectrum.point",
        "spectrum.rank=8" -> "spectrum.rank" // > d = 6: found after the data are loaded
      )
      for ((bad, key) <- cases) {
        val result = run(baseArgs(dir) ++ Seq("model.fitIntercept=false", "spectrum.point=initial",
            bad, s"output.dir=${out.getPath}"): _*)
        val message = result.stderr.trim
        assert(result.code == 2, bad)
        assert(message.startsWith("error: ") && message.contains(key) && !message.contains("\n"), message)
        assert(!out.exists(), bad)
        assert(dir.listFiles().forall(f => !f.getName.startsWith(".out")), bad)
      }
    }
  }
}
