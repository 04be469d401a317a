package dev.joule.decoder.search;

import java.util.Arrays;

/**
 * A whole-utterance hypothesis with its cost split for rescoring: total cost =
 * graphCost + acousticCost, where acousticCost = −acousticScale·Σ log P(token | frame) and
 * graphCost holds the graph's (LM and lexicon) costs, word penalties and the final weight.
 */
public record Hypothesis(int[] words, double graphCost, double acousticCost) {
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
