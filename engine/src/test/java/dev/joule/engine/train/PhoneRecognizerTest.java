package dev.joule.engine.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.joule.decoder.fst.Fst;
import dev.joule.decoder.lm.phone.PhoneLmEstimator;
import dev.joule.decoder.search.DecoderOptions;
import dev.joule.decoder.search.ScoreMatrix;
import dev.joule.engine.ctccrf.DenGraph;
import dev.joule.engine.ctccrf.DenGraphBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

class PhoneRecognizerTest {
  private static final int TOKENS = 4;

  private static DenGraph den() {
    PhoneLmEstimator lm = new PhoneLmEstimator(2, 2, 0);
    lm.add(new int[] {1, 2, 3});
    lm.add(new int[] {1, 1, 2});
    lm.add(new int[] {3, 2, 1});
    lm.add(new int[] {2, 3, 3});
    return DenGraphBuilder.build(lm.estimate(), TOKENS);
  }

  /** Scores that make {@code frames} (one token per frame) by far the best path. */
  private static ScoreMatrix peaked(int... frames) {
    float[] s = new float[frames.length * TOKENS];
    for (int t = 0; t < frames.length; t++) {
      for (int v = 0; v < TOKENS; v++) {
        s[t * TOKENS + v] = v == frames[t] ? -0.01f : -12f;
      }
    }
    return ScoreMatrix.of(s, frames.length, TOKENS);
  }

  @Test
  void phonesComeOutOncePerCtcSegment() {
    PhoneRecognizer r = new PhoneRecognizer(den(), DecoderOptions.DEFAULTS);
    List<int[]> out = r.recognise(List.of(
        peaked(0, 1, 1, 0, 2, 2, 2, 3, 0),   // 1 2 3: repeats merge, a change of token starts a phone
        peaked(1, 0, 1, 1, 2, 0),            // 1 1 2: a blank separates two 1s
        peaked(3, 3, 3, 2, 1, 1)), 1);
    assertArrayEquals(new int[] {1, 2, 3}, out.get(0));
    assertArrayEquals(new int[] {1, 1, 2}, out.get(1));
    assertArrayEquals(new int[] {3, 2, 1}, out.get(2));
  }

  @Test
  void decodingGraphKeepsTheDenGraphArcsAndEmitsOnlyOnPhoneStarts() {
    DenGraph den = den();
    Fst g = PhoneRecognizer.decodingGraph(den);
    assertEquals(den.numStates(), g.numStates());
    assertEquals(den.numArcs(), g.numArcs());
    for (int s = 0; s < g.numStates(); s++) {
      for (int a = g.arcBegin(s); a < g.arcEnd(s); a++) {
        int token = g.ilabel(a) - 1;
        boolean selfLoop = g.nextState(a) == s;
        assertEquals(token == 0 || selfLoop ? 0 : token, g.olabel(a), "state " + s + " arc " + a);
      }
    }
  }
}
