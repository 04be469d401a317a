package dev.joule.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.io.ParameterFile;
import dev.joule.engine.io.ParameterFileException;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AttentionTest {
  private static final DType F64 = DType.FLOAT64;

  @Test
  void paddingKeysDoNotChangeValidFrames() {
    Random r = new Random(8);
    MultiHeadSelfAttention mhsa = new MultiHeadSelfAttention(8, 2, 0, r, F64);
    Tensor x = Tensor.randn(r, F64, 1, 2, 6, 8);
    Tensor both = mhsa.forward(x, Tensor.ofInts(new int[] {6, 3}, 2));
    Tensor alone = mhsa.forward(Ops.narrow(Ops.narrow(x, 0, 1, 1), 1, 0, 3), Tensor.ofInts(new int[] {3}, 1));
    assertArrayEquals(alone.values(), Ops.narrow(Ops.narrow(both, 0, 1, 1), 1, 0, 3).values(), 1e-12);
  }

  @Test
  void aSingleFrameAttendsOnlyToItself() {
    // With one frame the softmax weight is 1, so the output is output(value(norm(x) + PE[0])).
    Random r = new Random(9);
    MultiHeadSelfAttention mhsa = new MultiHeadSelfAttention(4, 2, 0, r, F64);
    Tensor x = Tensor.randn(r, F64, 1, 1, 1, 4);
    Map<String, Tensor> p = mhsa.parameters();
    Tensor h = Ops.add(Ops.layerNorm(x, p.get("norm.weight"), p.get("norm.bias"), 1e-5), SinusoidalPositions.table(1, 4, F64));
    // The values are the last third of the packed input projection's outputs.
    Tensor qkv = Ops.add(Ops.matmul(h, p.get("in_projection.weight")), p.get("in_projection.bias"));
    Tensor v = Ops.narrow(qkv, -1, 8, 4);
    Tensor want = Ops.add(Ops.matmul(v, p.get("output.weight")), p.get("output.bias"));
    assertArrayEquals(want.values(), mhsa.forward(x, Tensor.ofInts(new int[] {1}, 1)).values(), 1e-12);
  }

  @Test
  void sinusoidalTableByHand() {
    Tensor pe = SinusoidalPositions.table(3, 4, F64);
    assertArrayEquals(new double[] {0, 1, 0, 1}, Ops.narrow(pe, 0, 0, 1).values(), 0);
    assertArrayEquals(
        new double[] {Math.sin(2), Math.cos(2), Math.sin(2 / 100.0), Math.cos(2 / 100.0)},
        Ops.narrow(pe, 0, 2, 1).values(),
        1e-15);
  }
  /**
   * A file from before the projections were packed (separate query, key and value layers) loads
   * into the packed layer and computes the same; one whose three layers disagree in shape is
   * refused with the loader's message.
   */
  @Test
  void filesWithSeparateProjectionsLoadIntoThePackedOne() {
    Random r = new Random(10);
    MultiHeadSelfAttention saved = new MultiHeadSelfAttention(8, 2, 0, r, F64);
    Map<String, Tensor> old = new LinkedHashMap<>(saved.state());
    for (String part : new String[] {"weight", "bias"}) {
      List<Tensor> split = Ops.split(old.remove("in_projection." + part), -1, 8, 8, 8);
      old.put("query." + part, split.get(0));
      old.put("key." + part, split.get(1));
      old.put("value." + part, split.get(2));
    }
    MultiHeadSelfAttention loaded = new MultiHeadSelfAttention(8, 2, 0, new Random(11), F64);
    ParameterFile.assign("old.params", old, loaded);
    Tensor x = Tensor.randn(r, F64, 1, 2, 5, 8);
    Tensor lengths = Tensor.ofInts(new int[] {5, 3}, 2);
    assertArrayEquals(saved.forward(x, lengths).values(), loaded.forward(x, lengths).values(), 0);

    old.put("key.weight", Tensor.zeros(F64, 8, 4));
    ParameterFileException e = assertThrows(ParameterFileException.class, () -> ParameterFile.assign("bad.params", old, loaded));
    assertTrue(e.getMessage().contains("bad.params") && e.getMessage().contains("unexpected 'key.weight'"), e.getMessage());
  }
}
