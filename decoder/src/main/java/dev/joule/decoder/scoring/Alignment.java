package dev.joule.decoder.scoring;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A minimum-cost alignment of a reference and a hypothesis token sequence (Levenshtein dynamic
 * programming in integers). The default weights are sclite's (correct 0, substitution 4,
 * deletion 3, insertion 3), which prefer one substitution to a deletion plus an insertion;
 * weights 1/1/1 give the plain edit distance. Among equal-cost alignments the trace back from the
 * end prefers a diagonal step (correct or substitution), then a deletion, then an insertion.
 */
public final class Alignment {
  /** sclite's substitution, deletion and insertion costs. */
  public static final int SCLITE_SUB = 4;
  public static final int SCLITE_DEL = 3;
  public static final int SCLITE_INS = 3;

  /** One aligned position: {@code ref} is null for an insertion, {@code hyp} for a deletion. */
  public record Pair(String ref, String hyp, EditOp op) {}

  private final List<Pair> pairs;
  private final int cost;
  private final ErrorCounts counts;

  private Alignment(List<Pair> pairs, int cost) {
    this.pairs = Collections.unmodifiableList(pairs);
    this.cost = cost;
    int[] n = new int[EditOp.values().length];
    for (Pair p : pairs) {
      n[p.op().ordinal()]++;
    }
    int errors = n[1] + n[2] + n[3];
    this.counts = new ErrorCounts(n[0], n[1], n[2], n[3], 1, errors > 0 ? 1 : 0);
  }

  /** Aligns with sclite's weights. */
  public static Alignment align(List<String> ref, List<String> hyp) {
    return align(ref, hyp, SCLITE_SUB, SCLITE_DEL, SCLITE_INS);
  }

  /** Aligns with the given non-negative costs (correct costs 0). */
  public static Alignment align(List<String> ref, List<String> hyp, int sub, int del, int ins) {
    if (sub < 0 || del < 0 || ins < 0) {
      throw new IllegalArgumentException("edit costs must be non-negative");
    }
    int n = ref.size();
    int m = hyp.size();
    // Costs stay in int: (n + m) · max weight, far below 2^31 for any real utterance.
    if ((long) (n + m) * Math.max(sub, Math.max(del, ins)) > Integer.MAX_VALUE / 2) {
      throw new IllegalArgumentException("utterance too long to align: " + n + " and " + m + " tokens");
    }
    int[][] d = new int[n + 1][m + 1];
    for (int i = 1; i <= n; i++) {
      d[i][0] = d[i - 1][0] + del;
    }
    for (int j = 1; j <= m; j++) {
      d[0][j] = d[0][j - 1] + ins;
    }
    for (int i = 1; i <= n; i++) {
      for (int j = 1; j <= m; j++) {
        int diag = d[i - 1][j - 1] + (ref.get(i - 1).equals(hyp.get(j - 1)) ? 0 : sub);
        d[i][j] = Math.min(diag, Math.min(d[i - 1][j] + del, d[i][j - 1] + ins));
      }
    }
    List<Pair> pairs = new ArrayList<>(Math.max(n, m));
    int i = n;
    int j = m;
    while (i > 0 || j > 0) {
      if (i > 0 && j > 0) {
        boolean same = ref.get(i - 1).equals(hyp.get(j - 1));
        if (d[i][j] == d[i - 1][j - 1] + (same ? 0 : sub)) {
          pairs.add(new Pair(ref.get(i - 1), hyp.get(j - 1), same ? EditOp.CORRECT : EditOp.SUBSTITUTION));
          i--;
          j--;
          continue;
        }
      }
      if (i > 0 && d[i][j] == d[i - 1][j] + del) {
        pairs.add(new Pair(ref.get(i - 1), null, EditOp.DELETION));
        i--;
      } else {
        pairs.add(new Pair(null, hyp.get(j - 1), EditOp.INSERTION));
        j--;
      }
    }
    Collections.reverse(pairs);
    return new Alignment(pairs, d[n][m]);
  }

  public List<Pair> pairs() {
    return pairs;
  }

  /** The alignment's total weighted cost. */
  public int cost() {
    return cost;
  }

  public ErrorCounts counts() {
    return counts;
  }
}
