package dev.joule.engine.recognizer;

import dev.joule.decoder.fst.Fst;
import dev.joule.decoder.fst.FstException;
import dev.joule.decoder.fst.SymbolTable;
import dev.joule.decoder.search.DecodingResult;
import dev.joule.decoder.search.Hypothesis;
import dev.joule.decoder.search.ScoreMatrix;
import dev.joule.decoder.search.WordHypothesis;
import dev.joule.engine.am.AcousticModel;
import dev.joule.engine.am.AcousticModels;
import dev.joule.engine.am.GpuAcousticModel;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.io.ParameterFileException;
import dev.joule.engine.model.ModelDirectory;
import dev.joule.engine.model.ModelFormatException;
import dev.joule.engine.model.ModelLayout;
import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.features.Cmvn;
import dev.joule.frontend.features.FbankOptions;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The parts of a model directory that recognition needs, loaded and checked against each other
 * once: features, acoustic model, decoding graph and word list. Immutable after loading, so one
 * instance serves every thread.
 */
final class RecognitionModel {
  final ModelDirectory dir;
  final FbankOptions fbank;
  final Cmvn cmvn;
  final AcousticModel am;
  final Fst graph;
  final SymbolTable words;
  final int tokens;
  /** Set when the acoustic model runs on a GPU; null on the CPU. */
  private volatile GpuAcousticModel gpuAm;

  private RecognitionModel(ModelDirectory dir, FbankOptions fbank, Cmvn cmvn, AcousticModel am, Fst graph,
      SymbolTable words, int tokens) {
    this.dir = dir;
    this.fbank = fbank;
    this.cmvn = cmvn;
    this.am = am;
    this.graph = graph;
    this.words = words;
    this.tokens = tokens;
  }

  static RecognitionModel load(ModelDirectory dir) throws IOException {
    try {
      return loadChecked(dir);
    } catch (ParameterFileException | FstException e) {
      // A file that passed the manifest's checksum but fails its own check (a manifest rewritten
      // after the damage, or a file written wrongly): still a broken model, reported as one.
      throw new ModelFormatException(e.getMessage(), e);
    }
  }

  private static RecognitionModel loadChecked(ModelDirectory dir) throws IOException {
    for (String required : List.of(ModelLayout.AM_CONFIG, ModelLayout.AM_PARAMS, ModelLayout.FBANK_CONFIG,
        ModelLayout.TOKENS, ModelLayout.WORDS, ModelLayout.GRAPH)) {
      if (!dir.has(required)) {
        throw new ModelFormatException(dir.directory() + ": not a speech recognition model (no " + required + ")");
      }
    }
    FbankOptions fbank = FbankConfig.read(dir.file(ModelLayout.FBANK_CONFIG));
    Cmvn cmvn = dir.has(ModelLayout.CMVN) ? Cmvn.load(dir.file(ModelLayout.CMVN)) : null;
    if (cmvn != null && cmvn.dim() != fbank.dim()) {
      throw new ModelFormatException(dir.file(ModelLayout.CMVN) + ": statistics of dimension " + cmvn.dim()
          + ", but fbank.conf gives " + fbank.dim() + " features");
    }
    AcousticModel am = AcousticModels.load(dir);
    if (am.inputDim() != fbank.dim()) {
      throw new ModelFormatException(dir.file(ModelLayout.AM_CONFIG) + ": the acoustic model takes " + am.inputDim()
          + " features, but fbank.conf gives " + fbank.dim());
    }
    int tokens = SymbolTable.read(dir.file(ModelLayout.TOKENS)).size();
    if (tokens != am.numTokens()) {
      throw new ModelFormatException(dir.file(ModelLayout.TOKENS) + ": " + tokens
          + " tokens, but the acoustic model has " + am.numTokens() + " outputs");
    }
    SymbolTable words = SymbolTable.read(dir.file(ModelLayout.WORDS));
    Fst graph = Fst.load(dir.file(ModelLayout.GRAPH));
    return new RecognitionModel(dir, fbank, cmvn, am, graph, words, tokens);
  }

  /** Global CMVN (mean and variance) when the model has statistics; in place. */
  void normalise(FloatMatrix features) {
    if (cmvn != null) {
      cmvn.apply(features, true);
    }
  }

  /** Acoustic scores of feature rows (one utterance or one chunk of one). */
  ScoreMatrix scores(List<float[]> features) {
    return scores(logProbs(features));
  }

  /** The acoustic model's log-probabilities {@code [outFrames][tokens]} of feature rows, on the GPU when it is used. */
  float[][] logProbs(List<float[]> features) {
    float[][] rows = features.toArray(new float[0][]);
    GpuAcousticModel onGpu = gpuAm;
    return onGpu != null ? onGpu.logProbs(rows) : am.logProbs(rows);
  }

  /** Log-probabilities {@code [frames][tokens]} as the decoder's score matrix. */
  ScoreMatrix scores(float[][] logProbs) {
    float[] flat = new float[logProbs.length * tokens];
    for (int t = 0; t < logProbs.length; t++) {
      System.arraycopy(logProbs[t], 0, flat, t * tokens, tokens);
    }
    return ScoreMatrix.of(flat, logProbs.length, tokens);
  }

  /** Whether the acoustic model runs on a GPU (where batching utterances pays). */
  boolean onGpu() {
    return gpuAm != null;
  }

  /**
   * Acoustic scores of several utterances' features in one padded GPU batch when the model is
   * on a GPU, one by one otherwise; in input order.
   */
  List<ScoreMatrix> scoresBatch(List<FloatMatrix> utterances) {
    GpuAcousticModel onGpu = gpuAm;
    List<ScoreMatrix> out = new ArrayList<>();
    List<FloatMatrix> nonEmpty = new ArrayList<>();
    for (FloatMatrix m : utterances) {
      if (m.rows() > 0) {
        nonEmpty.add(m);
      }
    }
    if (onGpu == null || nonEmpty.isEmpty()) {
      for (FloatMatrix m : utterances) {
        out.add(scores(rows(m)));
      }
      return out;
    }
    int batch = nonEmpty.size();
    int dim = am.inputDim();
    int frames = nonEmpty.stream().mapToInt(FloatMatrix::rows).max().orElseThrow();
    float[] padded = new float[batch * frames * dim];
    int[] lengths = new int[batch];
    for (int b = 0; b < batch; b++) {
      FloatMatrix m = nonEmpty.get(b);
      lengths[b] = m.rows();
      for (int t = 0; t < m.rows(); t++) {
        System.arraycopy(m.row(t), 0, padded, (b * frames + t) * dim, dim);
      }
    }
    float[] logProbs = onGpu.logProbs(padded, batch, frames, lengths);
    int outFrames = am.outputLength(frames);
    int next = 0;
    for (FloatMatrix m : utterances) {
      if (m.rows() == 0) {
        out.add(scores(rows(m)));
        continue;
      }
      int b = next++;
      int rowsOut = am.outputLength(m.rows());
      float[] flat = new float[rowsOut * tokens];
      System.arraycopy(logProbs, b * outFrames * tokens, flat, 0, flat.length);
      out.add(ScoreMatrix.of(flat, rowsOut, tokens));
    }
    return out;
  }

  /**
   * Runs the acoustic model on {@code gpu} from now on, or returns why it cannot (an architecture
   * without a GPU implementation); the model then stays on the CPU.
   */
  Optional<String> useGpu(GpuDevice gpu) {
    try {
      gpuAm = GpuAcousticModel.of(am, gpu);
      return Optional.empty();
    } catch (UnsupportedOperationException e) {
      return Optional.of(e.getMessage());
    }
  }

  /** Gives back the GPU copy of the acoustic model, if there is one. */
  void releaseGpu() {
    GpuAcousticModel onGpu = gpuAm;
    gpuAm = null;
    if (onGpu != null) {
      onGpu.close();
    }
  }

  /** Seconds per acoustic-model output frame. */
  double secondsPerFrame() {
    return fbank.frameShiftMs() / 1000.0 * am.subsampling();
  }

  List<Word> words(DecodingResult result) {
    return words(result.words());
  }

  /** Words with times in seconds. */
  List<Word> words(List<WordHypothesis> words) {
    double step = secondsPerFrame();
    List<Word> out = new ArrayList<>();
    for (WordHypothesis w : words) {
      out.add(new Word(word(w.word()), w.startFrame() * step, (w.endFrame() + 1) * step, w.confidence()));
    }
    return out;
  }

  List<Alternative> alternatives(DecodingResult result) {
    List<Alternative> out = new ArrayList<>();
    for (Hypothesis h : result.nbest()) {
      out.add(new Alternative(wordTexts(h), h.graphCost(), h.acousticCost()));
    }
    return out;
  }

  /** The words of a hypothesis as spelled in {@code words.txt}. */
  List<String> wordTexts(Hypothesis h) {
    List<String> ws = new ArrayList<>();
    for (int id : h.words()) {
      ws.add(word(id));
    }
    return ws;
  }

  private String word(int id) {
    String s = words.symbol(id);
    return s != null ? s : "<" + id + ">";
  }

  static List<float[]> rows(FloatMatrix m) {
    List<float[]> rows = new ArrayList<>(m.rows());
    for (int r = 0; r < m.rows(); r++) {
      rows.add(m.row(r));
    }
    return rows;
  }
}
