package dev.sparknewton.cli

import com.fasterxml.jackson.databind.{JsonNode, ObjectMapper}
import dev.sparknewton.SharedSpark
import dev.sparknewton.cli.plots.SeriesColors
import dev.sparknewton.data.DataFiles
import dev.sparknewton.distributed.PassFloor
import java.awt.image.BufferedImage
import java.io.File
import java.nio.file.Files
import java.util.Optional
import javax.imageio.ImageIO
import org.scalatest.funsuite.AnyFunSuite
import scala.jdk.CollectionConverters._
import scala.util.Random

/**
 * The benchmark command end to end on a small generated problem: every method reaches the target
 * against the same f*, the table has one row per entry, and the job counts are those of the runs
 * (no timing is asserted); results.json holds the table's numbers and the histories, and the
 * convergence plot draws them. The report's parts (labels, refit check, plot axes) also on
 * hand-made rows, without Spark.
 */
class BenchmarkCommandSuite extends AnyFunSuite with SharedSpark {
  private val json = new ObjectMapper()

  private def table(out: File): List[Array[String]] =
    Files.readString(new File(out, "report.md").toPath).linesIterator.filter(_.startsWith("| "))
      .drop(1).map(_.split('|').map(_.trim).drop(1)).toList

  /** Pixels of exactly `rgb` in columns `[x0, x1)` and rows `[y0, y1)`. */
  private def count(img: BufferedImage, rgb: Int, x0: Int, x1: Int, y0: Int, y1: Int): Int =
    (for (x <- x0 until x1; y <- y0 until y1 if (img.getRGB(x, y) & 0xffffff) == rgb) yield 1).sum

  /** The largest column in `[x0, x1)`, rows `[y0, y1)`, holding a pixel of `rgb`, or -1. */
  private def rightmost(img: BufferedImage, rgb: Int, x0: Int, x1: Int, y0: Int, y1: Int): Int =
    (x0 until x1).filter(x => (y0 until y1).exists(y => (img.getRGB(x, y) & 0xffffff) == rgb))
      .lastOption.getOrElse(-1)

  private def lines(n: Int, d: Int, seed: Long): Seq[String] = {
    val rnd = new Random(seed)
    val truth = Array.fill(d)(rnd.nextGaussian())
    (0 until n).map { _ =>
      val x = Array.fill(d)(rnd.nextGaussian())
      val m = x.indices.map(j => x(j) * truth(j)).sum
      val y = if (rnd.nextDouble() < 1 / (1 + math.exp(-m))) "+1" else "-1"
      (y +: x.indices.map(j => s"${j + 1}:${x(j)}")).mkString(" ")
    }
  }

  /** The benchmark on 400 generated rows of 8 features, written to `dir/bench`. */
  private def benchmark(dir: File, seed: Long, settings: String*): CliRun.Result = {
    val data = DataFiles.write(dir, "train.libsvm", lines(400, 8, seed))
    spark
    CliRun(Seq("benchmark", "data.format=libsvm", s"data.path=${data.getPath}", "data.numFeatures=8",
      "model.regParam=1e-3", "model.fitIntercept=false", "spark.partitions=2", "benchmark.repeats=1",
      s"output.dir=${new File(dir, "bench").getPath}") ++ settings: _*)
  }

  test("benchmark: our solvers and MLlib L-BFGS reach the same f*, one table row per entry") {
    DataFiles.withTempDir { dir =>
      val out = new File(dir, "bench")
      val r = benchmark(dir, 5L,
        "benchmark.solvers=[exact-newton, \"newton-cg preconditioner=nystrom\", lrsfn, tron-distributed]")
      assert(r.code == 0, r.stderr)
      val rows = table(out)
      val names = List("exact-newton", "newton-cg preconditioner=nystrom", "lrsfn", "tron-distributed", "mllib-lbfgs")
      assert(rows.map(_(0)) == names)
      assert(r.stdout.contains("tron-distributed: solver.name = trust-region"), r.stdout)
      val jobs = rows.map(_(1).toLong)
      assert(jobs.forall(_ > 0))
      assert(jobs.head < jobs.last, "exact Newton needs fewer jobs than L-BFGS on a well-posed problem")
      assert(!r.stdout.contains("NOT REACHED"), r.stdout)
      assert(!new File(out, "benchmark.md").exists())

      // results.json: the table's numbers, f* and its source, the histories.
      val res = json.readTree(new File(out, "results.json"))
      val report = Files.readString(new File(out, "report.md").toPath)
      val fStar = res.get("fStar").get("value").asDouble()
      assert(report.contains(f"f* = $fStar%.12e"), report)
      // Every timed run's iterations are logged as they end: one progress line per history point.
      res.get("methods").elements().asScala.filter(_.get("kind").asText() == "ours").foreach { m =>
        val name = m.get("name").asText()
        val lines = r.stdout.linesIterator.count(_.startsWith(s"  $name: iter "))
        val points = m.get("history").size()
        assert(lines > 0 && lines % points == 0, s"$name: $lines progress lines, $points iterations")
      }
      val candidates = res.get("fStar").get("candidates").elements().asScala.toList
      assert(candidates.map(_.get("objective").asDouble()).min == fStar)
      val source = res.get("fStar").get("source").asText()
      assert(candidates.exists(c => c.get("source").asText() == source && c.get("objective").asDouble() == fStar))
      assert(report.contains(s"It comes from $source."), report)
      assert(res.get("data").get("n").asLong() == 400 && res.get("data").get("d").asInt() == 8)
      // The gradient pass against MLlib's time per iteration: its timed fit's seconds over its iterations.
      val pf = res.get("passFloor")
      assert(pf.get("gradientPassSeconds").asDouble() > 0, pf.toString)
      val mllibRow = res.get("methods").elements().asScala.find(_.get("kind").asText() == "mllib").get
      val perIteration = mllibRow.get("seconds").asDouble() / mllibRow.get("iterations").asInt()
      assert(math.abs(pf.get("mllibSecondsPerIteration").asDouble() - perIteration) <= 1e-12 * perIteration, pf.toString)
      assert(report.contains(f"MLlib's time per iteration (its timed fit's seconds over its iterations) ${1e3 * perIteration}%.1f ms"), report)
      assert(res.get("data").get("name").asText() == "train" && res.get("lambda").asDouble() == 1e-3)
      val target = res.get("targetSuboptimality").asDouble()
      val methods = res.get("methods").elements().asScala.toList
      assert(methods.map(_.get("name").asText()) == names)
      for ((row, m) <- rows.zip(methods)) {
        val name = m.get("name").asText()
        assert(m.get("reached").asBoolean(), name)
        assert(row(1).toLong == m.get("jobsToTarget").asLong(), name)
        if (name == "mllib-lbfgs") {
          assert(row(2) == "-" && m.get("passesToTarget").isNull, name)
        } else {
          assert(row(2).toLong == m.get("passesToTarget").asLong(), name)
        }
        assert(row(3).toInt == m.get("iterations").asInt(), name)
        assert(row(4) == f"${m.get("bytesToTarget").asLong() / 1e6}%.1f", name)
        assert(row(5) == f"${m.get("secondsToTarget").asDouble()}%.2f", name)
        assert(row(6) == f"${m.get("secondsPerPassOverStreamingFloor").asDouble()}%.1f", name)
        assert(row(7) == f"${m.get("finalSuboptimality").asDouble()}%.1e", name)
        val seconds = m.get("repeats").get("seconds").elements().asScala.map(_.asDouble()).toList
        assert(seconds.size == 1 && seconds.head == m.get("repeats").get("median").asDouble())
        assert(m.get("bestSuboptimality").asDouble() <= target, name)
        // The history the plot draws: every iteration, suboptimality from its objective and f*.
        val history = m.get("history").elements().asScala.toList
        assert(history.size > m.get("iterations").asInt(), name)
        assert(history.map(_.get("iteration").asInt()) == history.indices.toList, name)
        for (p <- history) {
          val rel = (p.get("objective").asDouble() - fStar) / math.abs(fStar)
          assert(p.get("relativeSuboptimality").asDouble() == rel, name)
        }
        val jobsSeen = history.map(_.get("jobs").asDouble())
        assert(jobsSeen.zip(jobsSeen.tail).forall { case (a, b) => a <= b }, name)
        val hit = history.indexWhere(_.get("relativeSuboptimality").asDouble() <= target)
        assert(hit == m.get("iterations").asInt(), name)
        if (name != "mllib-lbfgs") {
          assert(history(hit).get("jobs").asDouble() == m.get("jobsToTarget").asDouble(), name)
          assert(history(hit).get("passes").asDouble() == m.get("passesToTarget").asDouble(), name)
          assert(m.get("refit").isNull && m.get("historyClock").asText() == "recorded", name)
          assert(m.get("settings").get("solver.name").asText() ==
            (if (name == "tron-distributed") "trust-region" else name.split(' ')(0)), name)
        }
      }
      val mllib = methods.last
      assert(mllib.get("settings").get("standardization").asText() == "false")
      val refit = mllib.get("refit")
      assert(refit.get("reachesTarget").asBoolean() && refit.get("suboptimality").asDouble() <= target, refit)
      assert(refit.get("maxIter").asInt() == math.max(1, mllib.get("iterations").asInt()), refit)

      // The plot: two panels, not blank, every method in the legend, MLlib's line (drawn last,
      // so never under another) in both. Lines of equal histories (exact Newton and LRSFN
      // here) lie on each other; where each line goes is tested on hand-made rows below.
      assert(res.get("plot").asText() == "convergence-train.png" && report.contains("(convergence-train.png)"))
      val png = ImageIO.read(new File(out, "convergence-train.png"))
      val (w, h) = (BenchmarkReport.PANEL_WIDTH, BenchmarkReport.PANEL_HEIGHT)
      assert(png != null && png.getWidth == 2 * w && png.getHeight == h)
      val nonWhite = (for (x <- 0 until 2 * w; y <- 0 until h if (png.getRGB(x, y) & 0xffffff) != 0xffffff) yield 1).sum
      assert(nonWhite > 0.03 * 2 * w * h, nonWhite)
      for (i <- names.indices; panel <- 0 until 2) {
        val pixels = count(png, SeriesColors.of(i).getRGB & 0xffffff, panel * w, panel * w + w, 0, h)
        assert(pixels > 30, s"${names(i)} in panel $panel: $pixels pixels of its colour")
      }
      for (panel <- 0 until 2) {
        // The legend sits in the right half of a panel; every line starts in its left half.
        val pixels = count(png, SeriesColors.of(names.size - 1).getRGB & 0xffffff, panel * w, panel * w + w / 2, 0, h)
        assert(pixels > 100, s"MLlib's line in panel $panel: $pixels pixels of its colour")
      }
    }
  }

  /** Two hand-made rows: "fast" reaches 1e-8 in 10 jobs and 1 s, "slow" 1e-6 in 100 jobs and 1 s. */
  private def handMade(mllibRefit: BenchmarkResult.RefitCheck): BenchmarkReport = {
    val fStar = 0.5
    def point(i: Int, jobs: Double, seconds: Double, sub: Double) =
      new BenchmarkResult.Point(i, jobs, jobs, seconds, fStar + sub * fStar)
    val fast = (0 to 8).map(i => point(i, 2 + i, 0.2 + 0.1 * i, math.pow(10, -i))).toList
    val slow = (0 to 6).map(i => point(i, 100.0 * i / 6, 1.0 * i / 6, math.pow(10, -i))).toList
    def result(name: String, h: List[BenchmarkResult.Point], reached: Boolean,
        refit: Optional[BenchmarkResult.RefitCheck], best: Double) =
      new BenchmarkResult(name, new java.util.TreeMap[String, String](), h.last.passes().toLong,
        h.last.jobs().toLong, h.last.jobs().toLong, 0L, h.last.seconds(), Array(h.last.seconds()),
        h.size - 1, h.last.objective(), best, reached, refit, h.asJava,
        BenchmarkResult.Clock.RECORDED, "test")
    new BenchmarkReport("hand", "hand-made", 10, 2, 2, "binary-logistic", 1e-3, false, 1, "local",
      1e-6, fStar, java.util.List.of(new BenchmarkReport.Candidate("by hand", fStar)), true,
      new PassFloor(0.01, 0.02, Double.NaN, 0.0), false, java.util.List.of(
        result("fast", fast, reached = true, Optional.empty(), fast.last.objective()),
        result("mllib-lbfgs", slow, mllibRefit.reachesTarget(), Optional.of(mllibRefit), slow.last.objective())))
  }

  test("jobs to a record: setup jobs plus one a pass on a cluster fold; the driver fold's two jobs come first") {
    // RDD fold: 1 cache job, 7 passes, each a job.
    assert(BenchmarkCommand.jobsAt(0, 8, 7) == 1 && BenchmarkCommand.jobsAt(5, 8, 7) == 6)
    assert(BenchmarkCommand.jobsAt(7, 8, 7) == 8)
    // Driver fold: cache and collect (2 jobs), the collect and 7 sweeps counted as 8 passes.
    assert(BenchmarkCommand.jobsAt(2, 2, 8) == 2 && BenchmarkCommand.jobsAt(5, 2, 8) == 2)
    assert(BenchmarkCommand.jobsAt(8, 2, 8) == 2)
  }

  test("benchmark.cold: a child JVM that fails is one line naming the fit, its exit status, its error and its kept log") {
    DataFiles.withTempDir { dir =>
      val missing = new File(dir, "no-such.conf").getPath
      val e = intercept[FreshJvmFits.ChildFailed](new FreshJvmFits(java.util.List.of(missing), "local[1]").ours(0, "newton-cg"))
      val message = e.getMessage
      assert(!message.contains("\n"), message)
      assert(message.startsWith("newton-cg in a fresh JVM failed (exit 2): error: ") && message.contains("no-such.conf"), message)
      val log = new File(message.substring(message.lastIndexOf("its output: ") + "its output: ".length))
      try {
        assert(log.isFile && Files.readString(log.toPath).contains("no-such.conf"), log)
      } finally {
        log.delete()
      }
    }
    // The line chosen from a child's output: its last error line, else an exception's head, else its last line.
    assert(FreshJvmFits.errorLine(java.util.List.of("a", "error: first", "b", "error: bad row 3", "c")) == "error: bad row 3")
    assert(FreshJvmFits.errorLine(java.util.List.of("x", "java.lang.IllegalStateException: boom",
      "  at a.b(C.java:1)", "Caused by: java.lang.OutOfMemoryError: heap", "  at d.e(F.java:2)")) ==
      "Caused by: java.lang.OutOfMemoryError: heap")
    assert(FreshJvmFits.errorLine(java.util.List.of("starting", "killed", " ")) == "killed")
    assert(FreshJvmFits.errorLine(java.util.List.of()) == "no output")
  }

  test("benchmark.cold: every timed fit in a fresh JVM, the same fits as in this one (jobs, iterations, objectives)") {
    DataFiles.withTempDir { dir =>
      val solvers = "benchmark.solvers=[newton-cg]" // a child JVM costs about 15 s here: two in all
      val warm = benchmark(dir, 9L, solvers)
      assert(warm.code == 0, warm.stderr)
      val warmRows = table(new File(dir, "bench"))
      val warmJson = json.readTree(new File(dir, "bench/results.json"))
      assert(warmJson.get("timedFits").asText() == "this JVM (warm)")
      assert(!warm.stdout.contains("fresh JVM"), warm.stdout)

      val cold = benchmark(dir, 9L, solvers, "benchmark.cold=true", "output.overwrite=true")
      assert(cold.code == 0, cold.stderr + cold.stdout)
      val out = new File(dir, "bench")
      val coldRows = table(out)
      val res = json.readTree(new File(out, "results.json"))
      assert(res.get("timedFits").asText() == "fresh JVM each")
      assert(Files.readString(new File(out, "report.md").toPath).contains("Timed fits: each in a fresh JVM"))
      // One fit of ours and one MLlib refit (repeats = 1), each announced by its child's result.
      assert("newton-cg in a fresh JVM".r.findAllIn(cold.stdout).size == 1, cold.stdout)
      assert("MLlib L-BFGS \\(maxIter \\d+\\) in a fresh JVM".r.findAllIn(cold.stdout).size == 1, cold.stdout)
      // The children ran the same fits: jobs, passes, iterations and final suboptimality per row.
      assert(coldRows.map(_(0)) == warmRows.map(_(0)))
      for ((c, w) <- coldRows.zip(warmRows)) {
        assert(c(1) == w(1) && c(2) == w(2) && c(3) == w(3), s"cold ${c.mkString("|")} vs warm ${w.mkString("|")}")
      }
      for (m <- res.get("methods").elements().asScala) {
        assert(m.get("reached").asBoolean(), m.get("name").asText())
        val seconds = m.get("repeats").get("seconds").elements().asScala.map(_.asDouble()).toList
        assert(seconds.size == 1 && seconds.forall(_ > 0), m.toString)
        // The plotted clock never runs backwards (MLlib's full run, warm in this JVM, is not
        // one of its anchors when the refits ran cold).
        val clock = m.get("history").elements().asScala.map(_.get("seconds").asDouble()).toList
        assert(clock.zip(clock.tail).forall { case (a, b) => b >= a }, s"${m.get("name")}: $clock")
      }
    }
  }

  test("convergence plot: the left panel is against jobs, the right against seconds, y on a log axis") {
    val report = handMade(BenchmarkResult.RefitCheck.of(6, Array(1.0, 0.5 + 0.5e-6), 0.5, 1e-6))
    val png = report.convergencePlot()
    val (w, h) = (BenchmarkReport.PANEL_WIDTH, BenchmarkReport.PANEL_HEIGHT)
    assert(png.getWidth == 2 * w && png.getHeight == h)
    val fast = SeriesColors.of(0).getRGB & 0xffffff
    val slow = SeriesColors.of(1).getRGB & 0xffffff
    // Below the legend (top right): fast ends at 10 of 100 jobs, but at 1 of 1 seconds.
    val (y0, y1) = (h / 3, h)
    val fastJobs = rightmost(png, fast, 0, w, y0, y1)
    val slowJobs = rightmost(png, slow, 0, w, y0, y1)
    assert(fastJobs > 0 && slowJobs > 0)
    assert(fastJobs < w / 3 && slowJobs > 2 * w / 3, s"jobs panel: fast to $fastJobs, slow to $slowJobs")
    val fastSeconds = rightmost(png, fast, w, 2 * w, y0, y1) - w
    val slowSeconds = rightmost(png, slow, w, 2 * w, y0, y1) - w
    assert(fastSeconds > 2 * w / 3 && slowSeconds > 2 * w / 3, s"seconds panel: $fastSeconds, $slowSeconds")
    // Log axis: slow's suboptimality falls 10x every 100/6 jobs, a straight line on a log axis,
    // so halfway along it (1e-3) it is halfway down; a linear axis would put it at the bottom.
    def rows(x: Int) = (0 until h).filter(y => (png.getRGB(x, y) & 0xffffff) == slow)
    val left = (0 until w).find(x => rows(x).nonEmpty).get // the legend is at the right
    val (top, bottom) = (rows(left).min, rows(slowJobs).max)
    val middle = rows((left + slowJobs) / 2)
    val mid = middle.sum.toDouble / middle.size
    assert(math.abs(mid - (top + bottom) / 2.0) < 0.15 * (bottom - top), s"slow: top $top, bottom $bottom, middle $mid")
  }

  test("MLlib's refit that misses the target: the row says so, results.json records it, the run's best is given") {
    val missed = BenchmarkResult.RefitCheck.of(6, Array(1.0, 0.5 + 0.5 * 3e-6), 0.5, 1e-6)
    assert(!missed.reachesTarget() && math.abs(missed.suboptimality() - 3e-6) < 1e-15)
    val kept = BenchmarkResult.RefitCheck.of(6, Array(1.0, 0.5 + 0.5 * 1e-7), 0.5, 1e-6)
    assert(kept.reachesTarget())
    val report = handMade(missed)
    val md = report.markdown()
    assert(md.contains("| mllib-lbfgs (refit to maxIter 6 missed the target: suboptimality 3.0e-06; best of the full run 1.0e-06) |"), md)
    assert(md.contains("| fast | 10 | 10 | 8 |"), md)
    assert(md.contains("≥ 10.0x fewer"), "MLlib's jobs are a lower bound when it missed: " + md)
    val m = json.readTree(report.json()).get("methods").get(1)
    assert(!m.get("reached").asBoolean() && m.get("jobsToTarget").isNull && m.get("secondsToTarget").isNull)
    assert(!m.get("refit").get("reachesTarget").asBoolean() && m.get("refit").get("maxIter").asInt() == 6)
    assert(m.get("refit").get("suboptimality").asDouble() == missed.suboptimality())
    assert(m.get("jobs").asLong() == 100 && math.abs(m.get("bestSuboptimality").asDouble() - 1e-6) < 1e-15)
    val ok = handMade(kept).markdown()
    assert(ok.contains("| mllib-lbfgs | 100 | - |") && ok.contains("10.0x fewer"), ok)
  }

  test("a row that missed gives the best suboptimality of its run, not the last (a non-monotone history)") {
    val fStar = 2.0
    val subs = List(1e-1, 1e-3, 1e-2) // Adam's mini-batch objective goes up again
    val h = subs.zipWithIndex.map { case (sub, i) => new BenchmarkResult.Point(i, 3.0 + i, 1.0 + i, 0.1 * i, fStar * (1 + sub)) }
    val adam = new BenchmarkResult("adam", new java.util.TreeMap[String, String](), 3L, 5L, 5L, 0L,
      0.2, Array(0.2), 2, h.last.objective(), h(1).objective(), false, Optional.empty(), h.asJava,
      BenchmarkResult.Clock.RECORDED, "maxIter")
    val report = new BenchmarkReport("hand", "hand-made", 10, 2, 2, "binary-logistic", 1e-3, false,
      1, "local", 1e-6, fStar, java.util.List.of(new BenchmarkReport.Candidate("by hand", fStar)),
      true, new PassFloor(0.01, 0.02, Double.NaN, 0.0), false, java.util.List.of(adam))
    val md = report.markdown()
    assert(md.contains("| adam (not reached in 2 iterations: best suboptimality 1.0e-03) | 5 | 3 | 2 |"), md)
    assert(md.contains("| 1.0e-02 |"), "the final suboptimality column: " + md)
    val m = json.readTree(report.json()).get("methods").get(0)
    assert(math.abs(m.get("bestSuboptimality").asDouble() - 1e-3) < 1e-15)
    assert(math.abs(m.get("finalSuboptimality").asDouble() - 1e-2) < 1e-15)
  }

  test("MLlib's history: jobs and seconds linear between the measured fits") {
    val points = BenchmarkCommand.interpolate(Array(4.0, 3.0, 2.0, 1.0, 0.5),
      Array(Array(0.0, 0.0, 0.0), Array(2.0, 10.0, 1.0), Array(4.0, 30.0, 2.0))).asScala.toList
    assert(points.map(_.jobs()) == List(0.0, 5.0, 10.0, 20.0, 30.0))
    assert(points.map(_.seconds()) == List(0.0, 0.5, 1.0, 1.5, 2.0))
    assert(points.map(_.objective()) == List(4.0, 3.0, 2.0, 1.0, 0.5))
  }

  test("data names for the plot file: file name without compression or format suffix") {
    assert(BenchmarkReport.dataName("../shared/data/a9a.bz2", "libsvm") == "a9a")
    assert(BenchmarkReport.dataName("../shared/data/covtype.binary.bz2", "libsvm") == "covtype.binary")
    assert(BenchmarkReport.dataName("/x/mnist/mnist.train.libsvm", "libsvm") == "mnist.train")
    assert(BenchmarkReport.dataName("hdfs:///data/a9a/", "parquet") == "a9a")
    assert(BenchmarkReport.dataName("/d/part-*.csv", "csv") == "part--")
    assert(BenchmarkReport.dataName("", "embedded") == "embedded")
  }

  test("a solver of ours that misses the target: exit 4 naming it, the table still written") {
    DataFiles.withTempDir { dir =>
      val out = new File(dir, "bench")
      val r = benchmark(dir, 6L, "benchmark.mllib=false", "benchmark.solvers=[exact-newton, \"newton-cg maxIter=1\"]")
      assert(r.code == 4, r.stderr)
      assert(r.errorLines.size == 1 && r.errorLines.head.contains("newton-cg maxIter=1 did not reach"), r.stderr)
      assert(!r.errorLines.head.contains("exact-newton"))
      val table = Files.readString(new File(out, "report.md").toPath)
      val missed = json.readTree(new File(out, "results.json")).get("methods").get(1)
      assert(missed.get("name").asText() == "newton-cg maxIter=1" && !missed.get("reached").asBoolean())
      assert(missed.get("passesToTarget").isNull && missed.get("jobsToTarget").isNull)
      val best = missed.get("bestSuboptimality").asDouble()
      assert(best > 1e-6 && best <= missed.get("history").get(0).get("relativeSuboptimality").asDouble())
      assert(table.contains(f"| newton-cg maxIter=1 (not reached in 1 iterations: best suboptimality $best%.1e) |"), table)
      assert(png(out).getWidth == 2 * BenchmarkReport.PANEL_WIDTH)
    }
  }

  test("benchmark.knownMinimum below every run is f*: every method misses the target against it") {
    DataFiles.withTempDir { dir =>
      val out = new File(dir, "bench")
      // The optimum of this problem is about 0.5; 0.01 is below anything a run can reach.
      val r = benchmark(dir, 6L, "benchmark.mllib=false", "benchmark.solvers=[exact-newton]",
        "benchmark.knownMinimum=0.01")
      assert(r.code == 4, r.stderr)
      assert(r.stdout.contains("known minimum (benchmark.knownMinimum): 1.000000000000000e-02"), r.stdout)
      val table = Files.readString(new File(out, "report.md").toPath)
      assert(table.contains("f* = 1.000000000000e-02"), table)
      assert(table.contains("It comes from benchmark.knownMinimum."), table)
      assert(table.contains("| exact-newton (not reached in "), table)
      assert(!table.contains("Warning: no run converged"), table)
    }
  }

  private def png(out: File): BufferedImage = ImageIO.read(new File(out, "convergence-train.png"))

  test("benchmark.knownMinimum that is not a number or none is a one-line error") {
    DataFiles.withTempDir { dir =>
      val r = benchmark(dir, 6L, "benchmark.mllib=false", "benchmark.solvers=[exact-newton]",
        "benchmark.knownMinimum=low")
      assert(r.code == 2, r.stderr)
      assert(r.errorLines.size == 1 && r.errorLines.head.contains("benchmark.knownMinimum"), r.stderr)
    }
  }

  test("a benchmark entry with an unknown solver key is a one-line error") {
    DataFiles.withTempDir { dir =>
      val r = CliRun("benchmark", "data.format=libsvm", s"data.path=${dir.getPath}/x",
        "benchmark.solvers=[\"newton-cg precond=nystrom\"]", s"output.dir=${dir.getPath}/out")
      assert(r.code == 2)
      assert(r.errorLines.size == 1 && r.errorLines.head.contains("unknown key solver.precond"), r.stderr)
      assert(!new File(dir, "out").exists())
    }
  }
}
