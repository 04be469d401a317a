package dev.joule.decoder.fst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The compact FST against the OpenFST graph it came from, its file format, and corrupt files. */
class FstTest {
  @TempDir Path dir;

  /** Reference: each state's OpenFST arcs, stably sorted by input label (List.sort is stable). */
  private static List<Arc> referenceArcs(OpenFst f, int s) {
    List<Arc> arcs = new ArrayList<>(f.arcs(s));
    arcs.sort(Comparator.comparingInt(Arc::ilabel));
    return arcs;
  }

  private static List<Arc> compactArcs(Fst f, int s) {
    List<Arc> arcs = new ArrayList<>();
    for (int a = f.arcBegin(s); a < f.arcEnd(s); a++) {
      arcs.add(new Arc(f.ilabel(a), f.olabel(a), f.weight(a), f.nextState(a)));
    }
    return arcs;
  }

  private static void assertSameGraph(OpenFst expected, Fst actual) {
    assertEquals(expected.numStates(), actual.numStates());
    assertEquals(expected.numArcs(), actual.numArcs());
    assertEquals(expected.start(), actual.start());
    assertEquals(expected.semiring(), actual.semiring());
    for (int s = 0; s < expected.numStates(); s++) {
      assertEquals(referenceArcs(expected, s), compactArcs(actual, s), "state " + s);
      assertEquals(expected.finalWeight(s), actual.finalWeight(s), 0f);
    }
  }

  @Test
  void convertsRandomGraphsAndRoundTripsThroughTheFile() throws IOException {
    for (int seed = 0; seed < 6; seed++) {
      Random rnd = new Random(seed);
      Semiring sr = seed % 2 == 0 ? Semiring.TROPICAL : Semiring.LOG;
      try (OpenFst f = RandomFsts.random(rnd, sr, 40, 4, 9, false, false, 0.2)) {
        Fst compact = Fst.fromOpenFst(f);
        assertSameGraph(f, compact);
        Path file = dir.resolve("g" + seed + ".jfst");
        compact.write(file);
        Fst loaded = Fst.load(file);
        assertSameGraph(f, loaded);
        try (OpenFst back = loaded.toOpenFst()) {
          // Same numbering and arc order both ways, so the graphs compare state by state.
          assertSameGraph(back, loaded);
          assertSameGraph(f, Fst.fromOpenFst(back));
        }
        // findArc against a linear scan, for every label that exists and some that do not.
        for (int s = 0; s < loaded.numStates(); s++) {
          for (int label = 0; label <= 10; label++) {
            int expected = -1;
            for (int a = loaded.arcBegin(s); a < loaded.arcEnd(s); a++) {
              if (loaded.ilabel(a) == label) {
                expected = a;
                break;
              }
            }
            assertEquals(expected, loaded.findArc(s, label));
          }
        }
      }
    }
  }

  @Test
  void tinyGraphByHand() {
    // State 0 has arcs in label order 5, 2, 2: the compact copy orders them 2, 2, 5 keeping the
    // two label-2 arcs in their original order.
    Fst f = Fst.of(Semiring.TROPICAL, 0, new int[] {0, 3, 3}, new int[] {5, 2, 2}, new int[] {50, 20, 21},
        new float[] {1f, 2f, 3f}, new int[] {1, 1, 0}, new float[] {Float.POSITIVE_INFINITY, 0.5f});
    assertEquals(List.of(new Arc(2, 20, 2f, 1), new Arc(2, 21, 3f, 0), new Arc(5, 50, 1f, 1)), compactArcs(f, 0));
    assertEquals(0, f.findArc(0, 2));
    assertEquals(2, f.findArc(0, 5));
    assertEquals(-1, f.findArc(0, 3));
    assertEquals(-1, f.findArc(1, 2));
    assertThrows(IllegalArgumentException.class, () -> Fst.of(Semiring.TROPICAL, 0, new int[] {0, 1}, new int[] {1},
        new int[] {1}, new float[] {0f}, new int[] {4}, new float[] {0f}));
  }

  @Test
  void emptyGraphRoundTrips() throws IOException {
    try (OpenFst empty = OpenFst.create(Semiring.LOG)) {
      Fst f = Fst.fromOpenFst(empty);
      assertEquals(-1, f.start());
      Path file = dir.resolve("empty.jfst");
      f.write(file);
      assertEquals(0, Fst.load(file).numStates());
    }
  }

  @Test
  void corruptFilesAreRejectedWithTheFileName() throws IOException {
    Fst f = Fst.of(Semiring.TROPICAL, 0, new int[] {0, 1, 1}, new int[] {3}, new int[] {4}, new float[] {1f},
        new int[] {1}, new float[] {Float.POSITIVE_INFINITY, 0f});
    Path good = dir.resolve("good.jfst");
    f.write(good);
    byte[] bytes = Files.readAllBytes(good);

    Path truncated = dir.resolve("truncated.jfst");
    Files.write(truncated, java.util.Arrays.copyOf(bytes, bytes.length - 4));
    assertRejected(truncated, "does not match");

    byte[] badMagic = bytes.clone();
    badMagic[0] = 'X';
    Path magic = dir.resolve("magic.jfst");
    Files.write(magic, badMagic);
    assertRejected(magic, "not a Joule FST");

    // The nextState array starts after the header, arcStart[3], ilabel[1] and olabel[1].
    byte[] badState = bytes.clone();
    ByteBuffer.wrap(badState).order(ByteOrder.LITTLE_ENDIAN).putInt(32 + 4 * 5, 7);
    Path state = dir.resolve("state.jfst");
    Files.write(state, badState);
    assertRejected(state, "missing state 7");

    byte[] nanWeight = bytes.clone();
    ByteBuffer.wrap(nanWeight).order(ByteOrder.LITTLE_ENDIAN).putFloat(32 + 4 * 6, Float.NaN);
    Path nan = dir.resolve("nan.jfst");
    Files.write(nan, nanWeight);
    assertRejected(nan, "weight NaN");

    assertRejected(dir.resolve("absent.jfst"), "no such file");
    assertEquals(1, Fst.load(good).numArcs());
  }

  private static void assertRejected(Path file, String problem) {
    FstFormatException e = assertThrows(FstFormatException.class, () -> Fst.load(file));
    assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains(problem), e.getMessage());
  }
}
