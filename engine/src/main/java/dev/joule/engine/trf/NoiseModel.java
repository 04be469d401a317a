package dev.joule.engine.trf;

import dev.joule.decoder.lm.BackoffLm;
import dev.joule.decoder.lm.NgramSampler;
import dev.joule.decoder.lm.Vocabulary;
import java.util.random.RandomGenerator;

/**
 * The n-gram noise distribution of NCE training restricted to the TRF's lengths:
 * {@code q_L(x) = q(x) / Q} for 1 ≤ |x| ≤ L, where q is the n-gram's sentence probability
 * ({@code </s>} included) and Q its mass on those lengths. Samples come from {@link NgramSampler}
 * (exact), redrawn while empty or longer than L, so they follow q_L exactly.
 *
 * <p>Q has no closed form for a backoff model; it is estimated once by drawing sentences word by
 * word and counting those that end within 1..L words (its standard error is
 * {@code sqrt((1−Q)/(Q·draws))} in log Q, about 0.002 for 20,000 draws at Q = 0.9). An error in
 * log Q shifts every learnt ζ_l by the same amount, so it matters only for perplexity.
 */
public final class NoiseModel implements SentenceNoise {
  private static final double LN10 = Math.log(10);

  private final BackoffLm lm;
  private final int maxLength;
  private final double logMass;
  private final NgramSampler sampler;

  /** A noise model whose log Q is given (known exactly, or estimated before). */
  public NoiseModel(BackoffLm lm, int maxLength, double logMass, RandomGenerator random) {
    if (!(logMass <= 0) || Double.isInfinite(logMass)) {
      throw new IllegalArgumentException("noise mass log Q must be finite and ≤ 0, got " + logMass);
    }
    this.lm = lm;
    this.maxLength = maxLength;
    this.logMass = logMass;
    this.sampler = new NgramSampler(lm, random);
  }

  /** A noise model with log Q estimated from {@code draws} sentences. */
  public static NoiseModel estimate(BackoffLm lm, int maxLength, int draws, RandomGenerator random) {
    return new NoiseModel(lm, maxLength, estimateLogMass(lm, maxLength, draws, random), random);
  }

  /** Monte-Carlo log Q: the log fraction of free draws that have 1..L words. */
  public static double estimateLogMass(BackoffLm lm, int maxLength, int draws, RandomGenerator random) {
    NgramSampler s = new NgramSampler(lm, random);
    int[] h = new int[maxLength + 2];
    long inside = 0;
    for (int d = 0; d < draws; d++) {
      h[0] = Vocabulary.BOS;
      int len = 1;
      while (true) {
        int w = s.word(h, 0, len);
        if (w == Vocabulary.EOS) {
          if (len > 1) {
            inside++;
          }
          break;
        }
        if (len > maxLength) {
          break;
        }
        h[len++] = w;
      }
    }
    if (inside == 0) {
      throw new IllegalArgumentException(
          "the n-gram gives (almost) no mass to sentences of 1.." + maxLength + " words in " + draws + " draws");
    }
    return Math.log((double) inside / draws);
  }

  public BackoffLm lm() {
    return lm;
  }

  @Override
  public int maxLength() {
    return maxLength;
  }

  /** log Q. */
  public double logMass() {
    return logMass;
  }

  /** A sentence of 1..L words drawn from q_L. */
  @Override
  public int[] sample() {
    while (true) {
      int[] s = sampler.sentence(maxLength);
      if (s.length > 0) {
        return s;
      }
    }
  }

  /** Natural-log q_L(x); x must have 1..L words. */
  @Override
  public double logProb(int[] sentence) {
    if (sentence.length < 1 || sentence.length > maxLength) {
      throw new IllegalArgumentException("noise model covers lengths 1.." + maxLength + ", not " + sentence.length);
    }
    return lm.sentenceLogProb(sentence) * LN10 - logMass;
  }
}
