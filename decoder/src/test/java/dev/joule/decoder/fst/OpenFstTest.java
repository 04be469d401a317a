package dev.joule.decoder.fst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Proves the Java → JNA → shim → OpenFST path with real OpenFST calls. */
class OpenFstTest {
  @TempDir Path dir;

  /** Linear transducer 0 -(in:out/w)-> 1 -> ... with a final cost on the last state. */
  private static OpenFst chain(Semiring semiring, int[] in, int[] out, float[] w, float finalCost) {
    OpenFst f = OpenFst.create(semiring);
    int first = f.addStates(in.length + 1);
    f.setStart(first);
    for (int i = 0; i < in.length; i++) {
      f.addArc(first + i, new Arc(in[i], out[i], w[i], first + i + 1));
    }
    f.setFinal(first + in.length, finalCost);
    return f;
  }

  @Test
  void composeThenWriteAndReadBack() throws IOException {
    // a: 1:2/0.5 3:4/1.0, final 0.25 ; b: 2:5/2.0 4:6/0.125, final 0.5
    try (OpenFst a = chain(Semiring.TROPICAL, new int[] {1, 3}, new int[] {2, 4}, new float[] {0.5f, 1f}, 0.25f);
        OpenFst b = chain(Semiring.TROPICAL, new int[] {2, 4}, new int[] {5, 6}, new float[] {2f, 0.125f}, 0.5f);
        OpenFst c = OpenFst.compose(a, b)) {
      assertEquals(3, c.numStates());
      assertEquals(2, c.numArcs());
      Path file = dir.resolve("c.fst");
      c.write(file);
      try (OpenFst back = OpenFst.read(file)) {
        assertEquals(Semiring.TROPICAL, back.semiring());
        int s = back.start();
        List<Arc> first = back.arcs(s);
        assertEquals(List.of(new Arc(1, 5, 2.5f, first.get(0).nextState())), first);
        int mid = first.get(0).nextState();
        List<Arc> second = back.arcs(mid);
        assertEquals(1, second.size());
        assertEquals(new Arc(3, 6, 1.125f, second.get(0).nextState()), second.get(0));
        assertEquals(0.75f, back.finalWeight(second.get(0).nextState()), 0f);
        assertEquals(Float.POSITIVE_INFINITY, back.finalWeight(s));
      }
    }
  }

  @Test
  void composeWithNoMatchingLabelsIsEmpty() {
    try (OpenFst a = chain(Semiring.LOG, new int[] {1}, new int[] {2}, new float[] {0f}, 0f);
        OpenFst b = chain(Semiring.LOG, new int[] {3}, new int[] {3}, new float[] {0f}, 0f);
        OpenFst c = OpenFst.compose(a, b)) {
      assertEquals(Semiring.LOG, c.semiring());
      assertEquals(0L, c.numArcs());
    }
  }

  @Test
  void writtenFileIsReadableByOpenFstTools() throws Exception {
    Path fstprint = Path.of("/usr/bin/fstprint");
    org.junit.jupiter.api.Assumptions.assumeTrue(
        Files.isExecutable(fstprint), "fstprint not installed (Debian libfst-tools)");
    Path file = dir.resolve("a.fst");
    try (OpenFst a = chain(Semiring.TROPICAL, new int[] {7}, new int[] {9}, new float[] {1.5f}, 0f)) {
      a.write(file);
    }
    Process p = new ProcessBuilder(fstprint.toString(), file.toString()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals("0\t1\t7\t9\t1.5\n1\n", text);
  }

  @Test
  void mismatchedSemiringsFailWithAJavaException() {
    try (OpenFst a = chain(Semiring.TROPICAL, new int[] {1}, new int[] {1}, new float[] {0f}, 0f);
        OpenFst b = chain(Semiring.LOG, new int[] {1}, new int[] {1}, new float[] {0f}, 0f)) {
      FstException e = assertThrows(FstException.class, () -> OpenFst.compose(a, b));
      assertTrue(e.getMessage().contains("different semirings"), e.getMessage());
    }
  }

  @Test
  void arcToMissingStateIsRejected() {
    try (OpenFst a = OpenFst.create(Semiring.TROPICAL)) {
      a.addStates(2);
      FstException e = assertThrows(FstException.class, () -> a.addArc(0, new Arc(1, 1, 0f, 5)));
      assertTrue(e.getMessage().contains("missing state"), e.getMessage());
      assertEquals(0L, a.numArcs());
    }
  }

  @Test
  void readingGarbageNamesTheFile() throws IOException {
    Path junk = dir.resolve("junk.fst");
    Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    FstException e = assertThrows(FstException.class, () -> OpenFst.read(junk));
    assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
    FstException missing = assertThrows(FstException.class, () -> OpenFst.read(dir.resolve("none.fst")));
    assertTrue(missing.getMessage().contains("none.fst"), missing.getMessage());
  }

  @Test
  void closedFstRefusesUse() {
    OpenFst a = OpenFst.create(Semiring.TROPICAL);
    a.close();
    a.close();
    assertThrows(IllegalStateException.class, a::numStates);
  }
}
