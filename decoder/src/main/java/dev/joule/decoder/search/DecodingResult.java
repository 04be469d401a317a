package dev.joule.decoder.search;

import java.util.List;

/**
 * What decoding an utterance gives.
 *
 * @param words the 1-best words with frames and confidences
 * @param best the 1-best hypothesis with its graph and acoustic costs
 * @param reachedFinal whether the best path ends in a final state of the graph; when no token
 *     reached one, the best path regardless of final weights is reported (as Kaldi does)
 * @param frames frames decoded
 * @param nbest up to {@link DecoderOptions#nbest()} distinct word sequences, best first (empty
 *     for partial results)
 * @param lattice the pruned word lattice (null for partial results)
 */
public record DecodingResult(
    List<WordHypothesis> words, Hypothesis best, boolean reachedFinal, int frames, List<Hypothesis> nbest,
    WordLattice lattice) {

  /** The 1-best word ids. */
  public int[] wordIds() {
    return best.words();
  }
}
