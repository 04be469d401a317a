package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Where {@link PauseSegmenter} cuts, on loudness sequences with known pauses. */
class PauseSegmenterTest {
  static final float LOUD = 10f;
  static final float QUIET = 0f; // 10 nats (43 dB) below LOUD

  /** Feeds runs of (frames, loudness) and returns the cuts, each counted from its segment's start. */
  private static List<Integer> cuts(PauseSegmenter s, Object... runs) {
    List<Integer> cuts = new ArrayList<>();
    for (int i = 0; i < runs.length; i += 2) {
      for (int k = 0; k < (Integer) runs[i]; k++) {
        int c = s.add((Float) runs[i + 1]);
        if (c > 0) {
          cuts.add(c);
        }
      }
    }
    return cuts;
  }

  @Test
  void cutsInTheMiddleOfAPauseAfterSpeechOnAMultipleOfTheSubsampling() {
    PauseSegmenter s = new PauseSegmenter(60, 3000, 3);
    // 100 frames of speech, then a pause: the cut comes once the pause is 60 frames long, 30
    // frames into it (130, rounded down to 129). The second segment holds the 171 quiet frames
    // left over, 50 of speech, then a pause, cut 30 frames into it: 171 + 50 + 30 = 251 → 249.
    assertEquals(List.of(129, 249), cuts(s, 100, LOUD, 200, QUIET, 50, LOUD, 80, QUIET));
  }

  @Test
  void shortPausesAndSilenceAloneNeverCut() {
    PauseSegmenter s = new PauseSegmenter(60, 3000, 3);
    assertEquals(List.of(), cuts(s, 500, QUIET, 100, LOUD, 59, QUIET, 100, LOUD, 40, QUIET, 100, LOUD));
    assertEquals(899, s.frames());
  }

  @Test
  void quietIsRelativeToTheLoudestFrameSoFar() {
    PauseSegmenter s = new PauseSegmenter(60, 3000, 3);
    // 5 nats (22 dB) below the peak is not quiet: soft speech does not end a segment.
    assertEquals(List.of(), cuts(s, 100, LOUD, 200, LOUD - 5f));
  }

  @Test
  void quietIsRelativeToTheCurrentSegmentNotToEarlierOnes() {
    PauseSegmenter s = new PauseSegmenter(60, 3000, 3);
    // A loud sentence (4.6 nats = 20 dB above the next one) and a pause: cut.
    assertEquals(List.of(129), cuts(s, 100, LOUD + 4.6f, 100, QUIET));
    // A softer sentence with a 62-frame dip 26 dB below itself (46 dB below the loud one): not
    // a pause, because the reference is this segment's loudest frame.
    assertEquals(List.of(), cuts(s, 100, LOUD, 62, LOUD - 6f));
    // 30.4 dB below it is: cut 30 frames into the pause. The segment holds the 71 quiet frames
    // left over, 100 + 62 frames of speech and 60 of pause: 293 - 30 = 263 → 261.
    assertEquals(List.of(261), cuts(s, 70, LOUD - 7f));
  }

  @Test
  void aSegmentWithoutPausesIsCutAtItsQuietestFrameWhenFull() {
    PauseSegmenter s = new PauseSegmenter(60, 600, 3);
    List<Integer> got = new ArrayList<>();
    for (int t = 0; t < 1500; t++) {
      // Loud throughout, with a dip at frame 450 of every 600.
      int c = s.add(t % 600 == 450 ? LOUD - 3f : LOUD);
      if (c > 0) {
        got.add(c);
      }
      assertTrue(s.frames() < 600, "never holds more than the longest segment");
    }
    // First cut just after the dip (frame 450 → 451 rounded down to 450); the next segment
    // (150 frames carried over) is full at frame 1049 with no dip in its second half: cut whole.
    assertEquals(List.of(450, 600), got);
  }

  @Test
  void refusesSettingsThatCannotWork() {
    assertThrows(IllegalArgumentException.class, () -> new PauseSegmenter(2, 3000, 3));
    assertThrows(IllegalArgumentException.class, () -> new PauseSegmenter(60, 100, 3));
  }

  @Test
  void noPauseCutFallsBeforeTheEarliestPauseCut() {
    // Random runs of speech and quiet (pauses long and short, softer speech); at every frame the
    // segmenter's earliest pause cut is checked against where it really cuts next, by replaying
    // the same frames into a twin and feeding it the rest.
    Random r = new Random(3);
    List<Float> levels = new ArrayList<>();
    while (levels.size() < 1500) {
      int run = 1 + r.nextInt(r.nextBoolean() ? 90 : 20);
      float level = r.nextInt(3) == 0 ? QUIET : LOUD - r.nextInt(3);
      for (int k = 0; k < run; k++) {
        levels.add(level);
      }
    }
    PauseSegmenter s = new PauseSegmenter(60, 3000, 3);
    int segmentStart = 0;
    int checked = 0;
    int reached = 0;
    for (int t = 0; t < levels.size(); t++) {
      int cut = s.add(levels.get(t));
      if (cut > 0) {
        segmentStart += cut;
      }
      int earliest = segmentStart + s.earliestPauseCut();
      // The twin sees frames 0..t, then the rest: its first cut after frame t.
      PauseSegmenter twin = new PauseSegmenter(60, 3000, 3);
      int twinStart = 0;
      int next = -1;
      for (int u = 0; u < levels.size() && next < 0; u++) {
        int c = twin.add(levels.get(u));
        if (c > 0) {
          twinStart += c;
          if (u > t) {
            next = twinStart;
          }
        }
      }
      if (next >= 0) {
        assertTrue(next >= earliest, "frame " + t + ": cut at " + next + " before the earliest " + earliest);
        checked++;
        reached += next == earliest ? 1 : 0;
      }
      if (levels.get(t) != QUIET) {
        // During speech a cut is at least half a pause ahead: a stream decodes without waiting.
        assertTrue(earliest > t + 1, "frame " + t + " is speech, yet a cut may come at " + earliest);
      }
    }
    assertTrue(checked > 500, "cuts to check against: " + checked);
    assertTrue(reached > 0, "the bound is where a pause does cut, at least once");
  }
}
