package dev.sparknewton.ml.params;

/**
 * Hands a uid to a Java Params class while its Scala superclass constructs.
 *
 * <p>Spark's Scala superclasses ({@code Predictor}, {@code ProbabilisticClassifier}, ...) create
 * their params ({@code labelCol}, {@code featuresCol}, ...) in their constructors, and each param
 * records its owner's {@code uid()} then. A Scala class has its {@code uid} constructor field set
 * before the superclass constructor runs; a Java class cannot assign a field before
 * {@code super()}. So a Java estimator's {@code (String uid)} constructor passes the uid through
 * {@link #hold}, evaluated before the superclass constructor, and its {@code uid()} reads
 * {@link #current} while its own field is still null:
 *
 * <pre>{@code
 * public MyEstimator(String uid) { this(PendingUid.hold(uid)); }
 * private MyEstimator(PendingUid pending) { super(); this.uid = pending.release(); ... }
 * public String uid() { if (uid == null) { uid = PendingUid.current(); } return uid; }
 * }</pre>
 */
public final class PendingUid {
  private static final ThreadLocal<String> PENDING = new ThreadLocal<>();

  private final String uid;

  private PendingUid(String uid) {
    this.uid = uid;
  }

  /** Makes {@code uid} the current thread's pending uid until {@link #release()}. */
  public static PendingUid hold(String uid) {
    if (uid == null || uid.isEmpty()) {
      throw new IllegalArgumentException("a Params uid must be a non-empty string, got '" + uid + "'");
    }
    PENDING.set(uid);
    return new PendingUid(uid);
  }

  /** The uid held by the constructor running on this thread. */
  public static String current() {
    String uid = PENDING.get();
    if (uid == null) {
      throw new IllegalStateException("uid() called outside a constructor that holds a uid");
    }
    return uid;
  }

  /** Ends the hold; returns the uid. */
  public String release() {
    PENDING.remove();
    return uid;
  }
}
