package dev.joule.engine.recognizer;

import dev.joule.decoder.search.DecodingResult;
import dev.joule.decoder.search.DecodingSession;
import java.util.ArrayList;
import java.util.List;

/**
 * Joins the decoding results of consecutive segments of one recording into one transcript:
 * words with times counted from the start of the recording, and, for more than one segment, an
 * n-best list holding the single joined best path (the segments' own lists are independent, so
 * their cross product would be meaningless and huge). A recording of one segment becomes its
 * transcript through the {@link TranscriptBuilder}, with its whole n-best list. With rescoring,
 * each segment of a longer recording is rescored on its own n-best list as it is added (a
 * segment ends at a pause, so it is a sentence-like unit for the whole-sentence TRF) and only
 * the winner is kept; without rescoring a segment needs only its best path. Either way memory is
 * bounded by one segment's list.
 */
final class SegmentJoiner {
  private static final Timing NO_TIMING = new Timing(0, 0, 0, 0);
  private final RecognitionModel model;
  private final TranscriptBuilder transcripts;
  /** The first segment's own transcript: the recording's, with its timing, when it is the only one. */
  private Transcript first;
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

  /**
   * Finishes the decoding of the next segment, which starts {@code offsetSeconds} into the
   * recording, and adds its result: with an n-best list when the segment may be the whole
   * recording ({@code mayBeWhole}) or when it is rescored.
   */
  void add(DecodingSession session, boolean mayBeWhole, double offsetSeconds) {
    add(mayBeWhole || transcripts.rescores() ? session.finish() : session.finish(1), offsetSeconds);
  }

  private void add(DecodingResult result, double offsetSeconds) {
    Transcript own = transcripts.build(result, NO_TIMING);
    if (segments == 0) {
      first = own;
    }
    words.addAll(shifted(own.words(), offsetSeconds));
    List<Alternative> alternatives = own.alternatives();
    if (!alternatives.isEmpty()) {
      Alternative best = alternatives.get(0);
      bestWords.addAll(best.words());
      graphCost += best.graphCost();
      acousticCost += best.acousticCost();
    }
    reachedFinal &= own.reachedFinal();
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
      return new Transcript(first.words(), first.alternatives(), first.reachedFinal(), timing);
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
