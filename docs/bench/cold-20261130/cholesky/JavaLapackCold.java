public class JavaLapackCold {
  public static void main(String[] a) {
    long t0 = System.nanoTime();
    Object l = a.length > 0 ? dev.ludovic.netlib.lapack.JavaLAPACK.getInstance() : dev.ludovic.netlib.lapack.LAPACK.getInstance();
    System.out.printf("%s %.1f ms%n", l.getClass().getSimpleName(), (System.nanoTime() - t0) / 1e6);
    t0 = System.nanoTime();
    Object b = a.length > 0 ? dev.ludovic.netlib.blas.JavaBLAS.getInstance() : dev.ludovic.netlib.blas.BLAS.getInstance();
    System.out.printf("%s %.1f ms%n", b.getClass().getSimpleName(), (System.nanoTime() - t0) / 1e6);
  }
}
