package dev.joule.engine.trf;

import dev.joule.decoder.lm.BackoffLm;
import dev.joule.decoder.lm.Vocabulary;
import dev.joule.engine.autograd.GradMode;
import dev.joule.engine.nn.Embedding;
import dev.joule.engine.nn.Linear;
import dev.joule.engine.nn.Lstm;
import dev.joule.engine.nn.Module;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.List;
import java.util.Random;

/**
 * A trans-dimensional random field language model (Wang &amp; Ou): a sentence x of length l has
 * {@code log p(l, x) = log π_l + φ(x) − ζ_l}, where π is the fixed {@link LengthPrior}, ζ_l a
 * learnt log-normaliser per length (parameter {@code zeta}, entry l−1) and φ a neural potential.
 *
 * <p>φ reads {@code <s> x </s>} with an embedding and an LSTM stack; word x_t is scored by a
 * linear layer over the forward state just before it and (when bidirectional) the backward state
 * just after it, and φ is the sum of those scores for the words of the sentence. Neither
 * direction sees the word it scores, so the score is a genuine compatibility of the word with
 * its two-sided context rather than a copy of the input. Words are ids of the noise n-gram's
 * {@link Vocabulary}; {@code <s>} and {@code </s>} only frame the sentence.
 *
 * <p>Optionally φ has an n-gram base: {@code φ(x) = ln q_ngram(x) + φ_nn(x)}, a residual model
 * that starts as the n-gram (up to ζ) and learns a correction. Trained by NCE against the same
 * n-gram, the classifier's log-odds then depend on φ_nn alone, which trains far faster than
 * learning a whole language model from a uniform start.
 */
public final class TrfModel extends Module {
  private final TrfConfig config;
  private final Vocabulary vocabulary;
  private final LengthPrior prior;
  private final Embedding embedding;
  private final Lstm lstm;
  private final Linear output;
  private final Tensor zeta;
  private final DType dtype;
  private final BackoffLm base;

  /**
   * A freshly initialised model; ζ_l starts at {@code l·log(V−2)}, the log-normaliser of φ = 0
   * over the V−2 words a sentence can contain.
   */
  public TrfModel(TrfConfig config, Vocabulary vocabulary, LengthPrior prior, Random random, DType dtype) {
    this(config, vocabulary, prior, null, random, dtype);
  }

  /**
   * A model with an n-gram base ({@code base} not null; its vocabulary must list the same words in
   * the same order). ζ_l then starts at 0.
   */
  public TrfModel(TrfConfig config, Vocabulary vocabulary, LengthPrior prior, BackoffLm base, Random random, DType dtype) {
    if (base != null && !base.vocabulary().words().equals(vocabulary.words())) {
      throw new IllegalArgumentException("the n-gram base's vocabulary differs from the TRF's");
    }
    if (prior.maxLength() != config.maxLength()) {
      throw new IllegalArgumentException(
          "length prior covers " + prior.maxLength() + " lengths, the model " + config.maxLength());
    }
    if (vocabulary.size() < 3) {
      throw new IllegalArgumentException("TRF vocabulary has no words besides <s> and </s>");
    }
    this.config = config;
    this.vocabulary = vocabulary;
    this.prior = prior;
    this.dtype = dtype;
    this.base = base;
    int v = vocabulary.size();
    this.embedding = child("embedding", new Embedding(v, config.embedDim(), random, dtype));
    this.lstm = child("lstm", new Lstm(config.embedDim(), config.hidden(), config.layers(), config.bidirectional(), 0, random, dtype));
    int dirs = config.bidirectional() ? 2 : 1;
    this.output = child("output", new Linear(config.hidden() * dirs, v, true, random, dtype));
    double[] z = new double[config.maxLength()];
    for (int l = 1; l <= z.length; l++) {
      // ln q sums to Q ≤ 1 over each length: ζ_l = 0 is the right scale with a base.
      z[l - 1] = base != null ? 0 : l * Math.log(v - 2);
    }
    this.zeta = param("zeta", Tensor.of(z, z.length).to(dtype));
  }

  public TrfConfig config() {
    return config;
  }

  public Vocabulary vocabulary() {
    return vocabulary;
  }

  public LengthPrior prior() {
    return prior;
  }

  /** The n-gram base of φ, or null. */
  public BackoffLm base() {
    return base;
  }

  /** ζ_l, the current log-normaliser of length l. */
  public double zeta(int length) {
    checkLength(length);
    return zeta.get(length - 1);
  }

  /** Sets ζ_l (for example to an importance-sampling or exact estimate). */
  public void setZeta(int length, double value) {
    checkLength(length);
    if (zeta.isGpu()) {
      zeta.gpuStorage().buffer().copyFromAsync(
          jcuda.Pointer.to(new float[] {(float) value}), zeta.offset() + length - 1, 1, zeta.gpuContext().stream());
      return;
    }
    zeta.buffer()[zeta.offset() + length - 1] = zeta.dtype() == DType.FLOAT32 ? (float) value : value;
  }

  /** φ(x) for each sentence (word ids without {@code <s>}/{@code </s>}): {@code [B]}. */
  public Tensor potential(List<int[]> sentences) {
    int b = sentences.size();
    if (b == 0) {
      throw new IllegalArgumentException("no sentences");
    }
    int maxLen = 0;
    for (int[] s : sentences) {
      checkSentence(s);
      maxLen = Math.max(maxLen, s.length);
    }
    int t = maxLen + 2;
    int[] ids = new int[b * t];
    int[] lengths = new int[b];
    // The scored word at each position (0 past a sentence's end, where the mask zeroes the score).
    int[] words = new int[b * maxLen];
    double[] valid = new double[b * maxLen];
    for (int i = 0; i < b; i++) {
      int[] s = sentences.get(i);
      ids[i * t] = Vocabulary.BOS;
      for (int k = 0; k < s.length; k++) {
        ids[i * t + k + 1] = s[k];
        words[i * maxLen + k] = s[k];
        valid[i * maxLen + k] = 1;
      }
      ids[i * t + s.length + 1] = Vocabulary.EOS;
      lengths[i] = s.length + 2;
    }
    Tensor x = embedding.forward(Tensor.ofInts(ids, b, t));
    Tensor h = lstm.forward(x, Tensor.ofInts(lengths, b));
    int hid = config.hidden();
    // Word k+1 (position k+1) is seen by the forward state at position k and the backward one at k+2.
    Tensor context = Ops.narrow(Ops.narrow(h, 1, 0, maxLen), 2, 0, hid);
    if (config.bidirectional()) {
      Tensor after = Ops.narrow(Ops.narrow(h, 1, 2, maxLen), 2, hid, hid);
      context = Ops.concat(List.of(context, after), 2);
    }
    Tensor phi = Ops.sum(Ops.mul(wordScores(context, Tensor.ofInts(words, b, maxLen)), Tensor.of(valid, b, maxLen).to(dtype)), 1, false);
    if (base == null) {
      return phi;
    }
    double[] lnq = new double[b];
    for (int i = 0; i < b; i++) {
      lnq[i] = base.sentenceLogProb(sentences.get(i)) * Math.log(10);
    }
    return Ops.add(phi, Tensor.of(lnq, b).to(dtype));
  }

  /**
   * The output layer's score of the given word at each position, {@code [B, T]} from
   * {@code context [B, T, C]} and INT32 {@code words [B, T]}: the word's column of the weights
   * dotted with the context, plus its bias. Only the scored word's logit is needed, so gathering
   * its column costs {@code C} per position where the full product over the vocabulary would cost
   * {@code C·V} (most of a training step with a 6k-word vocabulary).
   */
  private Tensor wordScores(Tensor context, Tensor words) {
    int v = vocabulary.size();
    Tensor columns = Ops.embedding(Ops.transpose(output.weight(), 0, 1), words);
    Tensor bias = Ops.embedding(Ops.reshape(output.bias(), v, 1), words);
    return Ops.add(Ops.sum(Ops.mul(context, columns), 2, false), Ops.reshape(bias, words.dim(0), words.dim(1)));
  }

  /** {@code log p(l, x) = log π_l + φ(x) − ζ_l} (natural log) for each sentence: {@code [B]}. */
  public Tensor logProb(List<int[]> sentences) {
    Tensor phi = potential(sentences);
    int b = sentences.size();
    int maxLength = config.maxLength();
    double[] onehot = new double[b * maxLength];
    double[] logPi = new double[b];
    for (int i = 0; i < b; i++) {
      int l = sentences.get(i).length;
      onehot[i * maxLength + l - 1] = 1;
      logPi[i] = prior.logProb(l);
    }
    Tensor z = Ops.sum(Ops.mul(Tensor.of(onehot, b, maxLength).to(dtype), zeta), 1, false);
    return Ops.add(Ops.sub(phi, z), Tensor.of(logPi, b).to(dtype));
  }

  /** {@link #logProb} without building a graph, as plain numbers. */
  public double[] logProbs(List<int[]> sentences) {
    return GradMode.withoutGrad(() -> logProb(sentences)).toDoubleArray();
  }

  /** {@link #potential} without building a graph, as plain numbers. */
  public double[] potentials(List<int[]> sentences) {
    return GradMode.withoutGrad(() -> potential(sentences)).toDoubleArray();
  }

  /** Whether the model can score {@code sentence}: 1..L words, all ids in the vocabulary and not {@code <s>}/{@code </s>}. */
  public boolean accepts(int[] sentence) {
    if (sentence.length < 1 || sentence.length > config.maxLength()) {
      return false;
    }
    for (int w : sentence) {
      if (w < 0 || w >= vocabulary.size() || w == Vocabulary.BOS || w == Vocabulary.EOS) {
        return false;
      }
    }
    return true;
  }

  private void checkSentence(int[] s) {
    if (!accepts(s)) {
      throw new IllegalArgumentException(
          "TRF cannot score a sentence of " + s.length + " words (lengths 1.." + config.maxLength()
              + ", ids of vocabulary words other than <s> and </s>)");
    }
  }

  private void checkLength(int length) {
    if (length < 1 || length > config.maxLength()) {
      throw new IllegalArgumentException("length " + length + " outside 1.." + config.maxLength());
    }
  }
}
