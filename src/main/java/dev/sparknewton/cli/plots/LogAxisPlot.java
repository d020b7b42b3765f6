package dev.sparknewton.cli.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A chart with a linear x axis and a base-10 logarithmic y axis, drawn by XChart (Java2D, in
 * headless mode: no display is needed on a cluster driver or in CI) and written as PNG. Points
 * with {@code y <= 0} or a non-finite coordinate have no place on a log axis and are left out; a
 * series left with no point is not drawn. Mutable builder: add series, then {@link #render} or
 * {@link #png}.
 */
public final class LogAxisPlot {
  static {
    // No display on executors, CI or a cluster driver; must be set before the first AWT class loads.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** How a series is drawn. */
  public enum Style {
    /**
     * Points joined by a solid line, small filled circles at the points (none beyond
     * {@link #MAX_MARKED_POINTS} points).
     */
    LINE,
    /** Filled circles only. */
    FILLED_CIRCLES,
    /** Triangles only (for a second kind of point beside {@link #FILLED_CIRCLES}). */
    TRIANGLES
  }

  /** A {@link Style#LINE} series with more points than this is drawn without markers. */
  public static final int MAX_MARKED_POINTS = 60;

  /** Width of a {@link Style#LINE} series' line, pixels. */
  public static final float LINE_WIDTH = 2.5f;

  /** Values spanning fewer decades than this get labels between the powers of ten. */
  static final double DECADES_FOR_DECADE_LABELS = 2.0;

  private final XYChart chart;
  private int drawn;
  /** The smallest and largest y drawn. */
  private double yMin = Double.POSITIVE_INFINITY;
  private double yMax = Double.NEGATIVE_INFINITY;

  /** @param width pixels, at least 200; @param height pixels, at least 150 */
  public LogAxisPlot(int width, int height, String title, String xLabel, String yLabel) {
    if (width < 200 || height < 150) {
      throw new IllegalArgumentException(
          "a plot needs at least 200 x 150 pixels, got " + width + " x " + height);
    }
    chart = new XYChartBuilder().width(width).height(height).title(title)
        .xAxisTitle(xLabel).yAxisTitle(yLabel).build();
    var styler = chart.getStyler();
    styler.setYAxisLogarithmic(true);
    styler.setChartBackgroundColor(Color.WHITE);
    styler.setPlotBackgroundColor(Color.WHITE);
    styler.setPlotBorderColor(Color.BLACK);
    styler.setPlotGridLinesColor(new Color(220, 220, 220));
    styler.setLegendPosition(Styler.LegendPosition.InsideNE);
    styler.setLegendBorderColor(Color.GRAY);
    styler.setChartTitleBoxVisible(false);
    styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
    styler.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
    styler.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    styler.setMarkerSize(7);
    // A tick-label function would replace XChart's logarithmic tick calculator: a pattern only.
    styler.setYAxisDecimalPattern("0E0");
    styler.setXAxisDecimalPattern("#,##0.###");
    styler.setAntiAlias(true);
  }

  /**
   * Adds a series. Series names must differ from each other.
   *
   * @param x the x values. Not modified.
   * @param y the y values, same length as {@code x}. Not modified.
   */
  public LogAxisPlot add(String name, Color color, Style style, double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "series " + name + " has " + x.length + " x values but " + y.length + " y values");
    }
    int n = 0;
    double[] px = new double[x.length];
    double[] py = new double[y.length];
    for (int i = 0; i < x.length; i++) {
      if (plottable(x[i], y[i])) {
        px[n] = x[i];
        py[n++] = y[i];
        yMin = Math.min(yMin, y[i]);
        yMax = Math.max(yMax, y[i]);
      }
    }
    if (n == 0) {
      return this;
    }
    XYSeries s = chart.addSeries(name, Arrays.copyOf(px, n), Arrays.copyOf(py, n));
    s.setLineColor(color);
    s.setMarkerColor(color);
    switch (style) {
      case LINE -> {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineStyle(new BasicStroke(LINE_WIDTH));
        // Markers on a long history (MLlib's hundreds of iterations) merge into a thick band.
        s.setMarker(n <= MAX_MARKED_POINTS ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
      }
      case FILLED_CIRCLES -> {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setLineStyle(SeriesLines.NONE);
        s.setMarker(SeriesMarkers.CIRCLE);
      }
      case TRIANGLES -> {
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        s.setLineStyle(SeriesLines.NONE);
        s.setMarker(SeriesMarkers.TRIANGLE_UP);
      }
      default -> throw new IllegalStateException("unknown style " + style);
    }
    drawn++;
    return this;
  }

  /** Whether the y axis gets labels between the powers of ten: the values span few decades. */
  boolean labelsBetweenDecades() {
    return yMax / yMin < Math.pow(10.0, DECADES_FOR_DECADE_LABELS);
  }

  /** Series added with at least one plottable point. */
  public int seriesDrawn() {
    return drawn;
  }

  /**
   * Draws the chart (an empty frame with its title when no series has a point). The y axis is
   * labelled at every power of ten, and also at 2..9 times one when the values span less than
   * {@link #DECADES_FOR_DECADE_LABELS} decades (a plot within one decade would have no label).
   */
  public BufferedImage render() {
    chart.getStyler().setYAxisLogarithmicDecadeOnly(!labelsBetweenDecades());
    if (drawn == 0) {
      // XChart needs data to lay out its axes: draw the frame around one invisible point.
      XYSeries s = chart.addSeries("(no data)", new double[] {0.0}, new double[] {1.0});
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
      s.setMarker(SeriesMarkers.NONE);
      s.setShowInLegend(false);
      chart.getStyler().setLegendVisible(false);
      drawn = -1;
    }
    return BitmapEncoder.getBufferedImage(chart);
  }

  /** {@link #render} as PNG bytes. */
  public byte[] png() {
    return png(render());
  }

  /** {@code image} as PNG bytes. */
  public static byte[] png(BufferedImage image) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try {
      ImageIO.write(image, "png", bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /**
   * The panels next to each other, left to right, on white, as tall as the tallest.
   *
   * @param panels images. Not modified.
   */
  public static BufferedImage sideBySide(BufferedImage... panels) {
    int width = 0;
    int height = 0;
    for (BufferedImage p : panels) {
      width += p.getWidth();
      height = Math.max(height, p.getHeight());
    }
    BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    try {
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      int x = 0;
      for (BufferedImage p : panels) {
        g.drawImage(p, x, 0, null);
        x += p.getWidth();
      }
    } finally {
      g.dispose();
    }
    return out;
  }

  private static boolean plottable(double x, double y) {
    return Double.isFinite(x) && Double.isFinite(y) && y > 0.0;
  }
}
