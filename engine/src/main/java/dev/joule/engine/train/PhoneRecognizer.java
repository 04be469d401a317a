package dev.joule.engine.train;

import dev.joule.decoder.fst.Fst;
import dev.joule.decoder.fst.Semiring;
import dev.joule.decoder.search.Decoder;
import dev.joule.decoder.search.DecoderOptions;
import dev.joule.decoder.search.DecodingResult;
import dev.joule.decoder.search.ScoreMatrix;
import dev.joule.engine.ctccrf.DenGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * Phone recognition for the dev phone error rate: the WFST beam decoder over a phone-level
 * graph made from the den graph (CTC topology ∘ phone LM), whose output labels are phones. This
 * is CTC-CRF decoding with the phone LM in place of a word graph; greedy CTC decoding would
 * ignore the LM the model was trained against.
 */
public final class PhoneRecognizer {
  private final Decoder decoder;

  public PhoneRecognizer(DenGraph den, DecoderOptions options) {
    this.decoder = new Decoder(decodingGraph(den), options);
  }

  /**
   * The den graph as a decoding graph: input label token + 1, output label the phone on arcs that
   * emit one and epsilon on blanks and repeats, cost −log-probability. Assumes the topology of
   * {@link dev.joule.engine.ctccrf.DenGraphBuilder}, where a repeat (a frame that continues the
   * previous phone) is exactly a self-loop with a phone token, and every other phone arc starts
   * a new phone.
   */
  public static Fst decodingGraph(DenGraph den) {
    DenGraph.Csr arcs = den.bySource();
    int states = den.numStates();
    int m = arcs.other().length;
    int[] ilabel = new int[m];
    int[] olabel = new int[m];
    float[] weight = new float[m];
    for (int s = 0; s < states; s++) {
      for (int a = arcs.start()[s]; a < arcs.start()[s + 1]; a++) {
        int token = arcs.token()[a];
        ilabel[a] = token + 1;
        olabel[a] = token != 0 && arcs.other()[a] != s ? token : 0;
        weight[a] = (float) -arcs.logProb()[a];
      }
    }
    float[] finals = new float[states];
    for (int s = 0; s < states; s++) {
      double f = den.finalLogProb(s);
      finals[s] = f == Double.NEGATIVE_INFINITY ? Float.POSITIVE_INFINITY : (float) -f;
    }
    return Fst.of(Semiring.TROPICAL, den.start(), arcs.start(), ilabel, olabel, weight, arcs.other(), finals);
  }

  /** The best phone sequence (ids 1..V−1) of each utterance, in input order. */
  public List<int[]> recognise(List<ScoreMatrix> utterances, int threads) {
    List<int[]> out = new ArrayList<>();
    for (DecodingResult r : decoder.decodeAll(utterances, threads)) {
      out.add(r.wordIds());
    }
    return out;
  }
}
