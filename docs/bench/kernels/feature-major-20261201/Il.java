import java.util.*;

/** Probe: interleaved dense sides for CSR kernels, JMH shape (40 blocks x 1600 rows x 48, d 20000). */
public class Il {
  static final int D = 20000, N = 64000, BR = 1600, PR = 48;
  static int[][] starts, cols; static double[][] vals, ys;
  static double sink;

  static double stream() {
    double s0=0,s1=0,s2=0,s3=0; long t0=0,t1=0;
    for (int b = 0; b < vals.length; b++) {
      double[] a = vals[b];
      for (int i = 0; i + 3 < a.length; i += 4) { s0 += a[i]; s1 += a[i+1]; s2 += a[i+2]; s3 += a[i+3]; }
      int[] c = cols[b];
      for (int i = 0; i + 1 < c.length; i += 2) { t0 += c[i]; t1 += c[i+1]; }
      int[] st = starts[b];
      for (int i = 0; i < st.length; i++) t0 += st[i];
      double[] y = ys[b];
      for (int i = 0; i < y.length; i++) s0 += y[i];
      for (int i = 0; i < y.length; i++) s1 += y[i];
    }
    return s0+s1+s2+s3+t0+t1;
  }

  static double dot(int[] st, int[] c, double[] x, int i, double[] v) {
    double s0=0,s1=0,s2=0,s3=0; int k = st[i], e = st[i+1];
    for (; k + 3 < e; k += 4) { s0 += x[k]*v[c[k]]; s1 += x[k+1]*v[c[k+1]]; s2 += x[k+2]*v[c[k+2]]; s3 += x[k+3]*v[c[k+3]]; }
    for (; k < e; k++) s0 += x[k]*v[c[k]];
    return (s0+s1)+(s2+s3);
  }

  // line values products, separate arrays (two row dots per row)
  static double two(double[] w, double[] p, double[] z, double[] u) {
    double t = 0;
    for (int b = 0; b < vals.length; b++) {
      int[] st = starts[b], c = cols[b]; double[] x = vals[b];
      for (int i = 0; i < BR; i++) { z[i] = dot(st, c, x, i, w); u[i] = dot(st, c, x, i, p); }
      t += z[7] + u[9];
    }
    return t;
  }
  // interleaved wp[2j], wp[2j+1]
  static double twoIl(double[] wp, double[] z, double[] u) {
    double t = 0;
    for (int b = 0; b < vals.length; b++) {
      int[] st = starts[b], c = cols[b]; double[] x = vals[b];
      for (int i = 0; i < BR; i++) {
        double a0=0,a1=0,a2=0,a3=0,b0=0,b1=0,b2=0,b3=0; int k = st[i], e = st[i+1];
        for (; k + 3 < e; k += 4) {
          int j0 = 2*c[k], j1 = 2*c[k+1], j2 = 2*c[k+2], j3 = 2*c[k+3];
          a0 += x[k]*wp[j0]; a1 += x[k+1]*wp[j1]; a2 += x[k+2]*wp[j2]; a3 += x[k+3]*wp[j3];
          b0 += x[k]*wp[j0+1]; b1 += x[k+1]*wp[j1+1]; b2 += x[k+2]*wp[j2+1]; b3 += x[k+3]*wp[j3+1];
        }
        for (; k < e; k++) { int j = 2*c[k]; a0 += x[k]*wp[j]; b0 += x[k]*wp[j+1]; }
        z[i] = (a0+a1)+(a2+a3); u[i] = (b0+b1)+(b2+b3);
      }
      t += z[7] + u[9];
    }
    return t;
  }


  // gradient: software-pipelined: the margins of tile t+1 and the scatter of tile t in one loop
  static double gradPipe(double[] w, double[] g, double[] z, int tile) {
    double t = 0;
    for (int b = 0; b < vals.length; b++) {
      int[] st = starts[b], c = cols[b]; double[] x = vals[b], y = ys[b];
      int first = Math.min(BR, tile);
      for (int i = 0; i < first; i++) z[i] = dot(st, c, x, i, w);
      for (int i = 0; i < first; i++) { double s = sig(z[i]) - y[i]; z[i] = s; t += s; }
      for (int f = 0; f < BR; f += tile) {
        int to = Math.min(BR, f + tile);
        int nf = to, nto = Math.min(BR, to + tile);
        int m = Math.max(to - f, nto - nf);
        for (int q = 0; q < m; q++) {
          int i = nf + q;
          if (i < nto) z[i] = dot(st, c, x, i, w);
          int j = f + q;
          if (j < to) { double s = z[j]; for (int k = st[j], e = st[j+1]; k < e; k++) g[c[k]] += s * x[k]; }
        }
        for (int i = nf; i < nto; i++) { double s = sig(z[i]) - y[i]; z[i] = s; t += s; }
      }
    }
    return t;
  }
  static double margins(double[] w, double[] z) {
    double t = 0;
    for (int b = 0; b < vals.length; b++) {
      int[] st = starts[b], c = cols[b]; double[] x = vals[b];
      for (int i = 0; i < BR; i++) z[i] = dot(st, c, x, i, w);
      t += z[5];
    }
    return t;
  }
  static double scatter(double[] g, double[] z) {
    for (int b = 0; b < vals.length; b++) {
      int[] st = starts[b], c = cols[b]; double[] x = vals[b];
      for (int j = 0; j < BR; j++) { double s = z[j]; for (int k = st[j], e = st[j+1]; k < e; k++) g[c[k]] += s * x[k]; }
    }
    return g[4];
  }

  static double sig(double z) { return 1.0 / (1.0 + Math.exp(-z)); }

  // gradient: tiled, separate w and g
  static double grad(double[] w, double[] g, double[] z, int tile) {
    double t = 0;
    for (int b = 0; b < vals.length; b++) {
      int[] st = starts[b], c = cols[b]; double[] x = vals[b], y = ys[b];
      for (int f = 0; f < BR; f += tile) {
        int to = Math.min(BR, f + tile);
        for (int i = f; i < to; i++) z[i] = dot(st, c, x, i, w);
        for (int i = f; i < to; i++) { double s = sig(z[i]) - y[i]; z[i] = s; t += s; }
        for (int i = f; i < to; i++) { double s = z[i]; for (int k = st[i], e = st[i+1]; k < e; k++) g[c[k]] += s * x[k]; }
      }
    }
    return t;
  }
  // gradient: tiled, interleaved wg[2j] = w, wg[2j+1] = g
  static double gradIl(double[] wg, double[] z, int tile) {
    double t = 0;
    for (int b = 0; b < vals.length; b++) {
      int[] st = starts[b], c = cols[b]; double[] x = vals[b], y = ys[b];
      for (int f = 0; f < BR; f += tile) {
        int to = Math.min(BR, f + tile);
        for (int i = f; i < to; i++) {
          double s0=0,s1=0,s2=0,s3=0; int k = st[i], e = st[i+1];
          for (; k + 3 < e; k += 4) { s0 += x[k]*wg[2*c[k]]; s1 += x[k+1]*wg[2*c[k+1]]; s2 += x[k+2]*wg[2*c[k+2]]; s3 += x[k+3]*wg[2*c[k+3]]; }
          for (; k < e; k++) s0 += x[k]*wg[2*c[k]];
          z[i] = (s0+s1)+(s2+s3);
        }
        for (int i = f; i < to; i++) { double s = sig(z[i]) - y[i]; z[i] = s; t += s; }
        for (int i = f; i < to; i++) { double s = z[i]; for (int k = st[i], e = st[i+1]; k < e; k++) wg[2*c[k]+1] += s * x[k]; }
      }
    }
    return t;
  }
  // H V r=8 : column-outer (current) vs row-major interleaved [V row | out row] 16 wide
  static double hv8col(double[] v, double[] out, double[] h, double[] zz) {
    for (int b = 0; b < vals.length; b++) {
      int[] st = starts[b], c = cols[b]; double[] x = vals[b];
      for (int col = 0; col < 8; col++) {
        int o = col * D;
        for (int i = 0; i < BR; i++) { double s = 0; for (int k = st[i], e = st[i+1]; k < e; k++) s += x[k]*v[o+c[k]]; zz[col*BR+i] = s * h[i]; }
      }
      for (int col = 0; col < 8; col++) {
        int o = col * D;
        for (int i = 0; i < BR; i++) { double s = zz[col*BR+i]; for (int k = st[i], e = st[i+1]; k < e; k++) out[o+c[k]] += s*x[k]; }
      }
    }
    return out[3];
  }
  static double hv8row(double[] vo, double[] h) {
    double[] acc = new double[8];
    for (int b = 0; b < vals.length; b++) {
      int[] st = starts[b], c = cols[b]; double[] x = vals[b];
      for (int i = 0; i < BR; i++) {
        Arrays.fill(acc, 0);
        int e = st[i+1];
        for (int k = st[i]; k < e; k++) { double xv = x[k]; int o = 16*c[k]; for (int q = 0; q < 8; q++) acc[q] += xv*vo[o+q]; }
        double hi = h[i];
        for (int q = 0; q < 8; q++) acc[q] *= hi;
        for (int k = st[i]; k < e; k++) { double xv = x[k]; int o = 16*c[k]+8; for (int q = 0; q < 8; q++) vo[o+q] += xv*acc[q]; }
      }
    }
    return vo[11];
  }

  public static void main(String[] a) {
    Random r = new Random(42);
    int nb = N / BR; starts = new int[nb][]; cols = new int[nb][]; vals = new double[nb][]; ys = new double[nb][];
    for (int b = 0; b < nb; b++) {
      starts[b] = new int[BR+1]; cols[b] = new int[BR*PR]; vals[b] = new double[BR*PR]; ys[b] = new double[BR];
      for (int i = 0; i < BR; i++) { starts[b][i+1] = starts[b][i]+PR; ys[b][i] = r.nextInt(2);
        for (int j = 0; j < PR; j++) { cols[b][i*PR+j] = j*(D/PR) + r.nextInt(D/PR); vals[b][i*PR+j] = r.nextGaussian(); } }
    }
    double[] w = new double[D+1], p = new double[D+1], g = new double[D+1], wp = new double[2*D+2], wg = new double[2*D+2];
    for (int j = 0; j < D; j++) { w[j] = 0.1*r.nextGaussian(); p[j] = r.nextGaussian(); wp[2*j] = w[j]; wp[2*j+1] = p[j]; wg[2*j] = w[j]; }
    double[] z = new double[BR], u = new double[BR];
    double[] v = new double[8*D], out = new double[8*D], vo = new double[16*D], h = new double[BR], zz = new double[8*BR];
    for (int i = 0; i < v.length; i++) v[i] = r.nextGaussian();
    for (int i = 0; i < BR; i++) h[i] = r.nextDouble();
    String[] names = {"stream", "two", "twoIl", "grad16", "grad64", "grad128", "gradIl4", "gradIl8", "gradIl16", "gradIl64", "hv8col", "hv8row", "pipe8", "pipe32", "pipe84", "margins", "scatter"};
    double[][] t = new double[names.length][];
    int reps = Integer.parseInt(a.length > 0 ? a[0] : "15");
    for (int q = 0; q < names.length; q++) t[q] = new double[reps];
    for (int rep = 0; rep < reps; rep++) {
      for (int q = 0; q < names.length; q++) {
        long t0 = System.nanoTime();
        switch (q) {
          case 0 -> sink += stream();
          case 1 -> sink += two(w, p, z, u);
          case 2 -> sink += twoIl(wp, z, u);
          case 3 -> sink += grad(w, g, z, 21);
          case 4 -> sink += grad(w, g, z, 84);
          case 5 -> sink += grad(w, g, z, 168);
          case 6 -> sink += gradIl(wg, z, 4);
          case 7 -> sink += gradIl(wg, z, 8);
          case 8 -> sink += gradIl(wg, z, 16);
          case 9 -> sink += gradIl(wg, z, 84);
          case 10 -> sink += hv8col(v, out, h, zz);
          case 11 -> sink += hv8row(vo, h);
          case 12 -> sink += gradPipe(w, g, z, 8);
          case 13 -> sink += gradPipe(w, g, z, 32);
          case 14 -> sink += gradPipe(w, g, z, 84);
          case 15 -> sink += margins(w, z);
          case 16 -> sink += scatter(g, z);
        }
        t[q][rep] = (System.nanoTime() - t0) / 1e6;
      }
    }
    for (int q = 0; q < names.length; q++) {
      double[] s = Arrays.copyOfRange(t[q], reps/3, reps); Arrays.sort(s);
      System.out.printf("%-9s median %6.2f ms  (min %6.2f)%n", names[q], s[s.length/2], s[0]);
    }
    System.out.println(sink > 0 ? "" : " ");
  }
}
