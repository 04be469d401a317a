package dev.joule.decoder.fst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Small cases checked by hand, and OpenFST failures that must come back as Java exceptions while
 * the JVM goes on (each test runs after the previous one's failure in the same JVM).
 */
class OpenFstErrorsTest {
  @TempDir Path dir;

  private static OpenFst fst(Semiring sr, int states, int[][] arcs, float[] finals) {
    OpenFst f = OpenFst.create(sr);
    f.addStates(states);
    f.setStart(0);
    for (int[] a : arcs) {
      f.addArc(a[0], new Arc(a[1], a[2], a[3], a[4]));
    }
    for (int s = 0; s < finals.length; s++) {
      if (finals[s] != Float.POSITIVE_INFINITY) {
        f.setFinal(s, finals[s]);
      }
    }
    return f;
  }

  private static final float INF = Float.POSITIVE_INFINITY;

  @Test
  void shortestPathOfATinyGraph() {
    // 0 -1/1-> 1 -2/1-> 3 (final 0): cost 2;  0 -3/0-> 2 -4/3-> 3: cost 3;  0 -5/5-> 3: cost 5.
    try (OpenFst f = fst(Semiring.TROPICAL, 4,
            new int[][] {{0, 1, 1, 1, 1}, {1, 2, 2, 1, 3}, {0, 3, 3, 0, 2}, {2, 4, 4, 3, 3}, {0, 5, 5, 5, 3}},
            new float[] {INF, INF, INF, 0});
        OpenFst best = f.shortestPath();
        OpenFst three = f.shortestPath(3, false)) {
      assertEquals(List.of(1, 2), labels(best));
      assertEquals(2f, pathCost(best), 0f);
      assertEquals(3, three.arcs(three.start()).size());
    }
  }

  @Test
  void infoOfAnFstWithoutAStartStateAndAWeightedArc() {
    // OpenFST 1.7.9 segfaulted computing the cycle properties of this FST (the JVM died).
    try (OpenFst f = OpenFst.create(Semiring.TROPICAL)) {
      f.addStates(2);
      f.addArc(0, new Arc(1, 1, 0.5f, 1));
      f.setFinal(1, 0f);
      FstInfo info = f.info();
      assertEquals(-1, info.start());
      assertEquals(0L, info.accessible());
      assertTrue(info.has(FstProperty.WEIGHTED) && info.has(FstProperty.ACCEPTOR), info.describe());
      assertTrue(!info.has(FstProperty.CYCLIC) && !info.has(FstProperty.WEIGHTED_CYCLES), info.describe());
    }
  }

  @Test
  void determinizeMergesAlternativesByHand() {
    // Two paths a:b/1 and a:b/3 from the start to one final state: the determinized
    // tropical FST has one a arc of cost 1; in the log semiring the cost is -log(e^-1 + e^-3).
    int[][] arcs = {{0, 1, 1, 1, 1}, {0, 1, 1, 3, 1}};
    try (OpenFst t = fst(Semiring.TROPICAL, 2, arcs, new float[] {INF, 0});
        OpenFst l = fst(Semiring.LOG, 2, arcs, new float[] {INF, 0});
        OpenFst dt = t.determinize();
        OpenFst dl = l.determinize()) {
      assertEquals(1, dt.arcs(dt.start()).size());
      assertEquals(1f, dt.arcs(dt.start()).get(0).weight(), 1e-6f);
      double expected = -Math.log(Math.exp(-1) + Math.exp(-3));
      assertEquals(expected, dl.arcs(dl.start()).get(0).weight(), 1e-5);
    }
  }

  @Test
  void nonFunctionalDeterminizeIsAJavaException() {
    // 1:1 and 1:2 on the same input: not a function, so OpenFST cannot determinize it.
    try (OpenFst f = fst(Semiring.TROPICAL, 2, new int[][] {{0, 1, 1, 0, 1}, {0, 1, 2, 0, 1}}, new float[] {INF, 0})) {
      FstException e = assertThrows(FstException.class, f::determinize);
      assertTrue(e.getMessage().startsWith("determinize"), e.getMessage());
    }
  }

  @Test
  void nonDeterminizableInputStopsAtTheStateLimit() {
    // The classic non-determinizable acceptor: two a-loops with different costs that never
    // re-merge until the final label, so the subsets' residual weights grow without bound.
    try (OpenFst f = fst(Semiring.TROPICAL, 4,
        new int[][] {{0, 1, 1, 0, 1}, {0, 1, 1, 0, 2}, {1, 1, 1, 1, 1}, {2, 1, 1, 2, 2}, {1, 2, 2, 0, 3}, {2, 3, 3, 0, 3}},
        new float[] {INF, INF, INF, 0})) {
      FstException e = assertThrows(FstException.class, () -> f.determinize(OpenFst.DEFAULT_DELTA, 1000));
      assertTrue(e.getMessage().contains("exceeded 1000 states"), e.getMessage());
    }
  }

  @Test
  void unsortedPresortedComposeIsAJavaException() {
    try (OpenFst a = fst(Semiring.TROPICAL, 2, new int[][] {{0, 1, 3, 0, 1}, {0, 2, 1, 0, 1}}, new float[] {INF, 0});
        OpenFst b = fst(Semiring.TROPICAL, 2, new int[][] {{0, 3, 1, 0, 1}, {0, 1, 1, 0, 1}}, new float[] {INF, 0})) {
      FstException e = assertThrows(FstException.class, () -> OpenFst.composePresorted(a, b));
      assertTrue(e.getMessage().contains("compose"), e.getMessage());
      // compose() sorts a copy and succeeds on the same operands.
      try (OpenFst c = OpenFst.compose(a, b)) {
        assertEquals(2L, c.numArcs());
      }
    }
  }

  @Test
  void minimizeOfNonDeterministicInputIsRefused() {
    try (OpenFst f = fst(Semiring.LOG, 3, new int[][] {{0, 1, 1, 0, 1}, {0, 1, 1, 0, 2}}, new float[] {INF, 0, 0})) {
      FstException e = assertThrows(FstException.class, () -> f.minimize(OpenFst.DEFAULT_DELTA));
      assertTrue(e.getMessage().contains("not input-deterministic"), e.getMessage());
    }
  }

  @Test
  void shortestPathInTheLogSemiringIsRefused() {
    try (OpenFst f = fst(Semiring.LOG, 2, new int[][] {{0, 1, 1, 0, 1}}, new float[] {INF, 0})) {
      FstException e = assertThrows(FstException.class, f::shortestPath);
      assertTrue(e.getMessage().contains("tropical"), e.getMessage());
    }
  }

  @Test
  void truncatedOpenFstFileNamesTheFile() throws IOException {
    Path good = dir.resolve("good.fst");
    try (OpenFst f = fst(Semiring.TROPICAL, 3, new int[][] {{0, 1, 1, 0, 1}, {1, 2, 2, 0, 2}}, new float[] {INF, INF, 0})) {
      f.write(good);
    }
    byte[] bytes = Files.readAllBytes(good);
    Path cut = dir.resolve("cut.fst");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 10));
    FstException e = assertThrows(FstException.class, () -> OpenFst.read(cut));
    assertTrue(e.getMessage().contains(cut.toString()), e.getMessage());
    try (OpenFst f = OpenFst.read(good)) {
      assertEquals(3, f.numStates());
    }
  }

  @Test
  void relabelProjectAndClosureByHand() {
    try (OpenFst f = fst(Semiring.TROPICAL, 2, new int[][] {{0, 1, 2, 1, 1}}, new float[] {INF, 0})) {
      f.relabel(Map.of(1, 7), Map.of(2, 8));
      assertEquals(List.of(new Arc(7, 8, 1f, 1)), f.arcs(0));
      f.project(LabelSide.INPUT);
      assertEquals(List.of(new Arc(7, 7, 1f, 1)), f.arcs(0));
      f.closure(true);
      assertTrue(f.info().has(FstProperty.CYCLIC));
      FstException e = assertThrows(FstException.class, () -> f.relabel(Map.of(-1, 3), Map.of()));
      assertTrue(e.getMessage().contains("negative"), e.getMessage());
    }
  }

  /** Input labels along the single path of a shortest-path result. */
  static List<Integer> labels(OpenFst path) {
    List<Integer> out = new java.util.ArrayList<>();
    int s = path.start();
    while (!path.arcs(s).isEmpty()) {
      Arc a = path.arcs(s).get(0);
      if (a.ilabel() != 0) {
        out.add(a.ilabel());
      }
      s = a.nextState();
    }
    return out;
  }

  static float pathCost(OpenFst path) {
    float cost = 0;
    int s = path.start();
    while (!path.arcs(s).isEmpty()) {
      Arc a = path.arcs(s).get(0);
      cost += a.weight();
      s = a.nextState();
    }
    return cost + path.finalWeight(s);
  }
}
