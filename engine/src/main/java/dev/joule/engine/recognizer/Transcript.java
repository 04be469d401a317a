package dev.joule.engine.recognizer;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What recognising one piece of audio gives.
 *
 * @param words the best word sequence with times and confidences
 * @param alternatives the n-best list, best first (empty for partial results); with rescoring,
 *     ordered by rescored total, so the first one's words are {@code words}
 * @param reachedFinal whether the best path ends in a final state of the decoding graph; false
 *     means the audio stopped in the middle of a word or sentence the graph allows
 * @param timing where the processing time went
 */
public record Transcript(List<Word> words, List<Alternative> alternatives, boolean reachedFinal, Timing timing) {
  public Transcript {
    words = List.copyOf(words);
    alternatives = List.copyOf(alternatives);
  }

  /** The best word sequence separated by single spaces ("" when nothing was recognised). */
  public String text() {
    return words.stream().map(Word::text).collect(Collectors.joining(" "));
  }
}
