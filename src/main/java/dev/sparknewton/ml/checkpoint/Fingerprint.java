package dev.sparknewton.ml.checkpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a checkpoint was written for: the data as the run saw it ({@code rows}, {@code features},
 * the label mapping, the partitions of the cached blocks, the parameters of the model) and every
 * setting that affects the result ({@link Checkpointing#settings()}, with the resolved solver).
 * A run resumes only from a checkpoint whose fingerprint equals its own, since any difference
 * changes the iterates (the partitioning too: it fixes the order in which partial sums add).
 *
 * @param data {@code rows}, {@code features}, {@code labels}, {@code partitions}, {@code parameters}
 * @param settings setting name to value
 */
public record Fingerprint(SortedMap<String, String> data, SortedMap<String, String> settings) {
  /** Differences listed in a refusal before "and N more". */
  static final int LISTED = 4;

  public Fingerprint {
    data = Collections.unmodifiableSortedMap(new TreeMap<>(data));
    settings = Collections.unmodifiableSortedMap(new TreeMap<>(settings));
  }

  /**
   * Each difference of {@code here} from this (the checkpoint's) fingerprint, as
   * {@code "solver.maxIter = 10 there, 20 here"}; empty when they are equal.
   */
  public List<String> differences(Fingerprint here) {
    List<String> out = new ArrayList<>();
    compare("", data, here.data, out);
    compare("", settings, here.settings, out);
    return out;
  }

  /** The differences in one line, the first {@link #LISTED} of them. */
  static String describe(List<String> differences) {
    int shown = Math.min(LISTED, differences.size());
    String s = String.join("; ", differences.subList(0, shown));
    return differences.size() > shown ? s + "; and " + (differences.size() - shown) + " more" : s;
  }

  private static void compare(String prefix, Map<String, String> there, Map<String, String> here,
      List<String> out) {
    for (String key : new TreeSet<>(union(there, here))) {
      String a = there.get(key);
      String b = here.get(key);
      if (!Objects.equals(a, b)) {
        out.add(prefix + key + " = " + shown(a) + " there, " + shown(b) + " here");
      }
    }
  }

  private static List<String> union(Map<String, String> a, Map<String, String> b) {
    List<String> keys = new ArrayList<>(a.keySet());
    keys.addAll(b.keySet());
    return keys;
  }

  private static String shown(String v) {
    return v == null ? "(absent)" : "'" + v + "'";
  }
}
