package dev.joule.decoder.search;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.fst.Fst;
import dev.joule.decoder.fst.OpenFst;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The incremental lattice pruner against the reference that re-prunes the whole lattice every
 * time ({@link FullLatticePruner}): after every chunk of a long utterance the two sessions hold
 * identical lattices (tokens, links, frame boundaries, best links), and finish identically.
 */
class LatticePrunerTest {
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6})
  void incrementalPruningEqualsPruningEverythingAgain(long seed) {
    Random r = new Random(seed);
    int tokens = 4;
    int frames = 700;
    // Tight lattice beams prune much (and deep); wide ones little.
    float latticeBeam = new float[] {2f, 4f, 8f}[(int) (seed % 3)];
    int interval = new int[] {1, 7, 25}[(int) (seed % 3)];
    try (OpenFst g = DecoderTest.randomGraph(r, 40, tokens, 8)) {
      Fst graph = Fst.fromOpenFst(g);
      DecoderOptions options = DecoderOptions.DEFAULTS.withBeam(12f, latticeBeam);
      float[] x = DecoderTest.randomScores(r, frames, tokens);
      DecodingSession incremental = new DecodingSession(graph, options, interval, new LatticePruner());
      DecodingSession reference = new DecodingSession(graph, options, interval, new FullLatticePruner());
      DecodingSession unpruned = new DecodingSession(graph, options, 0, new LatticePruner());
      for (int start = 0; start < frames; ) {
        int n = Math.min(frames - start, 1 + r.nextInt(60));
        ScoreMatrix chunk = ScoreMatrix.of(Arrays.copyOfRange(x, start * tokens, (start + n) * tokens), n, tokens);
        incremental.accept(chunk);
        reference.accept(chunk);
        unpruned.accept(chunk);
        start += n;
        assertSameLattice(reference.lattice(), incremental.lattice(), "after frame " + start);
      }
      assertTrue(incremental.latticeTokens() < unpruned.latticeTokens(), "pruning removed something");
      DecodingResult a = incremental.finish();
      DecodingResult b = reference.finish();
      assertEquals(b.words(), a.words());
      assertEquals(b.nbest(), a.nbest());
    }
  }

  /**
   * A graph whose only path ends after one frame: from the second frame on no token survives,
   * and pruning leaves the start token alone, as re-pruning everything does; finishing gives an
   * empty result that reached no final state.
   */
  @org.junit.jupiter.api.Test
  void aSearchThatDiesOutKeepsItsStartToken() {
    try (OpenFst g = OpenFst.create(dev.joule.decoder.fst.Semiring.TROPICAL)) {
      g.addStates(2);
      g.setStart(0);
      g.addArc(0, new dev.joule.decoder.fst.Arc(1, 1, 0f, 1));
      g.setFinal(1, 0f);
      Fst graph = Fst.fromOpenFst(g);
      int frames = 60;
      ScoreMatrix scores = ScoreMatrix.of(new float[frames], frames, 1);
      DecodingSession incremental = new DecodingSession(graph, DecoderOptions.DEFAULTS, 25, new LatticePruner());
      DecodingSession reference = new DecodingSession(graph, DecoderOptions.DEFAULTS, 25, new FullLatticePruner());
      incremental.accept(scores);
      reference.accept(scores);
      assertSameLattice(reference.lattice(), incremental.lattice(), "after the last frame");
      assertEquals(1, incremental.latticeTokens(), "only the start token is left");
      DecodingResult result = incremental.finish();
      assertTrue(!result.reachedFinal());
      assertEquals(0, result.wordIds().length);
    }
  }

  private static void assertSameLattice(TokenLattice want, TokenLattice got, String where) {
    assertEquals(want.frames, got.frames, where);
    assertEquals(want.tokenCount, got.tokenCount, where + ": tokens");
    assertEquals(want.linkCount, got.linkCount, where + ": links");
    int n = want.tokenCount;
    int m = want.linkCount;
    assertArrayEquals(Arrays.copyOf(want.frameStart, want.frames + 2), Arrays.copyOf(got.frameStart, got.frames + 2), where);
    assertArrayEquals(Arrays.copyOf(want.tokenState, n), Arrays.copyOf(got.tokenState, n), where);
    assertArrayEquals(Arrays.copyOf(want.tokenCost, n), Arrays.copyOf(got.tokenCost, n), where);
    assertArrayEquals(Arrays.copyOf(want.tokenBestLink, n), Arrays.copyOf(got.tokenBestLink, n), where);
    assertArrayEquals(Arrays.copyOf(want.linkFrom, m), Arrays.copyOf(got.linkFrom, m), where);
    assertArrayEquals(Arrays.copyOf(want.linkTo, m), Arrays.copyOf(got.linkTo, m), where);
    assertArrayEquals(Arrays.copyOf(want.linkIlabel, m), Arrays.copyOf(got.linkIlabel, m), where);
    assertArrayEquals(Arrays.copyOf(want.linkOlabel, m), Arrays.copyOf(got.linkOlabel, m), where);
    assertArrayEquals(Arrays.copyOf(want.linkGraph, m), Arrays.copyOf(got.linkGraph, m), where);
    assertArrayEquals(Arrays.copyOf(want.linkAcoustic, m), Arrays.copyOf(got.linkAcoustic, m), where);
  }
}
