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
    float[][] logProbs = am.logProbs(features.toArray(new float[0][]));
    float[] flat = new float[logProbs.length * tokens];
    for (int t = 0; t < logProbs.length; t++) {
      System.arraycopy(logProbs[t], 0, flat, t * tokens, tokens);
    }
    return ScoreMatrix.of(flat, logProbs.length, tokens);
  }

  /** Seconds per acoustic-model output frame. */
  double secondsPerFrame() {
    return fbank.frameShiftMs() / 1000.0 * am.subsampling();
  }

  List<Word> words(DecodingResult result) {
    double step = secondsPerFrame();
    List<Word> out = new ArrayList<>();
    for (WordHypothesis w : result.words()) {
      out.add(new Word(word(w.word()), w.startFrame() * step, (w.endFrame() + 1) * step, w.confidence()));
    }
    return out;
  }

  List<Alternative> alternatives(DecodingResult result) {
    List<Alternative> out = new ArrayList<>();
    for (Hypothesis h : result.nbest()) {
      List<String> ws = new ArrayList<>();
      for (int id : h.words()) {
        ws.add(word(id));
      }
      out.add(new Alternative(ws, h.graphCost(), h.acousticCost()));
    }
    return out;
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
