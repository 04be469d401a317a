package dev.joule.engine.train;

/** Levenshtein distance between label sequences (substitutions, insertions, deletions cost 1). */
public final class EditDistance {
  private EditDistance() {}

  public static int between(int[] reference, int[] hypothesis) {
    int[] previous = new int[hypothesis.length + 1];
    int[] row = new int[hypothesis.length + 1];
    for (int j = 0; j <= hypothesis.length; j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= reference.length; i++) {
      row[0] = i;
      for (int j = 1; j <= hypothesis.length; j++) {
        int substitute = previous[j - 1] + (reference[i - 1] == hypothesis[j - 1] ? 0 : 1);
        row[j] = Math.min(substitute, Math.min(previous[j], row[j - 1]) + 1);
      }
      int[] t = previous;
      previous = row;
      row = t;
    }
    return previous[hypothesis.length];
  }
}
