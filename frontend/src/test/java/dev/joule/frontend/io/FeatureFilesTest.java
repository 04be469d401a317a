package dev.joule.frontend.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.data.DataFormatException;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureFilesTest {
  @TempDir Path dir;

  static FloatMatrix m(int rows, int cols, float start) {
    FloatMatrix x = new FloatMatrix(rows, cols);
    for (int i = 0; i < x.data().length; i++) {
      x.data()[i] = start + i * 0.5f;
    }
    return x;
  }

  @Test
  void binaryRoundTripWithStreamedRows() throws IOException {
    Path f = dir.resolve("feats.jfea");
    try (FeatureFileWriter w = new FeatureFileWriter(f, 3, "opts ü")) {
      w.begin("utt-1");
      w.rows(m(2, 3, 0));
      w.rows(m(0, 3, 0));
      w.rows(m(5000, 3, 7)); // larger than the write buffer
      w.end();
      w.write("ü2", new FloatMatrix(0, 3));
    }
    try (FeatureFileReader r = new FeatureFileReader(f)) {
      assertEquals(3, r.dim());
      assertEquals("opts ü", r.description());
      FeatureEntry a = r.next();
      assertEquals("utt-1", a.id());
      assertEquals(5002, a.features().rows());
      assertEquals(0.5f, a.features().get(0, 1));
      assertEquals(7f, a.features().get(2, 0));
      FeatureEntry b = r.next();
      assertEquals("ü2", b.id());
      assertEquals(0, b.features().rows());
      assertNull(r.next());
    }
    // Header layout by hand: magic, version 1, dim 3, description length.
    ByteBuffer h = ByteBuffer.wrap(Files.readAllBytes(f)).order(ByteOrder.LITTLE_ENDIAN);
    assertEquals("JOULEFEA", new String(Arrays.copyOf(h.array(), 8), "US-ASCII"));
    assertEquals(1, h.getInt(8));
    assertEquals(3, h.getInt(12));
    assertEquals("opts ü".getBytes("UTF-8").length, h.getInt(16));
  }

  @Test
  void damagedFilesAreRejected() throws IOException {
    Path f = dir.resolve("feats.jfea");
    try (FeatureFileWriter w = new FeatureFileWriter(f, 2, "")) {
      w.write("u", m(10, 2, 0));
    }
    byte[] good = Files.readAllBytes(f);
    Path t = dir.resolve("trunc.jfea");
    Files.write(t, Arrays.copyOf(good, good.length - 3));
    try (FeatureFileReader r = new FeatureFileReader(t)) {
      assertTrue(assertThrows(DataFormatException.class, r::next).getMessage().contains("claims 10 rows"));
    }
    Path u = dir.resolve("unfinished.jfea");
    try (FeatureFileWriter w = new FeatureFileWriter(u, 2, "")) {
      w.begin("u");
      w.rows(m(1, 2, 0));
    }
    try (FeatureFileReader r = new FeatureFileReader(u)) {
      assertTrue(assertThrows(DataFormatException.class, r::next).getMessage().contains("never finished"));
    }
    Path g = dir.resolve("garbage");
    Files.writeString(g, "hello world, not features");
    assertThrows(DataFormatException.class, () -> new FeatureFileReader(g));
    Files.write(g, Arrays.copyOf(good, 5));
    assertThrows(DataFormatException.class, () -> new FeatureFileReader(g));
  }

  @Test
  void kaldiTextRoundTripAndErrors() throws IOException {
    Path f = dir.resolve("feats.txt");
    FloatMatrix a = m(7, 4, -3.1f);
    try (KaldiTextWriter w = new KaldiTextWriter(Files.newBufferedWriter(f))) {
      w.write("a", a);
      w.write("empty", new FloatMatrix(0, 4));
      w.write("one", m(1, 4, 1e-7f));
    }
    try (KaldiTextReader r = new KaldiTextReader(f)) {
      assertEquals(new FeatureEntry("a", a), r.next());
      FeatureEntry e = r.next();
      assertEquals("empty", e.id());
      assertEquals(0, e.features().rows());
      assertEquals(new FeatureEntry("one", m(1, 4, 1e-7f)), r.next());
      assertNull(r.next());
    }
    Path g = dir.resolve("bad.txt");
    Files.writeString(g, "u  [\n  1 2 3\n  4 5 ]\n");
    try (KaldiTextReader r = new KaldiTextReader(g)) {
      DataFormatException e = assertThrows(DataFormatException.class, r::next);
      assertEquals(3, e.line());
      assertTrue(e.getMessage().contains("row of 2 values in a matrix of 3 columns"), e.getMessage());
    }
    Files.writeString(g, "u  [\n  1 2 3\n");
    try (KaldiTextReader r = new KaldiTextReader(g)) {
      assertTrue(assertThrows(DataFormatException.class, r::next).getMessage().contains("no closing"));
    }
    Files.writeString(g, "u 1 2 3\n");
    try (KaldiTextReader r = new KaldiTextReader(g)) {
      assertEquals(1, assertThrows(DataFormatException.class, r::next).line());
    }
  }

  @Test
  void kaldiTextLayout() throws IOException {
    StringWriter s = new StringWriter();
    try (KaldiTextWriter w = new KaldiTextWriter(s)) {
      w.begin("utt1");
      w.rows(new FloatMatrix(1, 3, new float[] {1.5f, -2.25f, 3}));
      w.rows(new FloatMatrix(1, 3, new float[] {4, 5, 1e-5f}));
      w.end();
      w.write("utt2", new FloatMatrix(0, 3));
    }
    assertEquals("utt1  [\n  1.5 -2.25 3.0\n  4.0 5.0 1.0E-5 ]\nutt2  [ ]\n", s.toString());
  }
}
