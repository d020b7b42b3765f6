package dev.sparknewton.ml.checkpoint

import dev.sparknewton.ml.IterationRecord
import dev.sparknewton.solvers.{SnapshotFields, SolverSnapshot, SolverState}
import java.nio.charset.StandardCharsets
import java.nio.file.{Files, Path => JPath}
import java.util.{Optional, TreeMap => JTreeMap}
import org.apache.hadoop.conf.Configuration
import org.scalatest.funsuite.AnyFunSuite
import scala.collection.mutable.ArrayBuffer
import scala.jdk.CollectionConverters._
import scala.util.Random

/** The checkpoint file format round-trips every double bit for bit; the directory's rules. */
class CheckpointFormatSuite extends AnyFunSuite {
  private val edge = Array(0.0, -0.0, 1.0, -1.0, 0.1 + 0.2, 1.0 / 3, Math.PI * 1e300,
    Double.MinValue, Double.MaxValue, java.lang.Double.MIN_VALUE, java.lang.Double.MIN_NORMAL,
    java.lang.Double.MIN_NORMAL / 3, Math.ulp(1.0), 1e-320, 123456789.123456789,
    Double.PositiveInfinity, Double.NegativeInfinity, Double.NaN)
  private val random = {
    val r = new Random(7)
    Array.fill(200)(java.lang.Double.longBitsToDouble(r.nextLong())).filter(!_.isNaN)
  }

  private def bits(v: Double): Long = java.lang.Double.doubleToRawLongBits(v)

  private def record(k: Int, v: Double, test: Boolean): IterationRecord =
    new IterationRecord(k, v, -v, v / 7, k * 3, 10L * k, 1000L * k, v * 1.5,
      if (k % 2 == 0) Optional.of(java.lang.Double.valueOf(v)) else Optional.empty(),
      Array(v, -v, 0.1), s"detail $k \"quoted\" ünïcode",
      if (test) Optional.of(new IterationRecord.Prediction(Double.NaN, v)) else Optional.empty())

  private def fingerprint(maxIter: String) = {
    val data = new JTreeMap[String, String](Map("rows" -> "100", "features" -> "5").asJava)
    val settings = new JTreeMap[String, String](Map("solver.maxIter" -> maxIter,
      "data.path" -> "/tmp/x").asJava)
    new Fingerprint(data, settings)
  }

  private def checkpoint(k: Int, maxIter: String = "10"): Checkpoint = {
    val fields = SnapshotFields.builder()
    edge.indices.foreach(i => fields.put(s"real.$i", edge(i)))
    fields.put("whole", 7L).put("negative", -3L).put("one", 1.0)
      .put("edge", edge).put("random", random).put("empty", Array.emptyDoubleArray)
    val history = (0 to k).map(i => record(i, if (i < edge.length) edge(i) else random(i), i == 1))
    new Checkpoint(fingerprint(maxIter), new CheckpointCounts(11, 22, 33, 44, 5.5),
      history.asJava, new SolverSnapshot("newton-cg", k, k - 1, random.take(9), fields.build()))
  }

  test("every double comes back bit for bit: iterate, fields, history; whole numbers stay whole, reals real") {
    val c = checkpoint(edge.length + 3)
    val back = CheckpointFormat.decode(CheckpointFormat.encode(c), "test")
    assert(back.iteration() == c.iteration())
    assert(back.fingerprint() == c.fingerprint())
    assert(back.counts() == c.counts())
    val s = back.snapshot()
    assert(s.solver() == "newton-cg" && s.evaluatedWith() == c.iteration() - 1)
    assert(s.point().map(bits).toSeq == random.take(9).map(bits).toSeq)
    val f = s.fields()
    assert(f.asMap().keySet().asScala.toSeq == c.snapshot().fields().asMap().keySet().asScala.toSeq)
    edge.indices.foreach { i =>
      val expected = edge(i)
      val got = f.doubleValue(s"real.$i")
      assert(bits(got) == bits(expected) || (expected.isNaN && got.isNaN), s"$expected came back as $got")
    }
    assert(f.longValue("whole") == 7L && f.longValue("negative") == -3L)
    assert(f.asMap().get("one").isInstanceOf[java.lang.Double], "1.0 stays a real")
    assert(f.doubles("edge").map(bits).toSeq == edge.map(bits).toSeq, "arrays keep even NaN's bits")
    assert(f.doubles("random").map(bits).toSeq == random.map(bits).toSeq)
    assert(f.doubles("empty").isEmpty)
    back.history().asScala.zip(c.history().asScala).foreach { case (a, b) =>
      val scalars = (r: IterationRecord) => Seq(r.objective(), r.gradientNorm(), r.stepSize(),
        r.seconds()).map(bits)
      assert(a.iteration() == b.iteration() && a.cgIterations() == b.cgIterations()
        && a.passes() == b.passes() && a.bytesToDriver() == b.bytesToDriver())
      if (!b.objective().isNaN) {
        assert(scalars(a) == scalars(b), s"record ${b.iteration()}")
      }
      assert(a.damping().isPresent == b.damping().isPresent)
      assert(a.eigenvalues().map(bits).toSeq == b.eigenvalues().map(bits).toSeq)
      assert(a.detail() == b.detail())
      assert(a.test().isPresent == b.test().isPresent)
      a.test().ifPresent(p => assert(p.accuracy().isNaN && bits(p.loss()) == bits(b.test().get.loss())))
    }
  }

  test("what is not a checkpoint is refused in one line naming the file and the problem") {
    val bytes = CheckpointFormat.encode(checkpoint(3))
    def refusal(b: Array[Byte]): String =
      intercept[IllegalArgumentException](CheckpointFormat.decode(b, "/ck/checkpoint-000003.json")).getMessage
    assert(refusal(bytes.take(bytes.length / 2)).startsWith("/ck/checkpoint-000003.json is not a checkpoint: not JSON"))
    val text = new String(bytes, StandardCharsets.UTF_8)
    assert(refusal(text.replace("\"version\":1", "\"version\":2").getBytes(StandardCharsets.UTF_8))
      .contains("format version 2, this build reads 1"))
    assert(refusal(text.replace("\"counts\"", "\"kounts\"").getBytes(StandardCharsets.UTF_8))
      .endsWith("is not a valid checkpoint: no 'counts'"))
    assert(refusal("{\"format\":\"something else\"}".getBytes(StandardCharsets.UTF_8))
      .contains("not a spark-newton checkpoint"))
    assert(!refusal(bytes.take(bytes.length - 1)).contains("\n"))
  }

  private def withDirectory[T](body: (JPath, CheckpointDirectory) => T): T = {
    val dir = Files.createTempDirectory("checkpoints")
    try body(dir, CheckpointDirectory.of(dir.resolve("run").toString, new Configuration()))
    finally {
      Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p => Files.delete(p))
    }
  }

  private def names(dir: JPath): Seq[String] =
    Files.list(dir).iterator().asScala.map(_.getFileName.toString).filter(!_.endsWith(".crc")).toSeq.sorted

  test("the directory keeps the newest two checkpoints, leaves no temporary file, and skips an unreadable newest one") {
    withDirectory { (root, dir) =>
      assert(dir.newestValid(_ => ()).isEmpty)
      for (k <- Seq(1, 2, 3, 9, 10)) dir.write(checkpoint(k))
      val run = root.resolve("run")
      assert(names(run) == Seq("checkpoint-000009.json", "checkpoint-000010.json"))
      assert(dir.newestValid(_ => ()).get().checkpoint().iteration() == 10)
      // A torn newest file (e.g. a copy cut short on an object store) is passed over.
      val newest = run.resolve("checkpoint-000010.json")
      val bytes = Files.readAllBytes(newest)
      Files.delete(newest)
      Files.deleteIfExists(run.resolve(".checkpoint-000010.json.crc"))
      Files.write(newest, bytes.take(bytes.length - 10))
      val skipped = ArrayBuffer[String]()
      val found = dir.newestValid(skipped += _)
      assert(found.get().checkpoint().iteration() == 9)
      assert(skipped.size == 1 && skipped.head.startsWith("checkpoint: skipping ")
        && skipped.head.contains("checkpoint-000010.json is not a checkpoint: not JSON"), skipped)
      // Rewriting iteration 10 replaces the torn file.
      dir.write(checkpoint(10))
      assert(dir.newestValid(_ => ()).get().checkpoint().iteration() == 10)
      Files.write(run.resolve(".checkpoint-000011.json.tmp"), Array[Byte](1, 2))
      assert(dir.clear() == 2)
      assert(names(run).isEmpty)
      val file = Files.write(root.resolve("a-file"), Array[Byte](1))
      assert(intercept[IllegalArgumentException](CheckpointDirectory.of(file.toString, new Configuration()))
        .getMessage.endsWith("a-file is a file"))
    }
  }

  private def state(k: Int, last: Boolean): SolverState = {
    val s = new SolverState(k, Array(0.0), 0.0, 0.0, 1.0, 0, Optional.empty(), Array.emptyDoubleArray,
      "", Optional.empty())
    if (last) s.terminated(dev.sparknewton.solvers.Termination.MAX_ITERATIONS) else s
  }

  test("a run resumes only a checkpoint of its own data and settings, and says what differs") {
    withDirectory { (root, _) =>
      val log = ArrayBuffer[String]()
      val settings = new Checkpointing(root.resolve("run").toString, 2, true, new JTreeMap(), log += _)
      val fresh = RunCheckpoints.open(settings, new Configuration(), fingerprint("10"))
      assert(fresh.resumable().isEmpty)
      assert(log.last.startsWith("checkpoint: none in ") && log.last.endsWith("a checkpoint every 2 iterations"))
      assert(!fresh.due(state(0, false)) && !fresh.due(state(1, false)) && fresh.due(state(4, false)))
      assert(!fresh.due(state(4, true)), "no checkpoint of a finished run")
      CheckpointDirectory.of(settings.dir(), new Configuration()).write(checkpoint(4))
      val resumed = RunCheckpoints.open(settings, new Configuration(), fingerprint("10"))
      assert(resumed.resumable().get().iteration() == 4)
      assert(log.last.startsWith("checkpoint: resuming after iteration 4 from ")
        && log.last.endsWith("checkpoint-000004.json (11 passes so far)"), log.last)
      val refused = intercept[IllegalArgumentException](
        RunCheckpoints.open(settings, new Configuration(), fingerprint("20"))).getMessage
      assert(refused.contains("checkpoint-000004.json is of another run: solver.maxIter = '10' there, '20' here; "
        + "use another checkpoint.dir, or checkpoint.resume = false to start over"), refused)
      val over = RunCheckpoints.open(new Checkpointing(settings.dir(), 1, false, new JTreeMap(), log += _),
        new Configuration(), fingerprint("20"))
      assert(over.resumable().isEmpty)
      assert(log.last.startsWith("checkpoint: checkpoint.resume = false, removed 1 checkpoint(s) from "))
      assert(names(root.resolve("run")).isEmpty)
      assert(intercept[IllegalArgumentException](new Checkpointing("x", 0, true, new JTreeMap(), _ => ()))
        .getMessage == "checkpoint.interval must be >= 1, got 0")
    }
  }

  test("differences list every differing or missing entry, the first few in a line") {
    val a = new Fingerprint(new JTreeMap(Map("rows" -> "1").asJava),
      new JTreeMap(Map("a" -> "1", "b" -> "2", "c" -> "3", "d" -> "4", "e" -> "5").asJava))
    val b = new Fingerprint(new JTreeMap(Map("rows" -> "2").asJava),
      new JTreeMap(Map("a" -> "9", "b" -> "9", "c" -> "9", "f" -> "6").asJava))
    val diffs = a.differences(b).asScala
    assert(diffs == Seq("rows = '1' there, '2' here", "a = '1' there, '9' here",
      "b = '2' there, '9' here", "c = '3' there, '9' here", "d = '4' there, (absent) here",
      "e = '5' there, (absent) here", "f = (absent) there, '6' here"))
    assert(Fingerprint.describe(diffs.asJava).endsWith("c = '3' there, '9' here; and 3 more"))
    assert(a.differences(a).isEmpty)
  }
}
