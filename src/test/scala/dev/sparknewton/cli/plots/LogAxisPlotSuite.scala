package dev.sparknewton.cli.plots

import java.awt.Color
import org.scalatest.funsuite.AnyFunSuite

/** The log axis's labels: between the powers of ten only where the values span few decades. */
class LogAxisPlotSuite extends AnyFunSuite {
  private def plot(ys: Double*): LogAxisPlot =
    new LogAxisPlot(400, 300, "t", "x", "y")
      .add("s", Color.BLUE, LogAxisPlot.Style.LINE, ys.indices.map(_.toDouble).toArray, ys.toArray)

  test("values within a decade (Fashion-MNIST's test error, 0.12-0.86) get labels between the powers of ten; values over many decades only at them") {
    val narrow = plot(0.86, 0.5, 0.2, 0.122)
    assert(narrow.labelsBetweenDecades())
    assert(narrow.render().getWidth == 400)
    assert(!plot(1.0, 1e-3, 1e-9).labelsBetweenDecades())
    assert(!plot(1.0, 0.01).labelsBetweenDecades(), "exactly two decades: powers of ten suffice")
    assert(plot(1.0, 0.0101).labelsBetweenDecades())
  }
}
