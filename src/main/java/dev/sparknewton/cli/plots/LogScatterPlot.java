package dev.sparknewton.cli.plots;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * A scatter plot with a linear x axis and a base-10 logarithmic y axis, drawn with Java2D (AWT in
 * headless mode, so no display is needed) and written as PNG. Points with {@code y <= 0} or
 * non-finite coordinates cannot be placed on a log axis and are left out. Mutable builder: add
 * series, then {@link #writePng}.
 */
public final class LogScatterPlot {
  static {
    // No display on executors, CI or a cluster driver; must be set before the first AWT class loads.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  /** How a series' points are drawn. */
  public enum Marker { FILLED_CIRCLE, OPEN_TRIANGLE }

  private record Series(String name, Color color, Marker marker, double[] x, double[] y) {}

  private static final int MARGIN_LEFT = 90;
  private static final int MARGIN_RIGHT = 30;
  private static final int MARGIN_TOP = 50;
  private static final int MARGIN_BOTTOM = 65;
  private static final int MARKER_SIZE = 9;

  private final int width;
  private final int height;
  private final String title;
  private final String xLabel;
  private final String yLabel;
  private final List<Series> series = new ArrayList<>();

  /** @param width pixels, at least 200; @param height pixels, at least 150 */
  public LogScatterPlot(int width, int height, String title, String xLabel, String yLabel) {
    if (width < 200 || height < 150) {
      throw new IllegalArgumentException(
          "a plot needs at least 200 x 150 pixels, got " + width + " x " + height);
    }
    this.width = width;
    this.height = height;
    this.title = title;
    this.xLabel = xLabel;
    this.yLabel = yLabel;
  }

  /** Adds a series; {@code x} and {@code y} have the same length and are copied. */
  public LogScatterPlot add(String name, Color color, Marker marker, double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "series " + name + " has " + x.length + " x values but " + y.length + " y values");
    }
    series.add(new Series(name, color, marker, x.clone(), y.clone()));
    return this;
  }

  /** Draws the plot and writes it as PNG to {@code out} (not closed). */
  public void writePng(OutputStream out) throws IOException {
    ImageIO.write(render(), "png", out);
  }

  /** Draws the plot. */
  public BufferedImage render() {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING,
          RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      draw(g);
    } finally {
      g.dispose();
    }
    return image;
  }

  private void draw(Graphics2D g) {
    double xMin = Double.POSITIVE_INFINITY;
    double xMax = Double.NEGATIVE_INFINITY;
    double yMin = Double.POSITIVE_INFINITY;
    double yMax = Double.NEGATIVE_INFINITY;
    for (Series s : series) {
      for (int i = 0; i < s.x.length; i++) {
        if (plottable(s.x[i], s.y[i])) {
          xMin = Math.min(xMin, s.x[i]);
          xMax = Math.max(xMax, s.x[i]);
          yMin = Math.min(yMin, s.y[i]);
          yMax = Math.max(yMax, s.y[i]);
        }
      }
    }
    if (xMin > xMax) { // nothing to plot: an empty frame
      xMin = 0;
      xMax = 1;
      yMin = 1;
      yMax = 10;
    }
    double pad = Math.max(0.5, 0.03 * (xMax - xMin));
    Axis x = new Axis(xMin - pad, xMax + pad, MARGIN_LEFT, width - MARGIN_RIGHT);
    double decadeLo = Math.floor(Math.log10(yMin));
    double decadeHi = Math.ceil(Math.log10(yMax));
    if (decadeHi <= decadeLo) {
      decadeHi = decadeLo + 1;
    }
    Axis y = new Axis(decadeLo, decadeHi, height - MARGIN_BOTTOM, MARGIN_TOP);

    Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    Font label = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    g.setFont(small);
    FontMetrics fm = g.getFontMetrics();
    // Horizontal grid and labels at each decade, light minor lines at 2..9.
    for (int p = (int) decadeLo; p <= (int) decadeHi; p++) {
      int py = (int) Math.round(y.pixel(p));
      g.setColor(new Color(215, 215, 215));
      g.drawLine(x.lo(), py, x.hi(), py);
      if (p < decadeHi) {
        g.setColor(new Color(238, 238, 238));
        for (int m = 2; m <= 9; m++) {
          int my = (int) Math.round(y.pixel(p + Math.log10(m)));
          g.drawLine(x.lo(), my, x.hi(), my);
        }
      }
      g.setColor(Color.BLACK);
      String text = "1e" + p;
      g.drawString(text, x.lo() - 8 - fm.stringWidth(text), py + fm.getAscent() / 2 - 1);
    }
    // Vertical ticks at "nice" integer-friendly steps.
    double step = niceStep((xMax - xMin) / 8.0);
    for (double t = Math.ceil((xMin - pad) / step) * step; t <= xMax + pad; t += step) {
      int px = (int) Math.round(x.pixel(t));
      g.setColor(new Color(235, 235, 235));
      g.drawLine(px, y.lo(), px, y.hi());
      g.setColor(Color.BLACK);
      g.drawLine(px, y.lo(), px, y.lo() + 5);
      String text = step >= 1 ? String.valueOf(Math.round(t)) : String.format("%.2g", t);
      g.drawString(text, px - fm.stringWidth(text) / 2, y.lo() + 8 + fm.getAscent());
    }
    g.setColor(Color.BLACK);
    g.drawRect(x.lo(), y.hi(), x.hi() - x.lo(), y.lo() - y.hi());

    g.setFont(label);
    FontMetrics lm = g.getFontMetrics();
    g.drawString(xLabel, (x.lo() + x.hi() - lm.stringWidth(xLabel)) / 2, height - 18);
    AffineTransform saved = g.getTransform();
    g.rotate(-Math.PI / 2);
    g.drawString(yLabel, -(y.lo() + y.hi() + lm.stringWidth(yLabel)) / 2, 24);
    g.setTransform(saved);
    Font bold = new Font(Font.SANS_SERIF, Font.BOLD, 17);
    g.setFont(bold);
    FontMetrics bm = g.getFontMetrics();
    g.drawString(title, (width - bm.stringWidth(title)) / 2, MARGIN_TOP - 18);

    g.setStroke(new BasicStroke(1.6f));
    for (Series s : series) {
      for (int i = 0; i < s.x.length; i++) {
        if (plottable(s.x[i], s.y[i])) {
          marker(g, s, x.pixel(s.x[i]), y.pixel(Math.log10(s.y[i])));
        }
      }
    }
    legend(g, x, y, small);
  }

  private void legend(Graphics2D g, Axis x, Axis y, Font font) {
    if (series.isEmpty()) {
      return;
    }
    g.setFont(font);
    FontMetrics fm = g.getFontMetrics();
    int line = fm.getHeight() + 4;
    int textWidth = 0;
    for (Series s : series) {
      textWidth = Math.max(textWidth, fm.stringWidth(s.name));
    }
    int boxW = textWidth + 40;
    int boxH = line * series.size() + 8;
    int bx = x.hi() - boxW - 10;
    int by = y.hi() + 10;
    g.setColor(new Color(255, 255, 255, 235));
    g.fill(new Rectangle2D.Double(bx, by, boxW, boxH));
    g.setColor(Color.GRAY);
    g.draw(new Rectangle2D.Double(bx, by, boxW, boxH));
    for (int i = 0; i < series.size(); i++) {
      Series s = series.get(i);
      int cy = by + 4 + line * i + line / 2;
      marker(g, s, bx + 16, cy);
      g.setColor(Color.BLACK);
      g.drawString(s.name, bx + 30, cy + fm.getAscent() / 2 - 2);
    }
  }

  private static void marker(Graphics2D g, Series s, double cx, double cy) {
    g.setColor(s.color);
    double r = MARKER_SIZE / 2.0;
    if (s.marker == Marker.FILLED_CIRCLE) {
      g.fill(new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r));
    } else {
      Path2D.Double t = new Path2D.Double();
      t.moveTo(cx, cy - r - 1);
      t.lineTo(cx + r + 1, cy + r);
      t.lineTo(cx - r - 1, cy + r);
      t.closePath();
      g.draw(t);
    }
  }

  private static boolean plottable(double x, double y) {
    return Double.isFinite(x) && Double.isFinite(y) && y > 0.0;
  }

  /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
  private static double niceStep(double raw) {
    if (!(raw > 0.0)) {
      return 1.0;
    }
    double p = Math.pow(10, Math.floor(Math.log10(raw)));
    double m = raw / p;
    return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
  }

  /** A linear map from data values {@code [v0, v1]} to pixels {@code [p0, p1]}. */
  private record Axis(double v0, double v1, int p0, int p1) {
    double pixel(double v) {
      return p0 + (v - v0) / (v1 - v0) * (p1 - p0);
    }

    int lo() {
      return p0;
    }

    int hi() {
      return p1;
    }
  }
}
