package dev.joule.engine.recognizer;

import java.util.List;

/**
 * One entry of the n-best list: a word sequence and its costs (negated log-probabilities; lower
 * is better).
 *
 * @param words the words of this hypothesis
 * @param graphCost cost from the decoding graph (language model and lexicon)
 * @param acousticCost cost from the acoustic model (already multiplied by the acoustic scale)
 */
public record Alternative(List<String> words, double graphCost, double acousticCost) {
  public Alternative {
    words = List.copyOf(words);
  }

  /** The words separated by single spaces. */
  public String text() {
    return String.join(" ", words);
  }

  /** Total cost: graph plus acoustic. */
  public double cost() {
    return graphCost + acousticCost;
  }
}
