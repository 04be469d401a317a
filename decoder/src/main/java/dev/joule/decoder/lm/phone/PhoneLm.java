package dev.joule.decoder.lm.phone;

import java.util.List;

/**
 * An unsmoothed phone n-gram LM as a deterministic acceptor over phone ids: the LM a CTC-CRF
 * denominator graph is built from. State 0 is the start (the sentence-initial history).
 *
 * <p>Every transition and final weight is a natural-log probability; there are no backoff arcs
 * (an unseen phone after a history simply has no arc), as in Kaldi's chain phone LM.
 *
 * @param histories each state's phone history (oldest first; 0 stands for the sentence start)
 * @param arcs transitions, grouped by source state in increasing order
 * @param finalLogProb per state, log P(end of sentence | history); −∞ when never seen
 */
public record PhoneLm(List<int[]> histories, List<Arc> arcs, double[] finalLogProb) {

  /** One transition: after {@code from}'s history, phone {@code phone} with log-probability {@code logProb}. */
  public record Arc(int from, int phone, double logProb, int to) {}

  public int numStates() {
    return histories.size();
  }

  /** The last phone of a state's history, or 0 for the start state. */
  public int lastPhone(int state) {
    int[] h = histories.get(state);
    return h[h.length - 1];
  }
}
