package dev.joule.engine.trf;

import dev.joule.decoder.lm.Vocabulary;
import dev.joule.engine.autograd.GradMode;
import dev.joule.engine.nn.Embedding;
import dev.joule.engine.nn.Linear;
import dev.joule.engine.nn.Lstm;
import dev.joule.engine.nn.Module;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * The trainable noise distribution q_λ of dynamic NCE: a word-level LSTM language model over
 * sentences of 1..L words, {@code q(x) = Π_t q(x_t | <s> x_<t) · q(</s> | <s> x)}, sampled
 * ancestrally word by word. Wang and Ou (SLT 2018) use an LSTM LM as the dynamic noise; it is
 * used here rather than a trainable n-gram because DNCE moves the noise toward the data by
 * maximum likelihood, and a maximum-likelihood n-gram on the training text would converge to its
 * unsmoothed counts (zero mass off the training n-grams), while an LSTM generalises and keeps
 * every sentence possible.
 *
 * <p>The length cap is built into the softmax so that q is exactly normalised over lengths 1..L:
 * after {@code <s>} the end {@code </s>} is excluded (no empty sentence); after L words every
 * word is excluded, so the end has probability 1 (the end probability renormalised at the cap);
 * {@code <s>} is never predicted. Excluded entries get a logit of −1e30, whose exponential is
 * exactly 0 in float64, so the renormalisation is exact. Every other id ({@code <unk>} included)
 * can occur, as in {@link TrfModel}.
 */
public final class LstmNoiseLm extends Module implements SentenceNoise {
  /** A logit that exponentiates to exactly 0 against any real logit. */
  private static final double EXCLUDED = -1e30;

  private final Vocabulary vocabulary;
  private final int maxLength;
  private final int embedDim;
  private final int hidden;
  private final Embedding embedding;
  private final Lstm lstm;
  private final Linear output;
  private final DType dtype;
  /** Additive logit mask per position 0..L ({@code [L+1, V]}): 0 allowed, {@link #EXCLUDED} not. */
  private final double[] mask;
  private RandomGenerator sampler;

  /** A freshly initialised model; {@code random} initialises the weights, {@code sampler} draws sentences. */
  public LstmNoiseLm(
      Vocabulary vocabulary, int maxLength, int embedDim, int hidden, Random random, RandomGenerator sampler, DType dtype) {
    if (maxLength < 1 || embedDim < 1 || hidden < 1) {
      throw new IllegalArgumentException(
          "noise LM sizes must be positive: max length " + maxLength + ", embed " + embedDim + ", hidden " + hidden);
    }
    if (vocabulary.size() < 3) {
      throw new IllegalArgumentException("noise LM vocabulary has no words besides <s> and </s>");
    }
    this.vocabulary = vocabulary;
    this.maxLength = maxLength;
    this.embedDim = embedDim;
    this.hidden = hidden;
    this.dtype = dtype;
    this.sampler = sampler;
    int v = vocabulary.size();
    this.embedding = child("embedding", new Embedding(v, embedDim, random, dtype));
    this.lstm = child("lstm", new Lstm(embedDim, hidden, 1, false, 0, random, dtype));
    this.output = child("output", new Linear(hidden, v, true, random, dtype));
    this.mask = new double[(maxLength + 1) * v];
    for (int t = 0; t <= maxLength; t++) {
      for (int w = 0; w < v; w++) {
        boolean allowed = w != Vocabulary.BOS && (t == 0 ? w != Vocabulary.EOS : t < maxLength || w == Vocabulary.EOS);
        mask[t * v + w] = allowed ? 0 : EXCLUDED;
      }
    }
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  @Override
  public int maxLength() {
    return maxLength;
  }

  public int embedDim() {
    return embedDim;
  }

  public int hidden() {
    return hidden;
  }

  /** Replaces the generator that {@link #sample()} draws from (training reseeds it every step). */
  public void setSampler(RandomGenerator sampler) {
    this.sampler = sampler;
  }

  /** Natural-log q(x) of each sentence, with a graph back to the parameters: {@code [B]}. */
  public Tensor logProb(List<int[]> sentences) {
    int b = sentences.size();
    if (b == 0) {
      throw new IllegalArgumentException("no sentences");
    }
    int longest = 0;
    for (int[] s : sentences) {
      check(s);
      longest = Math.max(longest, s.length);
    }
    int t = longest + 1;
    int v = vocabulary.size();
    int[] ids = new int[b * t];
    int[] lengths = new int[b];
    // One-hot of the predicted token (the words, then </s>) per position; padding rows stay 0.
    double[] pick = new double[b * t * v];
    for (int i = 0; i < b; i++) {
      int[] s = sentences.get(i);
      ids[i * t] = Vocabulary.BOS;
      for (int k = 0; k < s.length; k++) {
        ids[i * t + k + 1] = s[k];
        pick[(i * t + k) * v + s[k]] = 1;
      }
      pick[(i * t + s.length) * v + Vocabulary.EOS] = 1;
      lengths[i] = s.length + 1;
    }
    Tensor logits = logits(Tensor.ofInts(ids, b, t), Tensor.ofInts(lengths, b));
    Tensor m = Tensor.of(Arrays.copyOf(mask, t * v), t, v).to(dtype);
    Tensor logQ = Ops.logSoftmax(Ops.add(logits, m), 2);
    Tensor picked = Ops.mul(logQ, Tensor.of(pick, b, t, v).to(dtype));
    return Ops.sum(Ops.sum(picked, 2, false), 1, false);
  }

  /** {@link #logProb(List)} without a graph. */
  @Override
  public double[] logProbs(List<int[]> sentences) {
    return GradMode.withoutGrad(() -> logProb(sentences)).toDoubleArray();
  }

  @Override
  public double logProb(int[] sentence) {
    return logProbs(List.of(sentence))[0];
  }

  /** Mean negative log-likelihood per sentence: the maximum-likelihood loss that moves q toward the data. */
  public Tensor negativeLogLikelihood(List<int[]> sentences) {
    return Ops.scale(Ops.sum(logProb(sentences)), -1.0 / sentences.size());
  }

  @Override
  public int[] sample() {
    return sample(1).get(0);
  }

  /**
   * Ancestral sampling of {@code n} sentences at once: at step t every unfinished prefix
   * {@code <s> x_1..x_t} (all of the same length) is run through the network, the next token drawn
   * from the masked softmax of its last position, and prefixes that drew {@code </s>} are done.
   * The engine's LSTM always starts from a zero state, so each step re-runs the whole prefix:
   * O(L²) recurrent steps per sentence (about 11 passes' worth at L = 20), while the output layer
   * runs only on the last position, once per drawn token. Caching the recurrent state would
   * remove the L² term.
   */
  @Override
  public List<int[]> sample(int n) {
    int v = vocabulary.size();
    int[][] prefix = new int[n][maxLength];
    List<int[]> out = new ArrayList<>(Collections.nCopies(n, (int[]) null));
    List<Integer> active = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      active.add(i);
    }
    for (int step = 0; step <= maxLength && !active.isEmpty(); step++) {
      int a = active.size();
      int t = step + 1;
      int[] ids = new int[a * t];
      int[] lengths = new int[a];
      for (int r = 0; r < a; r++) {
        ids[r * t] = Vocabulary.BOS;
        System.arraycopy(prefix[active.get(r)], 0, ids, r * t + 1, step);
        lengths[r] = t;
      }
      int at = step;
      double[] last = GradMode.withoutGrad(() -> {
        Tensor h = lstm.forward(embedding.forward(Tensor.ofInts(ids, a, t)), Tensor.ofInts(lengths, a));
        return output.forward(Ops.narrow(h, 1, at, 1));
      }).toDoubleArray();
      List<Integer> still = new ArrayList<>();
      for (int r = 0; r < a; r++) {
        int i = active.get(r);
        int w = draw(last, r * v, step * v, v);
        if (w == Vocabulary.EOS) {
          out.set(i, Arrays.copyOf(prefix[i], step));
        } else {
          prefix[i][step] = w;
          still.add(i);
        }
      }
      active = still;
    }
    return out;
  }

  /** One token from softmax(logits[from..from+v) + mask[maskFrom..]), by inversion of its CDF. */
  private int draw(double[] logits, int from, int maskFrom, int v) {
    double max = Double.NEGATIVE_INFINITY;
    for (int w = 0; w < v; w++) {
      max = Math.max(max, logits[from + w] + mask[maskFrom + w]);
    }
    double total = 0;
    double[] p = new double[v];
    for (int w = 0; w < v; w++) {
      p[w] = Math.exp(logits[from + w] + mask[maskFrom + w] - max);
      total += p[w];
    }
    double u = sampler.nextDouble() * total;
    int lastAllowed = -1;
    for (int w = 0; w < v; w++) {
      if (p[w] > 0) {
        lastAllowed = w;
        u -= p[w];
        if (u < 0) {
          return w;
        }
      }
    }
    return lastAllowed;
  }

  private Tensor logits(Tensor ids, Tensor lengths) {
    return output.forward(lstm.forward(embedding.forward(ids), lengths));
  }

  private void check(int[] s) {
    if (s.length < 1 || s.length > maxLength) {
      throw new IllegalArgumentException("the noise LM covers lengths 1.." + maxLength + ", not " + s.length);
    }
    for (int w : s) {
      if (w < 0 || w >= vocabulary.size() || w == Vocabulary.BOS || w == Vocabulary.EOS) {
        throw new IllegalArgumentException("the noise LM cannot score word id " + w);
      }
    }
  }
}
