package dev.joule.engine.recognizer;

import dev.joule.decoder.fst.SymbolTable;
import dev.joule.decoder.graph.CompiledGraph;
import dev.joule.decoder.graph.GraphCompiler;
import dev.joule.decoder.lexicon.Lexicon;
import dev.joule.engine.am.AcousticModel;
import dev.joule.engine.am.AcousticModels;
import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelLayout;
import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.audio.WavWriter;
import dev.joule.frontend.features.Cmvn;
import dev.joule.frontend.features.Fbank;
import dev.joule.frontend.features.FbankOptions;
import dev.joule.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * A real, tiny speech model whose "speech" is tones: tokens A, B and C are pure tones of 400,
 * 1200 and 3000 Hz and blank is near-silence. Its linear acoustic model is the nearest-mean
 * classifier over the tones' mean fbank vectors (log-softmax of {@code -s/2·|x − μ_k|²}, which is
 * affine in {@code x}), its TLG is compiled by the real graph compiler from a three-word lexicon
 * ({@code yes} = A B, {@code no} = B C, {@code maybe} = C A) and a unigram ARPA, and utterances are
 * real WAV files. Recognising such a file therefore exercises every stage for real and has a
 * known answer, with known word times. The model keeps that ARPA as its {@code lm.arpa}, the
 * n-gram that TRF rescoring uses.
 */
public final class ToneModel {
  public static final int RATE = 16000;
  static final double[] FREQUENCIES = {0, 400, 1200, 3000};
  static final Map<String, String[]> LEXICON = new LinkedHashMap<>();
  /** Seconds of one token's tone, of silence between words, and before/after the utterance. */
  public static final double TONE = 0.12;
  public static final double GAP = 0.15;
  public static final double EDGE = 0.2;

  static {
    LEXICON.put("yes", new String[] {"A", "B"});
    LEXICON.put("no", new String[] {"B", "C"});
    LEXICON.put("maybe", new String[] {"C", "A"});
  }

  private ToneModel() {}

  /** Writes the model to {@code dir}; with {@code cmvn}, global CMVN statistics are part of it. */
  public static Path build(Path dir, boolean cmvn) throws IOException {
    FbankOptions opts = FbankOptions.defaults().toBuilder().dither(0).numMelBins(23).build();
    Fbank fbank = new Fbank(opts);
    // Templates: mean features of each token's sound, over a long stretch of it.
    FloatMatrix[] feats = new FloatMatrix[FREQUENCIES.length];
    Cmvn stats = new Cmvn(opts.dim());
    for (int k = 0; k < FREQUENCIES.length; k++) {
      feats[k] = fbank.compute(sound(FREQUENCIES[k], 0.5, new Random(k)));
      stats.accumulate(feats[k]);
    }
    double[][] mu = new double[FREQUENCIES.length][];
    for (int k = 0; k < FREQUENCIES.length; k++) {
      if (cmvn) {
        stats.apply(feats[k], true);
      }
      mu[k] = mean(feats[k]);
    }
    double minDist = Double.MAX_VALUE;
    for (int j = 0; j < mu.length; j++) {
      for (int k = 0; k < j; k++) {
        minDist = Math.min(minDist, dist2(mu[j], mu[k]));
      }
    }
    double s = 40 / minDist; // 20 nats between neighbouring templates at their means

    Properties conf = new Properties();
    conf.setProperty("arch", "linear");
    conf.setProperty("input.dim", Integer.toString(opts.dim()));
    conf.setProperty("tokens", Integer.toString(FREQUENCIES.length));
    AcousticModel am = AcousticModels.create(conf, new Random(1));
    Map<String, Tensor> p = am.parameters();
    Tensor w = p.get("output.weight");
    Tensor b = p.get("output.bias");
    int v = FREQUENCIES.length;
    for (int k = 0; k < v; k++) {
      double norm = 0;
      for (int d = 0; d < opts.dim(); d++) {
        w.buffer()[w.offset() + d * v + k] = s * mu[k][d];
        norm += mu[k][d] * mu[k][d];
      }
      b.buffer()[b.offset() + k] = -s / 2 * norm;
    }

    Path work = Files.createTempDirectory("tone-graph");
    Path arpa = work.resolve("lm.arpa");
    Files.writeString(arpa, String.join("\n", "\\data\\", "ngram 1=5", "", "\\1-grams:",
        "-0.6 </s>", "-99 <s>", "-0.6 yes", "-0.6 no", "-0.6 maybe", "", "\\end\\", ""));
    SymbolTable tokens = new SymbolTable();
    for (String t : new String[] {"<blk>", "A", "B", "C"}) {
      tokens.add(t);
    }
    Map<String, List<List<String>>> lex = new LinkedHashMap<>();
    LEXICON.forEach((word, phones) -> lex.put(word, List.of(List.of(phones))));

    try (ModelDirectory.Builder m = ModelDirectory.create(dir);
        CompiledGraph graph = GraphCompiler.compile(Lexicon.of(lex), arpa, tokens, GraphCompiler.Options.defaults())) {
      AcousticModels.save(am, m);
      m.writeText(ModelLayout.FBANK_CONFIG, "# tones need no dither\n--dither=0\n--num-mel-bins=23\n");
      tokens.write(m.path(ModelLayout.TOKENS));
      graph.symbols().words().write(m.path(ModelLayout.WORDS));
      graph.compact().write(m.path(ModelLayout.GRAPH));
      m.copy(arpa, ModelLayout.LM);
      if (cmvn) {
        stats.save(m.path(ModelLayout.CMVN));
      }
      m.property("name", "tones").property("language", "tones").property("description", "test model of tones");
      m.commit();
    } finally {
      ModelLocator.deleteTree(work);
    }
    return dir;
  }

  /** Samples of {@code words} spoken in tones (mono, {@link #RATE}), with edges and gaps of near-silence. */
  public static float[] utterance(String... words) {
    List<float[]> parts = new ArrayList<>();
    Random noise = new Random(42);
    parts.add(sound(0, EDGE, noise));
    for (int i = 0; i < words.length; i++) {
      if (i > 0) {
        parts.add(sound(0, GAP, noise));
      }
      for (String token : LEXICON.get(words[i])) {
        parts.add(sound(FREQUENCIES[token.charAt(0) - 'A' + 1], TONE, noise));
      }
    }
    parts.add(sound(0, EDGE, noise));
    int n = parts.stream().mapToInt(a -> a.length).sum();
    float[] out = new float[n];
    int o = 0;
    for (float[] a : parts) {
      System.arraycopy(a, 0, out, o, a.length);
      o += a.length;
    }
    return out;
  }

  /** Where word {@code i} of an utterance starts, in seconds. */
  public static double wordStart(int i) {
    return EDGE + i * (2 * TONE + GAP);
  }

  /** Writes {@link #utterance} as a 16-bit WAV file. */
  public static Path wav(Path file, String... words) throws IOException {
    WavWriter.write(file, utterance(words), RATE);
    return file;
  }

  /** A tone with 5 ms raised-cosine edges plus faint noise, or the noise alone for frequency 0. */
  static float[] sound(double frequency, double seconds, Random noise) {
    int n = (int) Math.round(seconds * RATE);
    int fade = RATE / 200;
    float[] x = new float[n];
    for (int i = 0; i < n; i++) {
      double g = Math.min(1, Math.min(i, n - 1 - i) / (double) fade);
      double env = 0.5 - 0.5 * Math.cos(Math.PI * g);
      double tone = frequency > 0 ? 0.3 * env * Math.sin(2 * Math.PI * frequency * i / RATE) : 0;
      x[i] = (float) (tone + 0.002 * noise.nextGaussian());
    }
    return x;
  }

  private static double[] mean(FloatMatrix m) {
    double[] mu = new double[m.cols()];
    for (int r = 0; r < m.rows(); r++) {
      for (int c = 0; c < m.cols(); c++) {
        mu[c] += m.get(r, c) / m.rows();
      }
    }
    return mu;
  }

  private static double dist2(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return s;
  }
}
