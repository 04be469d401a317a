package dev.joule.engine.trf;

/** Word-level edit distance (substitutions, insertions, deletions all cost 1), for WER. */
public final class WordErrors {
  private WordErrors() {}

  /** The minimum number of edits turning {@code reference} into {@code hypothesis}. */
  public static int distance(String[] reference, String[] hypothesis) {
    int[] prev = new int[hypothesis.length + 1];
    int[] cur = new int[hypothesis.length + 1];
    for (int j = 0; j <= hypothesis.length; j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= reference.length; i++) {
      cur[0] = i;
      for (int j = 1; j <= hypothesis.length; j++) {
        int sub = prev[j - 1] + (reference[i - 1].equals(hypothesis[j - 1]) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[hypothesis.length];
  }
}
