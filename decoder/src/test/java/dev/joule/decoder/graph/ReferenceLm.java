package dev.joule.decoder.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The simplest back-off scorer, independent of the code under test: a map from n-gram text to
 * (log10 p, log10 backoff), and the textbook recursion.
 */
final class ReferenceLm {
  private final Map<String, double[]> ngrams = new HashMap<>();
  private int order;

  ReferenceLm(Path arpa) throws IOException {
    int current = 0;
    for (String line : Files.readAllLines(arpa)) {
      String t = line.strip();
      if (t.matches("\\\\\\d+-grams:")) {
        current = Integer.parseInt(t.substring(1, t.indexOf('-')));
        order = Math.max(order, current);
        continue;
      }
      if (current == 0 || t.isEmpty() || t.startsWith("\\")) {
        continue;
      }
      String[] f = t.split("\\s+");
      StringBuilder key = new StringBuilder();
      for (int i = 1; i <= current; i++) {
        key.append(i > 1 ? " " : "").append(f[i]);
      }
      double bo = f.length > current + 1 ? Double.parseDouble(f[current + 1]) : 0;
      ngrams.put(key.toString(), new double[] {Double.parseDouble(f[0]), bo});
    }
  }

  /** log10 p(w | history), history most recent last. */
  double logProb(List<String> history, String w) {
    List<String> h = history.size() > order - 1 ? history.subList(history.size() - order + 1, history.size()) : history;
    double[] e = ngrams.get(join(h, w));
    if (e != null) {
      return e[0];
    }
    if (h.isEmpty()) {
      return Double.NEGATIVE_INFINITY;
    }
    double[] ctx = ngrams.get(String.join(" ", h));
    double bo = ctx == null ? 0 : ctx[1];
    return bo + logProb(h.subList(1, h.size()), w);
  }

  /** −ln p(words </s> | <s>): the cost of the sentence in G. */
  double sentenceCost(List<String> words) {
    List<String> h = new ArrayList<>(List.of("<s>"));
    double lp = 0;
    for (String w : words) {
      lp += logProb(h, w);
      h.add(w);
    }
    lp += logProb(h, "</s>");
    return -lp * Math.log(10);
  }

  private static String join(List<String> h, String w) {
    return h.isEmpty() ? w : String.join(" ", h) + " " + w;
  }
}
