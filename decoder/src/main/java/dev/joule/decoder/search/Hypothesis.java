package dev.joule.decoder.search;

import java.util.Arrays;
import java.util.List;

/**
 * A whole-utterance hypothesis with its cost split for rescoring: total cost =
 * graphCost + acousticCost, where acousticCost = −acousticScale·Σ log P(token | frame) and
 * graphCost holds the graph's (LM and lexicon) costs, word penalties and the final weight.
 *
 * @param timedWords the same words with frames and confidences along this hypothesis's own
 *     path, so that a rescorer choosing another n-best entry still has word times; empty when
 *     not known (hypotheses made outside the decoder). Equality ignores it: it follows from the
 *     path.
 */
public record Hypothesis(int[] words, double graphCost, double acousticCost, List<WordHypothesis> timedWords) {
  public Hypothesis {
    timedWords = List.copyOf(timedWords);
    if (!timedWords.isEmpty() && timedWords.size() != words.length) {
      throw new IllegalArgumentException(
          "a hypothesis of " + words.length + " words has times for " + timedWords.size());
    }
  }

  /** A hypothesis without word times. */
  public Hypothesis(int[] words, double graphCost, double acousticCost) {
    this(words, graphCost, acousticCost, List.of());
  }

  public double cost() {
    return graphCost + acousticCost;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Hypothesis h && Arrays.equals(words, h.words)
        && graphCost == h.graphCost && acousticCost == h.acousticCost;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(words) * 31 + Double.hashCode(graphCost + acousticCost);
  }

  @Override
  public String toString() {
    return Arrays.toString(words) + " graph " + graphCost + " acoustic " + acousticCost;
  }
}
