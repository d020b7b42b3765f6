package dev.sparknewton.cli

import com.fasterxml.jackson.databind.ObjectMapper
import dev.sparknewton.SharedSpark
import dev.sparknewton.solvers.Termination
import java.nio.file.{Files, Path}
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream
import org.scalatest.funsuite.AnyFunSuite
import scala.util.Random

/**
 * What a new user meets: numerical failures exit 3 with the reason, and bad input files or
 * settings are one line and exit 2, naming the file, cell or key.
 */
class ExitCodesSuite extends AnyFunSuite with SharedSpark {

  private val json = new ObjectMapper()

  private def withTempDir(body: Path => Unit): Unit = {
    val dir = Files.createTempDirectory("exit-codes")
    try body(dir)
    finally Files.walk(dir).sorted(java.util.Comparator.reverseOrder()).forEach(p => p.toFile.delete())
  }

  private def run(args: String*): CliRun.Result = {
    spark // the shared session exists before Main asks for one
    CliRun(args: _*)
  }

  /** libsvm rows with two features; `label(x1, x2)` gives +1 or -1. */
  private def libsvm(n: Int, seed: Long, scale: Double)(label: (Double, Double) => Boolean): String = {
    val rnd = new Random(seed)
    (0 until n).map { _ =>
      val (x1, x2) = (rnd.nextGaussian(), rnd.nextGaussian())
      s"${if (label(x1, x2)) "+1" else "-1"} 1:${x1 * scale} 2:${x2 * scale}"
    }.mkString("", "\n", "\n")
  }

  test("every numerical failure is failed(), and the job exits 3 on it") {
    assert(Termination.FACTORIZATION_FAILED.failed() && Termination.EIGENSOLVER_FAILED.failed())
    assert(Termination.values().filter(_.failed()).toSet == Set(Termination.LINE_SEARCH_FAILED,
      Termination.TRUST_REGION_FAILED, Termination.NON_FINITE, Termination.FACTORIZATION_FAILED,
      Termination.EIGENSOLVER_FAILED))
    assert(Termination.values().forall(t => !(t.failed() && t.converged())))
  }

  test("LRSFN on features of 1e200: the eigensolver fails, exit 3 with the reason in summary.json") {
    withTempDir { dir =>
      val rnd = new Random(5)
      Files.writeString(dir.resolve("huge.txt"), libsvm(200, 5L, 1e200)((_, _) => rnd.nextBoolean()))
      val out = dir.resolve("run")
      val r = run("train", "data.format=libsvm", s"data.path=${dir.resolve("huge.txt")}",
        "solver.name=lrsfn", "solver.rank=2", s"output.dir=$out")
      assert(r.code == 3, r.stderr)
      assert(r.errorLines == List("error: the solver failed: randomized eigendecomposition failed"))
      assert(json.readTree(out.resolve("summary.json").toFile).get("termination").asText() ==
        "EIGENSOLVER_FAILED")
    }
  }

  test("regParam = 0 on separable data: says the data are separable, exit 3; on overlapping data exit 0") {
    withTempDir { dir =>
      Files.writeString(dir.resolve("separable.txt"), libsvm(300, 7L, 1.0)((x1, x2) => x1 + 0.5 * x2 > 0))
      val r = run("train", "data.format=libsvm", s"data.path=${dir.resolve("separable.txt")}",
        "model.regParam=0", s"output.dir=${dir.resolve("a")}")
      assert(r.code == 3, r.stdout + r.stderr)
      assert(r.errorLines.size == 1 && r.errorLines.head.startsWith(
        "error: the training data are separable: with model.regParam = 0 the final model classifies every row right"),
        r.stderr)
      val rnd = new Random(8)
      Files.writeString(dir.resolve("overlap.txt"),
        libsvm(300, 7L, 1.0)((x1, _) => rnd.nextDouble() < 1 / (1 + math.exp(-2 * x1))))
      val ok = run("train", "data.format=libsvm", s"data.path=${dir.resolve("overlap.txt")}",
        "model.regParam=0", s"output.dir=${dir.resolve("b")}")
      assert(ok.code == 0, ok.stderr)
    }
  }

  test("data.weightCol with libsvm input is refused in one line") {
    withTempDir { dir =>
      Files.writeString(dir.resolve("t.txt"), "+1 1:1\n-1 1:-1\n")
      val r = run("train", "data.format=libsvm", s"data.path=${dir.resolve("t.txt")}", "data.weightCol=w",
        s"output.dir=${dir.resolve("run")}")
      assert(r.code == 2 && r.errorLines == List("error: weightCol 'w' does not apply to libsvm data " +
        "(every row has weight 1; weights need parquet, csv or table data)"), r.stderr)
    }
  }

  test("all instance weights zero is one line, exit 2") {
    withTempDir { dir =>
      val csv = dir.resolve("w0.csv")
      Files.writeString(csv, "label,a,b,w\n" + (0 until 50).map(i => s"${i % 2},${i * 0.1},${1 - i * 0.05},0")
        .mkString("", "\n", "\n"))
      val r = run("train", "data.format=csv", s"data.path=$csv", "data.weightCol=w",
        s"output.dir=${dir.resolve("run")}")
      assert(r.code == 2, r.stderr)
      assert(r.errorLines == List(s"error: every instance weight in column 'w' of $csv is 0: " +
        "no row counts in the objective"), r.stderr)
      assert(!Files.exists(dir.resolve("run")))
    }
  }

  test("a truncated .bz2 is one line naming the file, exit 2") {
    withTempDir { dir =>
      // Block size 1 (100 kB of text a block): 20,000 rows make several blocks. Cut in the first
      // block, the reader fails as it opens the file; cut later, after some lines were read.
      val text = libsvm(20000, 9L, 1.0)((x1, _) => x1 > 0)
      val whole = new java.io.ByteArrayOutputStream()
      val bz = new BZip2CompressorOutputStream(whole, 1)
      bz.write(text.getBytes("UTF-8")); bz.close()
      val bytes = whole.toByteArray
      for ((name, keep) <- Seq("early.txt.bz2" -> 2000, "late.txt.bz2" -> bytes.length * 3 / 4)) {
        val file = dir.resolve(name)
        Files.write(file, java.util.Arrays.copyOf(bytes, keep))
        val r = run("train", "data.format=libsvm", s"data.path=$file", s"output.dir=${dir.resolve("run")}")
        assert(r.code == 2, r.stderr)
        assert(r.errorLines.size == 1, r.stderr)
        assert(r.errorLines.head.contains(name), r.errorLines.head)
        assert(!r.stderr.contains("\tat "), s"no stack trace: ${r.stderr}")
        if (name == "late.txt.bz2") {
          assert(r.errorLines.head.startsWith(s"error: $name: cannot read past line "), r.errorLines.head)
          assert(r.errorLines.head.contains("(truncated or corrupt file?)"), r.errorLines.head)
        }
      }
    }
  }

  test("a numeric CSV column with a few bad cells is an error naming them; a categorical one is one-hot") {
    withTempDir { dir =>
      val rnd = new Random(3)
      val rows = (0 until 200).map { i =>
        val (a, b) = (rnd.nextGaussian(), rnd.nextGaussian())
        val c = if (i == 17 || i == 123) "n/a" else f"${rnd.nextGaussian()}%.4f"
        val color = Seq("red", "green", "blue")(i % 3)
        s"${if (a + rnd.nextGaussian() > 0) 1 else 0},$a,$b,$c,$color"
      }
      val csv = dir.resolve("bad.csv")
      Files.writeString(csv, "label,a,b,c,color\n" + rows.mkString("", "\n", "\n"))
      val r = run("train", "data.format=csv", s"data.path=$csv", s"output.dir=${dir.resolve("run")}")
      assert(r.code == 2, r.stderr)
      // Lines are 1-based with the header as line 1: rows 17 and 123 are lines 19 and 125.
      assert(r.errorLines == List("error: bad.csv: column 'c' is numeric in 198 of its 200 non-empty " +
        "cells, but 2 cells are not a number (line 19: 'n/a', line 125: 'n/a'); fix them (a text " +
        "column is one-hot encoded as categories only when fewer than 90% of its cells are numbers)"),
        r.stderr)

      // Without the bad cells: c numeric, color one-hot (3 categories, 2 slots): 5 features.
      Files.writeString(csv, "label,a,b,c,color\n" + rows.map(_.replace("n/a", "0.5")).mkString("", "\n", "\n"))
      val ok = run("train", "data.format=csv", s"data.path=$csv", s"output.dir=${dir.resolve("ok")}")
      assert(ok.code == 0, ok.stderr)
      assert(ok.stdout.contains("5 features (3 numeric columns, 1 one-hot encoded)"), ok.stdout)
      // A text column with numbers in fewer than 90% of its cells stays categorical.
      val mixed = rows.zipWithIndex.map { case (row, i) =>
        row.replace("n/a", "0.5").replaceFirst(",(red|green|blue)$", if (i % 5 == 0) ",other" else s",${i % 4}")
      }
      Files.writeString(csv, "label,a,b,c,code\n" + mixed.mkString("", "\n", "\n"))
      val cat = run("train", "data.format=csv", s"data.path=$csv", s"output.dir=${dir.resolve("cat")}")
      assert(cat.code == 0, cat.stderr)
      assert(cat.stdout.contains("7 features (3 numeric columns, 1 one-hot encoded)"), cat.stdout)
    }
  }
}
