package dev.joule.decoder.lm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Interpolated modified Kneser-Ney straight from the formulas, in float64, over hash maps of
 * n-gram lists: slow and simple, the reference the estimator is compared with.
 */
final class ReferenceKneserNey {
  final int order;
  final int vocabSize;
  /** Raw counts of every n-gram (list of ids) of orders 1..order. */
  final Map<List<Integer>, Long> raw = new HashMap<>();
  final Map<List<Integer>, Long> adjusted = new HashMap<>();
  /** discounts[n] = {D1, D2, D3+}. */
  final double[][] discounts;

  ReferenceKneserNey(List<int[]> sentences, int order, int vocabSize) {
    this.order = order;
    this.vocabSize = vocabSize;
    for (int[] s : sentences) {
      List<Integer> t = new ArrayList<>();
      t.add(Vocabulary.BOS);
      for (int w : s) {
        t.add(w);
      }
      t.add(Vocabulary.EOS);
      for (int end = 1; end < t.size(); end++) {
        for (int n = 1; n <= order && end - n + 1 >= 0; n++) {
          raw.merge(List.copyOf(t.subList(end - n + 1, end + 1)), 1L, Long::sum);
        }
      }
    }
    Map<List<Integer>, Set<Integer>> leftWords = new HashMap<>();
    for (List<Integer> g : raw.keySet()) {
      if (g.size() >= 2) {
        leftWords.computeIfAbsent(g.subList(1, g.size()), k -> new HashSet<>()).add(g.get(0));
      }
    }
    for (Map.Entry<List<Integer>, Long> e : raw.entrySet()) {
      List<Integer> g = e.getKey();
      boolean keepRaw = g.size() == order || g.get(0) == Vocabulary.BOS;
      adjusted.put(g, keepRaw ? e.getValue() : (long) leftWords.get(g).size());
    }
    discounts = new double[order + 1][];
    for (int n = 1; n <= order; n++) {
      long[] coc = new long[5];
      for (Map.Entry<List<Integer>, Long> e : adjusted.entrySet()) {
        long a = e.getValue();
        if (e.getKey().size() == n && a >= 1 && a <= 4) {
          coc[(int) a]++;
        }
      }
      double y = coc[1] / (coc[1] + 2.0 * coc[2]);
      double[] d = {
        1 - 2 * y * coc[2] / coc[1], 2 - 3 * y * coc[3] / coc[2], 3 - 4 * y * coc[4] / coc[3]
      };
      boolean defined = true;
      for (int k = 0; k < 3; k++) {
        defined &= d[k] > 0 && d[k] <= k + 1;
      }
      // Undefined (NaN comparisons are false) or out of range: KenLM's fallback.
      discounts[n] = defined ? d : new double[] {0.5, 1.0, 1.5};
    }
  }

  private double discount(int n, long a) {
    return a == 0 ? 0 : discounts[n][(int) Math.min(a, 3) - 1];
  }

  /** p(w | h), h given as its last (at most order-1) words. */
  double prob(List<Integer> h, int w) {
    if (h.size() > order - 1) {
      h = h.subList(h.size() - (order - 1), h.size());
    }
    int n = h.size() + 1;
    double total = 0;
    double gammaNumerator = 0;
    for (Map.Entry<List<Integer>, Long> e : adjusted.entrySet()) {
      List<Integer> g = e.getKey();
      if (g.size() == n && g.subList(0, n - 1).equals(h)) {
        total += e.getValue();
        gammaNumerator += discount(n, e.getValue());
      }
    }
    List<Integer> hw = new ArrayList<>(h);
    hw.add(w);
    long a = adjusted.getOrDefault(hw, 0L);
    if (n == 1) {
      if (w == Vocabulary.BOS) {
        return 0;
      }
      return (a - discount(1, a)) / total + gammaNumerator / total / (vocabSize - 1);
    }
    double lower = prob(h.subList(1, h.size()), w);
    if (total == 0) {
      return lower;
    }
    return (a - discount(n, a)) / total + gammaNumerator / total * lower;
  }
}
