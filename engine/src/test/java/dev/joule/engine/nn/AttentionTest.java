package dev.joule.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
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
}
