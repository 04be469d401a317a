package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOpCheck.randn;
import static dev.joule.engine.testing.GpuParity.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Lookups and sequence ops on the GPU against the CPU, forward and backward: embedding (ids on
 * either device, repeated ids, a bad id from the host), unfold (strides, dilations, paddings,
 * views), maskByLengths (lengths on either device, ranks 2 to 4) and the length masks.
 */
class GpuGatherOpsTest {
  private static final double TOL = 1e-5;

  private static Tensor ids(long seed, int vocab, int... dims) {
    Random r = new Random(seed);
    int n = 1;
    for (int d : dims) {
      n *= d;
    }
    int[] v = new int[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(vocab);
    }
    return Tensor.ofInts(v, dims);
  }

  @Test
  void embeddingMatchesTheCpuWithIdsOnTheGpu() {
    check("embedding [3, 7] ids", in -> Ops.embedding(in.get(0), in.get(1)), TOL, randn(1, 50, 16), ids(2, 50, 3, 7));
    // Eight ids from a vocabulary of three: the gradient rows sum many repeats (atomics).
    check("embedding repeated ids", in -> Ops.embedding(in.get(0), in.get(1)), TOL, randn(3, 3, 5), ids(4, 3, 8));
    check("embedding 1-wide", in -> Ops.embedding(in.get(0), in.get(1)), TOL, randn(5, 11, 1), ids(6, 11, 2, 2, 3));
  }

  @Test
  void embeddingTakesIdsFromTheHost() {
    Tensor hostIds = ids(10, 40, 4, 9);
    check("embedding, ids on the host", in -> Ops.embedding(in.get(0), hostIds), TOL, randn(11, 40, 33));
  }

  @Test
  void embeddingOfManyIdsCoversEveryElement() {
    GpuParity.requireGpu(); // before making the large inputs
    // 70,000 × 256 = 17,920,000 elements.
    check("large embedding", in -> Ops.embedding(in.get(0), in.get(1)), TOL, randn(12, 1000, 256), ids(13, 1000, 70_000));
  }

  @Test
  void aBadIdFromTheHostIsRefusedBeforeAnyLaunch() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor table = randn(14, 5, 3).toGpu(gpu);
    assertThrows(IndexOutOfBoundsException.class, () -> Ops.embedding(table, Tensor.ofInts(new int[] {1, 5}, 2)));
    assertThrows(IndexOutOfBoundsException.class, () -> Ops.embedding(table, Tensor.ofInts(new int[] {-1}, 1)));
  }

  @Test
  void embeddingOfAGpuTableViewMatchesTheCpu() {
    check("embedding of a table view", in -> Ops.embedding(Ops.narrow(in.get(0), 0, 2, 6), in.get(1)), TOL, randn(15, 9, 4),
        ids(16, 6, 10));
  }

  @Test
  void unfoldMatchesTheCpuForEveryWindowShape() {
    int[][] configs = {
      // kernel, stride, dilation, padLeft, padRight
      {3, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {5, 2, 2, 4, 0}, {4, 3, 1, 0, 2}, {3, 1, 3, 0, 0}, {2, 2, 1, 1, 1}, {7, 1, 1, 3, 3},
    };
    for (int[] c : configs) {
      String what = "unfold k" + c[0] + " s" + c[1] + " d" + c[2] + " pad " + c[3] + "/" + c[4];
      check(what, in -> Ops.unfold(in.get(0), c[0], c[1], c[2], c[3], c[4]), TOL, randn(20 + c[0] * 7 + c[1], 3, 11, 5));
    }
    check("stackFrames", in -> Ops.stackFrames(in.get(0), 3, 3), TOL, randn(30, 2, 10, 4));
  }

  @Test
  void unfoldReadsAViewAtItsOffset() {
    check("unfold of a batch view", in -> Ops.unfold(Ops.narrow(in.get(0), 0, 1, 2), 3, 2, 1, 1, 0), TOL, randn(31, 4, 9, 3));
  }

  @Test
  void unfoldOfALongBatchCoversEveryElement() {
    GpuParity.requireGpu(); // before making the large inputs
    // 4 × 4096 × (5·205) = 16,793,600 output elements.
    check("large unfold", in -> Ops.unfold(in.get(0), 5, 1, 1, 2, 2), TOL, randn(32, 4, 4096, 205));
  }

  @Test
  void maskByLengthsMatchesTheCpuWithLengthsOnEitherDevice() {
    Tensor lengths = Tensor.ofInts(new int[] {7, 3, 0}, 3);
    check("mask [3, 7, 5], lengths on the GPU", in -> Ops.maskByLengths(in.get(0), in.get(1)), TOL, randn(40, 3, 7, 5), lengths);
    check("mask [3, 7, 5], lengths on the host", in -> Ops.maskByLengths(in.get(0), lengths), TOL, randn(41, 3, 7, 5));
    check("mask [3, 7]", in -> Ops.maskByLengths(in.get(0), in.get(1)), TOL, randn(42, 3, 7), lengths);
    check("mask [3, 7, 2, 3]", in -> Ops.maskByLengths(in.get(0), lengths), TOL, randn(43, 3, 7, 2, 3));
    check("mask of a view", in -> Ops.maskByLengths(Ops.narrow(in.get(0), 0, 1, 3), lengths), TOL, randn(44, 5, 7, 2));
  }

  @Test
  void maskByLengthsChecksLengthsFromTheHost() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = randn(45, 2, 4, 3).toGpu(gpu);
    assertThrows(IllegalArgumentException.class, () -> Ops.maskByLengths(x, Tensor.ofInts(new int[] {5, 1}, 2)));
  }

  @Test
  void lengthMasksFromGpuLengthsMatchTheCpu() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor lengths = Tensor.ofInts(new int[] {5, 0, 3, 9}, 4);
    Tensor onGpu = lengths.toGpu(gpu);
    Tensor mask = Ops.sequenceMask(onGpu, 9, DType.FLOAT32);
    assertTrue(mask.isGpu());
    assertArrayEquals(Ops.sequenceMask(lengths, 9, DType.FLOAT32).shape().dims(), mask.shape().dims());
    assertArrayEquals(Ops.sequenceMask(lengths, 9, DType.FLOAT32).toFloatArray(), mask.toFloatArray());
    Tensor bias = Ops.attentionBias(onGpu, 9, DType.FLOAT32);
    assertArrayEquals(new int[] {4, 1, 9}, bias.shape().dims());
    assertArrayEquals(Ops.attentionBias(lengths, 9, DType.FLOAT32).toFloatArray(), bias.toFloatArray());
    assertEquals(Float.NEGATIVE_INFINITY, bias.toFloatArray()[9 + 0]);
    assertThrows(IllegalArgumentException.class, () -> Ops.sequenceMask(onGpu, 9, DType.FLOAT64));
  }

  @Test
  void lengthMasksFromHostLengthsStayOnTheHost() {
    GpuParity.requireGpu();
    assertFalse(Ops.sequenceMask(Tensor.ofInts(new int[] {2, 1}, 2), 3, DType.FLOAT32).isGpu());
  }

  @Test
  void aLargeLengthMaskCoversEveryElement() {
    GpuTensors gpu = GpuParity.requireGpu();
    int batch = 4100;
    int steps = 4099;
    int[] len = new int[batch];
    Random r = new Random(50);
    for (int i = 0; i < batch; i++) {
      len[i] = r.nextInt(steps + 1);
    }
    Tensor lengths = Tensor.ofInts(len, batch);
    assertArrayEquals(
        Ops.sequenceMask(lengths, steps, DType.FLOAT32).toFloatArray(),
        Ops.sequenceMask(lengths.toGpu(gpu), steps, DType.FLOAT32).toFloatArray());
  }
}
