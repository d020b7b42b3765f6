package dev.sparknewton.ml

import dev.sparknewton.SharedSpark
import dev.sparknewton.data.DataFiles
import dev.sparknewton.linalg.ColumnMatrix
import dev.sparknewton.randomized.LowRankEigen
import java.io.File
import org.scalatest.funsuite.AnyFunSuite
import scala.util.Random

class CompressedHessianSuite extends AnyFunSuite with SharedSpark {

  test("a compressed Hessian written then read back is exactly what was written") {
    DataFiles.withTempDir { dir =>
      val rnd = new Random(3L)
      val n = 17
      val k = 5
      // Awkward doubles on purpose: subnormal, huge, negative zero, values that do not print short.
      val u = new ColumnMatrix(n, k, Array.fill(n * k)(rnd.nextGaussian() / 3.0))
      u.set(0, 0, java.lang.Double.MIN_VALUE); u.set(1, 1, -0.0); u.set(2, 2, 1.0e300)
      val values = Array(9.1234567890123e2, -3.0 / 7.0, 1.0 / 3.0, -1e-17, 2.5e-300)
      val eigen = new LowRankEigen(u, values, 0.123456789e-3, 4)
      val written = new CompressedHessian(eigen, "/some/model.json", 1e-5, true, 0.25)
      val path = new File(dir, "hessian").getPath
      written.write(spark, path)
      val read = CompressedHessian.read(spark, path)
      assert(read.eigen() == eigen) // LowRankEigen.equals: vectors and values bit for bit
      assert(read.eigen().values().toSeq.map(java.lang.Double.doubleToRawLongBits) ==
        values.toSeq.map(java.lang.Double.doubleToRawLongBits))
      assert(read.eigen().vectors().data().toSeq.map(java.lang.Double.doubleToRawLongBits) ==
        u.data().toSeq.map(java.lang.Double.doubleToRawLongBits))
      assert(read.point() == "/some/model.json" && read.regParam() == 1e-5 && read.fitIntercept())
      assert(read.sampleFraction() == 0.25 && read.eigen().estimatedError() == 0.123456789e-3)
      assert(read.eigen().passes() == 4 && read == written)
    }
  }

  test("reading something that is not a compressed Hessian fails with the path in the message") {
    DataFiles.withTempDir { dir =>
      DataFiles.write(dir, "metadata.json", Seq("""{"format": "other", "version": 1}"""))
      val e = intercept[IllegalArgumentException](CompressedHessian.read(spark, dir.getPath))
      assert(e.getMessage.contains("metadata.json") && e.getMessage.contains("other"))
    }
  }
}
