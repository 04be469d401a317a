package dev.joule.engine.recognizer;

import dev.joule.decoder.search.DecodingResult;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins the decoding results of consecutive segments of one recording into one transcript:
 * words with times counted from the start of the recording, and, for more than one segment, an
 * n-best list holding the single joined best path (the segments' own lists are independent, so
 * their cross product would be meaningless and huge). A recording of one segment becomes its
 * transcript through the {@link TranscriptBuilder}, so it is rescored with the model's TRF when
 * rescoring is on; a recording of several segments is the join of their best paths, not rescored
 * (each segment is decoded to its best path only, to bound memory).
 */
final class SegmentJoiner {
  private final RecognitionModel model;
  private final TranscriptBuilder transcripts;
  private DecodingResult onlySegment;
  private final List<Word> words = new ArrayList<>();
  private final List<String> bestWords = new ArrayList<>();
  private double graphCost;
  private double acousticCost;
  private boolean reachedFinal = true;
  private int segments;

  SegmentJoiner(RecognitionModel model, TranscriptBuilder transcripts) {
    this.model = model;
    this.transcripts = transcripts;
  }

  /** Adds the result of the next segment, which starts {@code offsetSeconds} into the recording. */
  void add(DecodingResult result, double offsetSeconds) {
    onlySegment = segments == 0 ? result : null;
    words.addAll(shifted(model.words(result), offsetSeconds));
    List<Alternative> alternatives = model.alternatives(result);
    if (!alternatives.isEmpty()) {
      Alternative best = alternatives.get(0);
      bestWords.addAll(best.words());
      graphCost += best.graphCost();
      acousticCost += best.acousticCost();
    }
    reachedFinal &= result.reachedFinal();
    segments++;
  }

  /** Segments added so far. */
  int segments() {
    return segments;
  }

  /** The words so far followed by {@code partial}'s words (a segment still being decoded). */
  List<Word> wordsWith(DecodingResult partial, double offsetSeconds) {
    List<Word> out = new ArrayList<>(words);
    out.addAll(shifted(model.words(partial), offsetSeconds));
    return out;
  }

  /** The transcript of every segment added. */
  Transcript transcript(Timing timing) {
    if (segments == 1) {
      return transcripts.build(onlySegment, timing);
    }
    return new Transcript(words, List.of(new Alternative(bestWords, graphCost, acousticCost)), reachedFinal, timing);
  }

  private static List<Word> shifted(List<Word> ws, double offsetSeconds) {
    List<Word> out = new ArrayList<>(ws.size());
    for (Word w : ws) {
      out.add(new Word(w.text(), w.start() + offsetSeconds, w.end() + offsetSeconds, w.confidence()));
    }
    return out;
  }
}
