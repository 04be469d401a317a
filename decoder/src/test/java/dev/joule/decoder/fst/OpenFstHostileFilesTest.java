package dev.joule.decoder.fst;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The accept side of OpenFstFileCheck: files that are well formed but hostile within the format
 * (random property bits, extreme labels and weights, overlapping const arc ranges, odd symbol
 * tables, unknown versions) must be read by OpenFST and used without harm. Mutation fuzzing
 * rarely produces such files, because almost every mutation breaks a size. A file like these
 * crashed the JVM inside OpenFST (no start state, a weighted arc), which the check now refuses;
 * any other crash here ends the test JVM and fails the build.
 */
class OpenFstHostileFilesTest {
  @TempDir Path dir;

  private static final int FILES = 400;

  /** Little-endian bytes in OpenFST's layout. */
  private static final class Bytes {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Bytes i32(int v) {
      return put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    Bytes i64(long v) {
      return put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    Bytes f32(float v) {
      return put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v).array());
    }

    Bytes str(byte[] s) {
      return i32(s.length).put(s);
    }

    Bytes put(byte[] b) {
      out.write(b, 0, b.length);
      return this;
    }

    Bytes align16() {
      return put(new byte[(16 - out.size() % 16) % 16]);
    }
  }

  private record HostileArc(int ilabel, int olabel, float weight, int next) {}

  private static float weight(Random r) {
    float[] odd = {Float.POSITIVE_INFINITY, -0f, Float.MIN_VALUE, Float.MAX_VALUE, -Float.MAX_VALUE};
    return r.nextInt(4) == 0 ? odd[r.nextInt(odd.length)] : (float) (r.nextDouble() * 10 - 5);
  }

  private static int label(Random r) {
    int k = r.nextInt(10);
    return k == 0 ? Integer.MAX_VALUE : k < 4 ? 0 : r.nextInt(10);
  }

  private static void symbolTable(Bytes b, Random r) {
    b.i32(OpenFstHeader.SYMBOL_TABLE_MAGIC).str(r.nextBoolean() ? new byte[0] : "x.syms".getBytes(StandardCharsets.UTF_8));
    b.i64(r.nextBoolean() ? 0 : Long.MAX_VALUE);
    int n = r.nextInt(5);
    b.i64(n);
    byte[][] symbols = {new byte[0], {'a'}, {'a'}, "<eps>".getBytes(StandardCharsets.UTF_8), {0, (byte) 0xff}};
    long[] keys = {0, 1, 1, 7, 1L << 40, Long.MAX_VALUE};
    for (int i = 0; i < n; i++) {
      b.str(symbols[r.nextInt(symbols.length)]).i64(keys[r.nextInt(keys.length)]);
    }
  }

  /** A random well-formed file; returns its state and arc counts. */
  private static long[] write(Path file, Random r) throws IOException {
    boolean vector = r.nextBoolean();
    int states = r.nextInt(6);
    int flags = r.nextInt(4);
    long properties = r.nextInt(10) < 7 ? r.nextLong() & ~0x4L : r.nextInt(4) & ~0x4;
    long start = states == 0 ? -1 : r.nextInt(states + 1) - 1;
    List<List<HostileArc>> arcs = new ArrayList<>();
    int total = 0;
    for (int s = 0; s < states; s++) {
      List<HostileArc> out = new ArrayList<>();
      for (int a = r.nextInt(4); a > 0; a--) {
        out.add(new HostileArc(label(r), label(r), weight(r), r.nextInt(states)));
      }
      arcs.add(out);
      total += out.size();
    }
    boolean aligned = !vector && r.nextInt(3) == 0;
    int version = vector ? new int[] {2, 3, 1000}[r.nextInt(3)] : aligned && r.nextBoolean() ? 1 : 2;
    Bytes b = new Bytes();
    b.i32(OpenFstHeader.FST_MAGIC).str((vector ? "vector" : "const").getBytes(StandardCharsets.UTF_8));
    b.str((r.nextBoolean() ? "standard" : "log").getBytes(StandardCharsets.UTF_8));
    b.i32(version).i32(flags | (aligned ? OpenFstHeader.IS_ALIGNED : 0)).i64(properties).i64(start);
    b.i64(vector && r.nextInt(5) == 0 ? -1 : states).i64(vector ? r.nextInt(100) : total);
    if ((flags & OpenFstHeader.HAS_ISYMBOLS) != 0) {
      symbolTable(b, r);
    }
    if ((flags & OpenFstHeader.HAS_OSYMBOLS) != 0) {
      symbolTable(b, r);
    }
    if (vector) {
      for (List<HostileArc> out : arcs) {
        b.f32(weight(r)).i64(out.size());
        out.forEach(a -> b.i32(a.ilabel).i32(a.olabel).f32(a.weight).i32(a.next));
      }
    } else {
      if (aligned) {
        b.align16();
      }
      int pos = 0;
      for (List<HostileArc> out : arcs) {
        // Any range inside the arc array is legal, overlapping or not.
        int at = r.nextInt(3) == 0 ? r.nextInt(total - out.size() + 1) : pos;
        b.f32(weight(r)).i32(at).i32(out.size()).i32(r.nextInt(out.size() + 1)).i32(r.nextInt(out.size() + 1));
        pos += out.size();
      }
      if (aligned) {
        b.align16();
      }
      arcs.forEach(out -> out.forEach(a -> b.i32(a.ilabel).i32(a.olabel).f32(a.weight).i32(a.next)));
    }
    Files.write(file, b.out.toByteArray());
    return new long[] {states, start, total};
  }

  @Test
  void wellFormedHostileFilesAreReadAndUsedSafely() throws IOException {
    Random r = new Random(20261122);
    int read = 0;
    int refused = 0;
    for (int i = 0; i < FILES; i++) {
      Path file = dir.resolve("hostile-" + i + ".fst");
      long[] made = write(file, r);
      if (made[0] > 0 && made[1] == -1) {
        FstFormatException e = assertThrows(FstFormatException.class, () -> OpenFst.read(file));
        assertTrue(e.getMessage().contains("no start state"), e.getMessage());
        refused++;
        continue;
      }
      try (OpenFst fst = OpenFst.read(file)) {
        assertEquals(made[0], fst.numStates(), file.toString());
        assertEquals(made[2], fst.numArcs(), file.toString());
        FstInfo info = fst.info();
        assertEquals(made[0], info.numStates(), file.toString());
        Fst.fromOpenFst(fst);
        read++;
      }
    }
    assertTrue(read > FILES / 2 && refused > 0, read + " read, " + refused + " refused");
  }

  @Test
  void noStartStateWithAWeightedArcIsRefused() throws IOException {
    // The smallest form of the JVM crash this class found.
    Bytes b = new Bytes();
    b.i32(OpenFstHeader.FST_MAGIC).str("vector".getBytes(StandardCharsets.UTF_8));
    b.str("standard".getBytes(StandardCharsets.UTF_8)).i32(2).i32(0).i64(0).i64(-1).i64(2).i64(0);
    b.f32(Float.POSITIVE_INFINITY).i64(1).i32(1).i32(1).f32(0.5f).i32(1);
    b.f32(0f).i64(0);
    Path file = dir.resolve("no-start.fst");
    Files.write(file, b.out.toByteArray());
    FstFormatException e = assertThrows(FstFormatException.class, () -> OpenFst.read(file));
    assertEquals(file + ": no start state but 2 states", e.getMessage());
  }
}
