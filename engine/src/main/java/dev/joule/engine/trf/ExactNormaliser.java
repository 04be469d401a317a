package dev.joule.engine.trf;

import dev.joule.decoder.lm.Vocabulary;
import java.util.ArrayList;
import java.util.List;

/**
 * Exact log Z_l = log Σ_{|x|=l} exp φ(x) by enumerating every sentence of length l, for tiny
 * vocabularies only: the reference the learnt ζ and the importance-sampling estimates are
 * checked against.
 */
public final class ExactNormaliser {
  /** Enumeration refuses more sentences than this per length. */
  public static final long MAX_SENTENCES = 200_000;
  private static final int BATCH = 256;

  private ExactNormaliser() {}

  /** Word ids a TRF sentence may contain: every vocabulary id except {@code <s>} and {@code </s>}. */
  public static int[] sentenceWords(Vocabulary vocabulary) {
    int[] out = new int[vocabulary.size() - 2];
    int k = 0;
    for (int id = 0; id < vocabulary.size(); id++) {
      if (id != Vocabulary.BOS && id != Vocabulary.EOS) {
        out[k++] = id;
      }
    }
    return out;
  }

  /** Every sentence of exactly {@code length} words, in lexicographic order of word index. */
  public static List<int[]> sentences(Vocabulary vocabulary, int length) {
    int[] words = sentenceWords(vocabulary);
    double count = Math.pow(words.length, length);
    if (count > MAX_SENTENCES) {
      throw new IllegalArgumentException(
          "exact enumeration of " + words.length + "^" + length + " sentences is too large (limit " + MAX_SENTENCES + ")");
    }
    List<int[]> out = new ArrayList<>((int) count);
    int[] digits = new int[length];
    for (long i = 0; i < (long) count; i++) {
      int[] s = new int[length];
      for (int k = 0; k < length; k++) {
        s[k] = words[digits[k]];
      }
      out.add(s);
      for (int k = length - 1; k >= 0; k--) {
        if (++digits[k] < words.length) {
          break;
        }
        digits[k] = 0;
      }
    }
    return out;
  }

  /** Exact log Z_l of the model's potential. */
  public static double logZ(TrfModel model, int length) {
    List<int[]> all = sentences(model.vocabulary(), length);
    double max = Double.NEGATIVE_INFINITY;
    double[] phi = new double[all.size()];
    for (int from = 0; from < all.size(); from += BATCH) {
      List<int[]> part = all.subList(from, Math.min(all.size(), from + BATCH));
      double[] p = model.potentials(part);
      System.arraycopy(p, 0, phi, from, p.length);
    }
    for (double v : phi) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : phi) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }
}
