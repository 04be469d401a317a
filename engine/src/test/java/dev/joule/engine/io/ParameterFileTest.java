package dev.joule.engine.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.nn.ConformerBlock;
import dev.joule.engine.nn.Linear;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParameterFileTest {
  @TempDir Path dir;

  @Test
  void layoutMatchesTheDocumentedFormat() throws IOException {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("w", Tensor.of(new float[] {1.5f, -2f}, 2));
    Path p = dir.resolve("x.jparams");
    ParameterFile.write(p, m);
    ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(p));
    byte[] magic = new byte[8];
    b.get(magic);
    assertEquals("JOULEPRM", new String(magic, java.nio.charset.StandardCharsets.US_ASCII));
    assertEquals(1, b.getInt());
    assertEquals(1, b.getInt());
    assertEquals(1, b.getShort());
    assertEquals('w', b.get());
    assertEquals(0, b.get()); // float32
    assertEquals(1, b.get()); // rank
    assertEquals(2, b.getInt());
    assertEquals(1.5f, b.getFloat());
    assertEquals(-2f, b.getFloat());
    assertEquals(4, b.remaining()); // the checksum
  }

  @Test
  void roundTripsEveryType() {
    Map<String, Tensor> m = new LinkedHashMap<>();
    m.put("a.f32", Tensor.randn(new Random(1), DType.FLOAT32, 1, 3, 4));
    m.put("b.f64", Tensor.randn(new Random(2), DType.FLOAT64, 1, 5));
    m.put("c.ids", Tensor.ofInts(new int[] {-7, 0, Integer.MAX_VALUE}, 3));
    m.put("scalar", Tensor.scalar(2.5, DType.FLOAT32));
    Path p = dir.resolve("all.jparams");
    ParameterFile.write(p, m);
    Map<String, Tensor> back = ParameterFile.read(p);
    assertEquals(m.keySet(), back.keySet());
    for (String k : m.keySet()) {
      assertEquals(m.get(k).shape(), back.get(k).shape());
      assertEquals(m.get(k).dtype(), back.get(k).dtype());
      assertArrayEquals(m.get(k).values(), back.get(k).values(), 0);
    }
  }

  @Test
  void moduleSaveAndLoadRestoresParametersAndBuffers() {
    ConformerBlock a = new ConformerBlock(8, 2, 3, 0, new Random(1), DType.FLOAT32);
    ConformerBlock b = new ConformerBlock(8, 2, 3, 0, new Random(2), DType.FLOAT32);
    a.state().get("conv.batch_norm.running_mean").buffer()[3] = 0.25;
    Path p = dir.resolve("block.jparams");
    ParameterFile.save(p, a);
    ParameterFile.load(p, b);
    for (String k : a.state().keySet()) {
      assertArrayEquals(a.state().get(k).values(), b.state().get(k).values(), 0, k);
    }
  }

  @Test
  void corruptFilesFailClearly() throws IOException {
    Path p = dir.resolve("c.jparams");
    ParameterFile.save(p, new Linear(3, 2, true, new Random(1), DType.FLOAT32));
    byte[] good = Files.readAllBytes(p);
    byte[] flipped = good.clone();
    flipped[40] ^= 1;
    Files.write(p, flipped);
    ParameterFileException e = assertThrows(ParameterFileException.class, () -> ParameterFile.read(p));
    assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    Files.write(p, Arrays.copyOf(good, good.length - 7));
    assertThrows(ParameterFileException.class, () -> ParameterFile.read(p));
    Files.write(p, "hello, not weights".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    e = assertThrows(ParameterFileException.class, () -> ParameterFile.read(p));
    assertTrue(e.getMessage().contains("not a Joule parameter file"), e.getMessage());
  }

  @Test
  void mismatchedModelIsRejectedWithNamesAndShapesAndLeftUntouched() {
    Path p = dir.resolve("m.jparams");
    ParameterFile.save(p, new Linear(3, 2, true, new Random(1), DType.FLOAT32));
    Linear other = new Linear(4, 2, true, new Random(5), DType.FLOAT32);
    double[] before = other.weight().toDoubleArray();
    ParameterFileException e = assertThrows(ParameterFileException.class, () -> ParameterFile.load(p, other));
    assertTrue(e.getMessage().contains("'weight': file has [3, 2], model has [4, 2]"), e.getMessage());
    assertArrayEquals(before, other.weight().values(), 0);
    Linear noBias = new Linear(3, 2, false, new Random(5), DType.FLOAT32);
    e = assertThrows(ParameterFileException.class, () -> ParameterFile.load(p, noBias));
    assertTrue(e.getMessage().contains("unexpected 'bias' [2]"), e.getMessage());
  }

  @Test
  void float64ModulesCanBeStoredAsFloat32AndLoadRoundedToFloat32() {
    Linear wide = new Linear(5, 3, true, new Random(3), DType.FLOAT64);
    Path full = dir.resolve("full.jparams");
    Path half = dir.resolve("half.jparams");
    ParameterFile.save(full, wide);
    ParameterFile.save(half, wide, DType.FLOAT32);
    Map<String, Tensor> stored = ParameterFile.read(half);
    stored.values().forEach(t -> assertEquals(DType.FLOAT32, t.dtype()));
    Linear back = new Linear(5, 3, true, new Random(9), DType.FLOAT64);
    ParameterFile.load(half, back);
    for (String name : wide.state().keySet()) {
      double[] want = wide.state().get(name).values();
      double[] got = back.state().get(name).values();
      for (int i = 0; i < want.length; i++) {
        assertEquals((float) want[i], got[i], 0, name + "[" + i + "]");
      }
    }
    assertThrows(IllegalArgumentException.class, () -> ParameterFile.save(half, wide, DType.INT32));
  }
}
