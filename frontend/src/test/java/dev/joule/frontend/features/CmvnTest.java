package dev.joule.frontend.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.frontend.FloatMatrix;
import dev.joule.frontend.data.DataFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CmvnTest {
  @TempDir Path dir;

  static FloatMatrix random(int rows, int cols, long seed) {
    Random r = new Random(seed);
    FloatMatrix m = new FloatMatrix(rows, cols);
    for (int i = 0; i < rows; i++) {
      for (int c = 0; c < cols; c++) {
        m.set(i, c, (float) (c - 3 + (c + 1) * r.nextGaussian()));
      }
    }
    return m;
  }

  @Test
  void perUtteranceGivesZeroMeanUnitVariance() {
    FloatMatrix m = Cmvn.perUtterance(random(500, 6, 1), true);
    Cmvn after = Cmvn.of(m);
    for (int c = 0; c < 6; c++) {
      assertEquals(0, after.mean()[c], 1e-5);
      assertEquals(1, after.variance()[c], 1e-4);
    }
    FloatMatrix meanOnly = Cmvn.perUtterance(random(500, 6, 1), false);
    Cmvn raw = Cmvn.of(random(500, 6, 1));
    assertEquals(raw.variance()[5], Cmvn.of(meanOnly).variance()[5], 1e-3);
  }

  @Test
  void tinyCaseByHand() {
    // Column 0: 1, 3 → mean 2, variance 1. Column 1: constant 5 → mean 5, variance 0 (not scaled).
    FloatMatrix m = new FloatMatrix(2, 2, new float[] {1, 5, 3, 5});
    Cmvn.perUtterance(m, true);
    assertArrayEquals(new float[] {-1, 0, 1, 0}, m.data());
  }

  @Test
  void globalStatsMergeAndRoundTripExactly() throws IOException {
    FloatMatrix a = random(100, 4, 2);
    FloatMatrix b = random(37, 4, 3);
    Cmvn merged = Cmvn.of(a);
    merged.merge(Cmvn.of(b));
    Cmvn direct = new Cmvn(4);
    direct.accumulate(a);
    direct.accumulate(b);
    assertEquals(137, merged.count());
    assertArrayEquals(direct.mean(), merged.mean(), 1e-12);
    Path f = dir.resolve("cmvn.txt");
    merged.save(f);
    Cmvn loaded = Cmvn.load(f);
    assertEquals(137, loaded.count());
    assertArrayEquals(merged.mean(), loaded.mean(), 0);
    assertArrayEquals(merged.variance(), loaded.variance(), 0);
    assertTrue(Files.readString(f).startsWith("joule-cmvn 1\ndim 4\ncount 137\nsum "));
  }

  @Test
  void badFilesNameFileAndLine() throws IOException {
    Path f = dir.resolve("bad.txt");
    Files.writeString(f, "joule-cmvn 1\n# comment\ndim 2\ncount 3\nsum 1 x\nsumsq 1 2\n");
    DataFormatException e = assertThrows(DataFormatException.class, () -> Cmvn.load(f));
    assertEquals(5, e.line());
    assertTrue(e.getMessage().startsWith(f + ":5: bad number 'x'"), e.getMessage());
    Files.writeString(f, "joule-cmvn 1\ndim 2\ncount 3\nsum 1 2 3\n");
    assertTrue(assertThrows(DataFormatException.class, () -> Cmvn.load(f)).getMessage()
        .contains(":4: sum has 3 values, dim is 2"));
    Files.writeString(f, "joule-cmvn 1\ndim 2\n");
    assertTrue(assertThrows(DataFormatException.class, () -> Cmvn.load(f)).getMessage().contains("truncated"));
    Files.writeString(f, "something else\n");
    assertEquals(1, assertThrows(DataFormatException.class, () -> Cmvn.load(f)).line());
    assertThrows(DataFormatException.class, () -> Cmvn.load(dir.resolve("missing")));
    assertThrows(IllegalArgumentException.class, () -> new Cmvn(3).accumulate(new FloatMatrix(1, 2)));
    assertThrows(IllegalStateException.class, () -> new Cmvn(3).mean());
  }
}
