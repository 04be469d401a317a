package dev.joule.engine.ctccrf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.decoder.fst.Arc;
import dev.joule.decoder.fst.OpenFst;
import dev.joule.decoder.fst.Semiring;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Den graphs read from real OpenFST files, with the CAT label and weight conventions. */
class DenGraphTest {
  @TempDir Path dir;

  @Test
  void readsAnOpenFstDenGraphWithCatConventions() throws Exception {
    // 0 -(blank: label 1, cost 0.5)-> 0 ; 0 -(token 2: label 3, cost 1.25)-> 1 ; final(1) = 0.75
    Path file = dir.resolve("den.fst");
    try (OpenFst f = OpenFst.create(Semiring.TROPICAL)) {
      f.addStates(2);
      f.setStart(0);
      f.addArc(0, new Arc(1, 1, 0.5f, 0));
      f.addArc(0, new Arc(3, 0, 1.25f, 1));
      f.setFinal(1, 0.75f);
      f.write(file);
    }
    DenGraph g = DenGraph.read(file, 3);
    assertEquals(2, g.numStates());
    assertEquals(2, g.numArcs());
    assertEquals(-0.75, g.finalLogProb(1), 1e-7);
    assertEquals(Double.NEGATIVE_INFINITY, g.finalLogProb(0));
    // Two frames: blank then token 2 is the only path; logZ = x0[0] + x1[2] - 0.5 - 1.25 - 0.75.
    LogProbBatch x = RandomGraphs.logSoftmax(new Random(3), 3, 1.0, 2);
    double want = x.data()[0] + x.data()[3 + 2] - 0.5 - 1.25 - 0.75;
    assertEquals(want, new Denominator(g).compute(x).logLikelihood()[0], 1e-6);
  }

  @Test
  void epsilonInputArcsAreRejectedNamingTheFile() throws Exception {
    Path file = dir.resolve("eps.fst");
    try (OpenFst f = OpenFst.create(Semiring.TROPICAL)) {
      f.addStates(2);
      f.setStart(0);
      f.addArc(0, new Arc(0, 0, 0f, 1));
      f.setFinal(1, 0f);
      f.write(file);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DenGraph.read(file, 3));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("epsilon"), e.getMessage());
  }

  @Test
  void tokenOutsideTheVocabularyIsRejected() throws Exception {
    Path file = dir.resolve("big.fst");
    try (OpenFst f = OpenFst.create(Semiring.TROPICAL)) {
      f.addStates(1);
      f.setStart(0);
      f.addArc(0, new Arc(9, 0, 0f, 0));
      f.setFinal(0, 0f);
      f.write(file);
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DenGraph.read(file, 3));
    assertTrue(e.getMessage().contains("token 8"), e.getMessage());
  }

  /** All label sequences a graph can output in up to {@code frames} frames, by enumerating paths. */
  private static java.util.Set<java.util.List<Integer>> outputs(DenGraph g, int frames) {
    java.util.Set<java.util.List<Integer>> out = new java.util.HashSet<>();
    walk(g, g.start(), frames, new java.util.ArrayList<>(), out);
    return out;
  }

  private static void walk(DenGraph g, int s, int left, java.util.List<Integer> path, java.util.Set<java.util.List<Integer>> out) {
    if (g.finalLogProb(s) != Double.NEGATIVE_INFINITY) {
      java.util.List<Integer> collapsed = new java.util.ArrayList<>();
      int previous = -1;
      for (int v : path) {
        if (v != previous && v != 0) {
          collapsed.add(v);
        }
        previous = v;
      }
      out.add(collapsed);
    }
    if (left == 0) {
      return;
    }
    for (int a = g.srcStart()[s]; a < g.srcStart()[s + 1]; a++) {
      path.add(g.srcArcToken()[a]);
      walk(g, g.srcArcDst()[a], left - 1, path, out);
      path.remove(path.size() - 1);
    }
  }

  @Test
  void acceptsExactlyTheCollapsedOutputsOfPaths() {
    for (long seed = 1; seed <= 5; seed++) {
      Random r = new Random(seed);
      DenGraph g = RandomGraphs.graph(r, 5, 3, 3);
      java.util.Set<java.util.List<Integer>> reachable = outputs(g, 7);
      // Every label sequence of length <= 3 over tokens 1..2: accepted iff some path of <= 7 frames outputs it.
      for (int len = 0; len <= 3; len++) {
        for (int code = 0; code < (1 << len); code++) {
          int[] labels = new int[len];
          for (int i = 0; i < len; i++) {
            labels[i] = 1 + ((code >> i) & 1);
          }
          java.util.List<Integer> asList = java.util.Arrays.stream(labels).boxed().toList();
          if (reachable.contains(asList)) {
            assertTrue(g.accepts(labels), "seed " + seed + " labels " + asList);
          } else if (!g.accepts(labels)) {
            continue;
          } else {
            // Accepted but not seen within 7 frames: it must then need more frames.
            assertTrue(outputs(g, 11).contains(asList), "seed " + seed + " wrongly accepts " + asList);
          }
        }
      }
    }
  }
}
