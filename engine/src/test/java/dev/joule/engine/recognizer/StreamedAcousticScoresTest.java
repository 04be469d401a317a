package dev.joule.engine.recognizer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.am.AcousticModel;
import dev.joule.engine.am.AcousticModels;
import dev.joule.engine.am.InputContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The window arithmetic of {@link StreamedAcousticScores} by brute force: every output frame of a
 * stream's windowed computation, for random frames, random decoding steps and segment cuts that
 * are announced after more frames arrived, equals bit for bit the acoustic model run on the whole
 * segment.
 */
class StreamedAcousticScoresTest {
  private static final int DIM = 6;

  private static AcousticModel model(String arch, String dilations) {
    Properties p = new Properties();
    p.setProperty("arch", arch);
    p.setProperty("input.dim", Integer.toString(DIM));
    p.setProperty("tokens", "5");
    p.setProperty("hidden", "8");
    if (dilations != null) {
      p.setProperty("dilations", dilations);
    }
    AcousticModel am = AcousticModels.create(p, new Random(7));
    am.train(false);
    return am;
  }

  private static StreamedAcousticScores scores(AcousticModel am) {
    return new StreamedAcousticScores(am.inputContext(), am.subsampling(), rows -> am.logProbs(rows.toArray(new float[0][])));
  }

  private static float[][] features(int frames, Random r) {
    float[][] f = new float[frames][DIM];
    for (float[] row : f) {
      for (int d = 0; d < DIM; d++) {
        row[d] = (float) r.nextGaussian();
      }
    }
    return f;
  }

  /**
   * Streams {@code x}, cut into segments ending at {@code ends} (the last is {@code x.length}),
   * as {@link RecognizerStream} does: frames one at a time, output frames taken in random
   * amounts whenever some are ready (never past a limit at or before the segment's end), and
   * each cut announced up to 35 frames after the segment's end, as the pause segmenter
   * announces it. Returns each segment's output frames.
   */
  private static List<List<float[]>> streamed(AcousticModel am, float[][] x, int[] ends, Random r) {
    StreamedAcousticScores s = scores(am);
    List<List<float[]>> out = new ArrayList<>();
    out.add(new ArrayList<>());
    int seg = 0;
    int segStart = 0;
    int announce = announcement(ends, 0, r);
    for (int t = 0; t < x.length; t++) {
      s.add(x[t]);
      while (seg < ends.length - 1 && t + 1 >= announce) {
        out.get(seg).addAll(Arrays.asList(s.endSegment(ends[seg] - segStart)));
        segStart = ends[seg];
        seg++;
        out.add(new ArrayList<>());
        announce = announcement(ends, seg, r);
      }
      int limit = Math.max(0, ends[seg] - segStart - r.nextInt(12));
      int ready = s.ready(limit);
      if (ready > 0 && r.nextInt(3) == 0) {
        out.get(seg).addAll(Arrays.asList(s.next(1 + r.nextInt(ready))));
      }
    }
    out.get(seg).addAll(Arrays.asList(s.endSegment(s.added())));
    return out;
  }

  /** How many frames have arrived when the end of segment {@code k} is announced. */
  private static int announcement(int[] ends, int k, Random r) {
    if (k == ends.length - 1) {
      return Integer.MAX_VALUE;
    }
    return ends[k] + r.nextInt(Math.min(35, ends[k + 1] - ends[k]));
  }

  private static void assertStreamedEqualsWhole(AcousticModel am, int frames, int[] ends, long seed) {
    Random r = new Random(seed);
    float[][] x = features(frames, r);
    List<List<float[]>> got = streamed(am, x, ends, r);
    assertEquals(ends.length, got.size());
    int start = 0;
    for (int k = 0; k < ends.length; k++) {
      float[][] want = am.logProbs(Arrays.copyOfRange(x, start, ends[k]));
      String where = am.config().getProperty("arch") + " " + am.config().getProperty("dilations") + ", " + frames
          + " frames, segment " + k + " of " + Arrays.toString(ends) + ", seed " + seed;
      assertEquals(want.length, got.get(k).size(), where);
      for (int j = 0; j < want.length; j++) {
        assertArrayEquals(want[j], got.get(k).get(j), 0f, where + ", output frame " + j);
      }
      start = ends[k];
    }
  }

  @Test
  void tdnnOutputsEqualTheWholeSegmentsBitForBit() {
    for (String dilations : new String[] {"1,1,2,2,3", "1,2", "3"}) {
      AcousticModel am = model("tdnn", dilations);
      for (long seed = 0; seed < 4; seed++) {
        assertStreamedEqualsWhole(am, 1, new int[] {1}, seed);
        assertStreamedEqualsWhole(am, 2, new int[] {2}, seed);
        assertStreamedEqualsWhole(am, 100, new int[] {100}, seed);
        assertStreamedEqualsWhole(am, 97, new int[] {97}, seed);
        // Segments shorter and longer than the context, cut on the subsampling grid, the last not.
        assertStreamedEqualsWhole(am, 250, new int[] {30, 33, 120, 250}, seed);
        assertStreamedEqualsWhole(am, 202, new int[] {3, 96, 99, 202}, seed);
      }
    }
  }

  @Test
  void linearOutputsEqualTheWholeSegments() {
    AcousticModel am = model("linear", null);
    assertEquals(0, scores(am).lookaheadFrames());
    for (long seed = 0; seed < 3; seed++) {
      assertStreamedEqualsWhole(am, 91, new int[] {1, 2, 40, 91}, seed);
    }
  }

  @Test
  void aTdnnOutputWaitsForItsRightContext() {
    AcousticModel am = model("tdnn", "1,1,2,2,3");
    StreamedAcousticScores s = scores(am);
    assertTrue(s.exact());
    assertEquals(27, s.lookaheadFrames());
    float[][] x = features(40, new Random(1));
    for (int t = 0; t < 29; t++) {
      s.add(x[t]);
    }
    // Output frame 0 covers frames 0-2 and needs 27 more: 30 frames; 29 are not enough.
    assertEquals(0, s.ready(Integer.MAX_VALUE));
    s.add(x[29]);
    assertEquals(1, s.ready(Integer.MAX_VALUE));
    // A segment that may end at frame 29 cannot give it out yet.
    assertEquals(0, s.ready(29));
  }

  @Test
  void unboundedModelsAreScoredAChunkAtATimeAsIfEachWereAnUtterance() {
    AcousticModel am = model("blstm", null);
    assertEquals(InputContext.UNBOUNDED, am.inputContext());
    StreamedAcousticScores s = scores(am);
    assertFalse(s.exact());
    assertEquals(0, s.lookaheadFrames());
    float[][] x = features(20, new Random(2));
    for (float[] f : x) {
      s.add(f);
    }
    assertEquals(6, s.ready(Integer.MAX_VALUE));
    float[][] first = s.next(4);
    float[][] alone = am.logProbs(Arrays.copyOfRange(x, 0, 12));
    for (int j = 0; j < 4; j++) {
      assertArrayEquals(alone[j], first[j], 0f);
    }
    float[][] rest = s.endSegment(20);
    float[][] restAlone = am.logProbs(Arrays.copyOfRange(x, 12, 20));
    assertEquals(restAlone.length, rest.length);
    for (int j = 0; j < rest.length; j++) {
      assertArrayEquals(restAlone[j], rest[j], 0f);
    }
  }
}
