package dev.joule.decoder.lm;

import java.nio.file.Path;

/**
 * Perplexity of a {@link BackoffLm} on sentences, SRILM-style: every word and each sentence's
 * {@code </s>} is scored given its history from {@code <s>}.
 *
 * <p>Words outside the model's vocabulary (OOVs) are scored as {@code <unk>}. Two figures are
 * reported: {@link Result#perplexity()} counts them (like IRSTLM's {@code PP}), and {@link
 * Result#perplexityWithoutOovs()} leaves their probabilities out of the sum and the count (like
 * SRILM's {@code ppl}); they stay in the history of the words that follow, as {@code <unk>}.
 */
public final class Perplexity {
  private Perplexity() {}

  /**
   * Totals over a text.
   *
   * @param sentences sentences scored
   * @param words words scored, OOVs included, {@code </s>} not included
   * @param oovs words outside the vocabulary
   * @param logProb log10 probability of all words and {@code </s>}, OOVs included
   * @param logProbWithoutOovs the same without the OOVs' terms
   */
  public record Result(long sentences, long words, long oovs, double logProb, double logProbWithoutOovs) {
    /** {@code 10^(-logProb / (words + sentences))}. */
    public double perplexity() {
      return Math.pow(10, -logProb / (words + sentences));
    }

    /** {@code 10^(-logProbWithoutOovs / (words - oovs + sentences))}. */
    public double perplexityWithoutOovs() {
      return Math.pow(10, -logProbWithoutOovs / (words - oovs + sentences));
    }

    Result plus(Result o) {
      return new Result(
          sentences + o.sentences, words + o.words, oovs + o.oovs,
          logProb + o.logProb, logProbWithoutOovs + o.logProbWithoutOovs);
    }
  }

  /** Totals for one sentence of words. */
  public static Result of(BackoffLm lm, String[] words) {
    Vocabulary vocab = lm.vocabulary();
    int[] h = new int[words.length + 2];
    h[0] = Vocabulary.BOS;
    long oovs = 0;
    for (int i = 0; i < words.length; i++) {
      int id = vocab.id(words[i]);
      if (id < 0) {
        oovs++;
        id = Vocabulary.UNK;
      }
      h[i + 1] = id;
    }
    h[words.length + 1] = Vocabulary.EOS;
    double all = 0;
    double known = 0;
    for (int i = 1; i < h.length; i++) {
      double lp = lm.logProb(h, 0, i, h[i]);
      all += lp;
      if (i > words.length || vocab.id(words[i - 1]) >= 0) {
        known += lp;
      }
    }
    return new Result(1, words.length, oovs, all, known);
  }

  /** Totals over the sentences of a text file (see {@link TextCorpus}). */
  public static Result of(BackoffLm lm, Path text) {
    Result[] total = {new Result(0, 0, 0, 0, 0)};
    TextCorpus.forEachSentence(text, (words, line) -> total[0] = total[0].plus(of(lm, words)));
    return total[0];
  }
}
