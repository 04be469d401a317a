package dev.joule.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's trigram is a proper model: every history's next-word distribution sums to one. */
class TrigramEstimatorTest {
  @TempDir Path dir;

  @Test
  void everyHistorySumsToOne() throws IOException {
    List<String> words = new ArrayList<>(List.of("<s>", "</s>"));
    for (int i = 0; i < 12; i++) {
      words.add("w" + i);
    }
    TrigramEstimator est = new TrigramEstimator(words, 2);
    Random rnd = new Random(3);
    for (int s = 0; s < 400; s++) {
      int[] sentence = new int[1 + rnd.nextInt(6)];
      for (int i = 0; i < sentence.length; i++) {
        // Skewed choice so that some trigrams pass the cutoff and others do not.
        sentence[i] = 2 + Math.min(rnd.nextInt(12), rnd.nextInt(12));
      }
      est.add(sentence);
    }
    Path arpa = dir.resolve("lm.arpa");
    int[] counts = est.writeArpa(arpa);
    assertTrue(counts[2] > 0 && counts[2] < 12 * 12 * 12, "trigrams: " + counts[2]);

    // Brute force: read the file back and apply the back-off recursion to every history.
    Map<String, double[]> ngrams = new HashMap<>();
    int order = 0;
    for (String line : Files.readAllLines(arpa)) {
      if (line.matches("\\\\\\d-grams:")) {
        order = line.charAt(1) - '0';
      } else if (order > 0 && !line.isBlank() && !line.startsWith("\\")) {
        String[] f = line.split("\\s+");
        String key = String.join(" ", List.of(f).subList(1, 1 + order));
        ngrams.put(key, new double[] {Double.parseDouble(f[0]), f.length > order + 1 ? Double.parseDouble(f[order + 1]) : 0});
      }
    }
    for (String a : words) {
      for (String b : words) {
        if (b.equals("</s>") || a.equals("</s>") || (b.equals("<s>") && !a.equals("<s>"))) {
          continue;
        }
        double sum = 0;
        for (String w : words) {
          if (!w.equals("<s>")) {
            sum += Math.pow(10, logProb(ngrams, a, b, w));
          }
        }
        assertEquals(1.0, sum, 1e-4, "history " + a + " " + b);
      }
    }
  }

  private static double logProb(Map<String, double[]> ng, String a, String b, String w) {
    double[] tri = ng.get(a + " " + b + " " + w);
    if (tri != null) {
      return tri[0];
    }
    double[] ctx = ng.get(a + " " + b);
    double bo = ctx == null ? 0 : ctx[1];
    double[] bi = ng.get(b + " " + w);
    if (bi != null) {
      return bo + bi[0];
    }
    double[] uni = ng.get(b);
    return bo + (uni == null ? 0 : uni[1]) + ng.get(w)[0];
  }
}
