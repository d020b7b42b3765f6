public class PreloadMain {
  public static void main(String[] args) throws Exception {
    if (Boolean.getBoolean("preload.lapack")) dev.ludovic.netlib.lapack.LAPACK.getInstance();
    dev.sparknewton.cli.Main.main(args);
  }
}
