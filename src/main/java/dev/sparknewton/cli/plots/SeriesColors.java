package dev.sparknewton.cli.plots;

import java.awt.Color;

/**
 * The colours of a plot's series, in order: the ten of matplotlib's {@code tab10} cycle (distinct
 * in print and for the common colour-vision deficiencies), repeated after ten.
 */
public final class SeriesColors {
  private static final int[] RGB = {0x1f77b4, 0xd62728, 0x2ca02c, 0x9467bd, 0xff7f0e, 0x8c564b,
      0x17becf, 0x7f7f7f, 0xe377c2, 0xbcbd22};

  private SeriesColors() {}

  /** The colour of series {@code index} (0-based). */
  public static Color of(int index) {
    if (index < 0) {
      throw new IllegalArgumentException("series index must be >= 0, got " + index);
    }
    return new Color(RGB[index % RGB.length]);
  }
}
