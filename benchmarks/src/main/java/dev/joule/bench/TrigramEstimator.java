package dev.joule.bench;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal count-based trigram estimator for the graph benchmark (not Joule's LM toolkit):
 * absolute discounting with back-off, discount D = n1 / (n1 + 2 n2) per order, a count cutoff for
 * trigrams, maximum-likelihood unigrams. Back-off weights make every history's distribution sum to
 * one, so the ARPA file is a proper model. Words are ids {@code 0..V-1}; id 0 is {@code <s>},
 * id 1 is {@code </s>}.
 */
final class TrigramEstimator {
  static final int BOS = 0;
  static final int EOS = 1;
  private static final int BITS = 21;
  private static final long MASK = (1L << BITS) - 1;

  private final List<String> words;
  private final long[] unigram;
  private final LongCounts bigram = new LongCounts();
  private final LongCounts trigram = new LongCounts();
  private final int trigramCutoff;

  TrigramEstimator(List<String> words, int trigramCutoff) {
    if (words.size() > MASK) {
      throw new IllegalArgumentException("vocabulary too large");
    }
    this.words = words;
    this.unigram = new long[words.size()];
    this.trigramCutoff = trigramCutoff;
  }

  /** Counts one sentence (word ids, without {@code <s>} / {@code </s>}). */
  void add(int[] sentence) {
    int a = BOS;
    int b = BOS;
    for (int i = 0; i <= sentence.length; i++) {
      int w = i < sentence.length ? sentence[i] : EOS;
      unigram[w]++;
      bigram.add(key(b, w), 1);
      if (i > 0) {
        trigram.add(key(a, b, w), 1);
      }
      a = b;
      b = w;
    }
  }

  private static long key(int a, int b) {
    return ((long) a << BITS) | b;
  }

  private static long key(int a, int b, int c) {
    return ((long) a << (2 * BITS)) | ((long) b << BITS) | c;
  }

  /** Estimates and writes the ARPA file; returns the number of 1-, 2- and 3-grams. */
  int[] writeArpa(Path file) throws IOException {
    int v = words.size();
    long total = 0;
    for (int w = 0; w < v; w++) {
      if (w != BOS) {
        total += unigram[w];
      }
    }
    double[] p1 = new double[v];
    for (int w = 0; w < v; w++) {
      p1[w] = w == BOS ? 0 : (double) unigram[w] / total;
    }

    // Bigrams: every seen one is kept.
    double d2 = discount(bigram, 1);
    long[] hist1 = new long[v];
    int[] types1 = new int[v];
    bigram.forEach((k, c) -> {
      hist1[(int) (k >>> BITS)] += c;
      types1[(int) (k >>> BITS)]++;
    });
    double[] lowerSum1 = new double[v];
    bigram.forEach((k, c) -> lowerSum1[(int) (k >>> BITS)] += p1[(int) (k & MASK)]);
    // A history followed by every word has no unseen words to give mass to: it keeps the
    // maximum-likelihood estimate (discount 0) instead.
    double[] disc1 = new double[v];
    double[] bo1 = new double[v];
    for (int h = 0; h < v; h++) {
      if (hist1[h] > 0 && 1 - lowerSum1[h] > 1e-9) {
        disc1[h] = d2;
        bo1[h] = d2 * types1[h] / hist1[h] / (1 - lowerSum1[h]);
      } else {
        bo1[h] = 1;
      }
    }

    // Trigrams with count >= cutoff are kept; their histories' left-over mass backs off to bigrams.
    double d3 = discount(trigram, trigramCutoff);
    LongCounts hist2 = new LongCounts();
    trigram.forEach((k, c) -> hist2.add(k >>> BITS, c));
    // Per kept history: [sum of discounted trigram probabilities, sum of their bigram
    // probabilities, sum of their undiscounted counts].
    Map<Long, double[]> sums = new HashMap<>();
    int[] n3 = {0};
    trigram.forEach((k, c) -> {
      if (c >= trigramCutoff) {
        n3[0]++;
        long h = k >>> BITS;
        int w = (int) (k & MASK);
        double[] s = sums.computeIfAbsent(h, x -> new double[3]);
        s[0] += (c - d3) / hist2.get(h);
        s[1] += bigramProb((int) (h & MASK), w, p1, bo1, hist1, disc1);
        s[2] += c;
      }
    });

    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      out.write("\\data\\\nngram 1=" + v + "\nngram 2=" + bigram.size() + "\nngram 3=" + n3[0] + "\n\n\\1-grams:\n");
      for (int w = 0; w < v; w++) {
        String lp = w == BOS ? "-99" : fmt(Math.log10(p1[w]));
        String bo = hist1[w] > 0 && disc1[w] > 0 ? "\t" + fmt(Math.log10(bo1[w])) : "";
        out.write(lp + "\t" + words.get(w) + bo + "\n");
      }
      out.write("\n\\2-grams:\n");
      IOException[] failure = {null};
      bigram.forEach((k, c) -> {
        int h = (int) (k >>> BITS);
        int w = (int) (k & MASK);
        double p = (c - disc1[h]) / hist1[h];
        double[] s = sums.get(k);
        String bo = s == null || full(s) ? "" : "\t" + fmt(Math.log10((1 - s[0]) / (1 - s[1])));
        try {
          out.write(fmt(Math.log10(p)) + "\t" + words.get(h) + " " + words.get(w) + bo + "\n");
        } catch (IOException e) {
          failure[0] = e;
        }
      });
      out.write("\n\\3-grams:\n");
      trigram.forEach((k, c) -> {
        if (c >= trigramCutoff) {
          long h = k >>> BITS;
          double[] s = sums.get(h);
          double p = full(s) ? c / s[2] : (c - d3) / hist2.get(h);
          try {
            out.write(fmt(Math.log10(p)) + "\t" + words.get((int) (h >>> BITS)) + " " + words.get((int) (h & MASK))
                + " " + words.get((int) (k & MASK)) + "\n");
          } catch (IOException e) {
            failure[0] = e;
          }
        }
      });
      out.write("\n\\end\\\n");
      if (failure[0] != null) {
        throw failure[0];
      }
    }
    return new int[] {v, bigram.size(), n3[0]};
  }

  /** The back-off bigram probability of w after h. */
  private double bigramProb(int h, int w, double[] p1, double[] bo1, long[] hist1, double[] disc1) {
    int c = bigram.get(key(h, w));
    if (c > 0) {
      return (c - disc1[h]) / hist1[h];
    }
    return bo1[h] * p1[w];
  }

  /** True when a trigram history's kept words leave no bigram mass to back off to. */
  private static boolean full(double[] sums) {
    return 1 - sums[1] <= 1e-9;
  }

  /** Ney's discount n1 / (n1 + 2 n2) over counts at or above the cutoff. */
  private static double discount(LongCounts counts, int cutoff) {
    long[] n = new long[3];
    counts.forEach((k, c) -> {
      int r = c - cutoff + 1;
      if (r == 1 || r == 2) {
        n[r]++;
      }
    });
    double d = n[1] + 2 * n[2] == 0 ? 0.5 : (double) n[1] / (n[1] + 2 * n[2]);
    return Math.min(0.95, Math.max(0.05, d));
  }

  private static String fmt(double x) {
    return String.format(Locale.ROOT, "%.6f", x);
  }
}
