package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOpCheck.randn;
import static dev.joule.engine.testing.GpuParity.check;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Reshape, permute/transpose, narrow, split, concat and stack on the GPU against the CPU, forward
 * and backward: ranks 1 to 6, every axis, odd sizes, views with an offset as inputs, INT32
 * tensors, and sizes above 65,535·256 elements so the grid-stride loops wrap.
 */
class GpuShapeOpsTest {
  private static final double TOL = 1e-6;

  @Test
  void permuteOfEveryRankMatchesTheCpu() {
    check("transpose 2-D", in -> Ops.transpose(in.get(0), 0, 1), TOL, randn(1, 37, 53));
    check("permute 1-D", in -> Ops.permute(in.get(0), 0), TOL, randn(2, 11));
    check("permute 3-D", in -> Ops.permute(in.get(0), 2, 0, 1), TOL, randn(3, 3, 5, 7));
    check("permute 3-D other", in -> Ops.permute(in.get(0), 1, 2, 0), TOL, randn(4, 3, 5, 7));
    check("transpose last two", in -> Ops.transpose(in.get(0), -1, -2), TOL, randn(5, 4, 7, 9));
    check("permute 4-D", in -> Ops.permute(in.get(0), 3, 1, 0, 2), TOL, randn(6, 2, 3, 4, 5));
    check("permute 5-D", in -> Ops.permute(in.get(0), 4, 2, 3, 0, 1), TOL, randn(7, 2, 3, 1, 4, 5));
    check("permute 6-D reversed", in -> Ops.permute(in.get(0), 5, 4, 3, 2, 1, 0), TOL, randn(8, 2, 3, 1, 4, 2, 3));
    check("permute 6-D mixed", in -> Ops.permute(in.get(0), 1, 3, 5, 0, 2, 4), TOL, randn(9, 3, 2, 4, 1, 5, 2));
    check("identity permute", in -> Ops.permute(in.get(0), 0, 1, 2), TOL, randn(10, 3, 4, 5));
  }

  @Test
  void permuteReadsAViewAtItsOffset() {
    check("transpose of rows 2..5", in -> Ops.transpose(Ops.narrow(in.get(0), 0, 2, 3), 0, 1), TOL, randn(11, 7, 13));
    check("permute of a 3-D view", in -> Ops.permute(Ops.narrow(in.get(0), 0, 1, 2), 2, 1, 0), TOL, randn(12, 4, 5, 6));
  }

  @Test
  void permuteOfALargeTensorCoversEveryElement() {
    GpuParity.requireGpu(); // before making the large inputs
    // 2·4099·2049 = 16,797,702 elements: more than one pass of the capped 65,535×256 grid.
    check("large transpose", in -> Ops.transpose(in.get(0), 1, 2), TOL, randn(13, 2, 4099, 2049));
  }

  @Test
  void permuteAboveRankSixIsRefused() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = randn(14, 1, 2, 1, 2, 1, 2, 1).toGpu(gpu);
    assertThrows(UnsupportedOperationException.class, () -> Ops.permute(x, 6, 5, 4, 3, 2, 1, 0));
  }

  @Test
  void narrowAlongEveryAxisMatchesTheCpu() {
    Tensor x = randn(20, 4, 5, 6);
    check("narrow dim 0", in -> Ops.narrow(in.get(0), 0, 1, 2), TOL, x);
    check("narrow dim 1", in -> Ops.narrow(in.get(0), 1, 2, 3), TOL, x);
    check("narrow dim 2", in -> Ops.narrow(in.get(0), 2, 1, 4), TOL, x);
    check("narrow dim -1 to the end", in -> Ops.narrow(in.get(0), -1, 3, 3), TOL, x);
    check("narrow whole dim 1", in -> Ops.narrow(in.get(0), 1, 0, 5), TOL, x);
    check("narrow of a narrow", in -> Ops.narrow(Ops.narrow(in.get(0), 0, 1, 3), 2, 2, 3), TOL, x);
    check("narrow 1-D", in -> Ops.narrow(in.get(0), 0, 3, 8), TOL, randn(21, 17));
  }

  @Test
  void narrowAlongDimensionZeroIsAViewOfTheSameStorage() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = randn(22, 6, 3).toGpu(gpu);
    Tensor y = Ops.narrow(x, 0, 2, 3);
    assertSame(x.gpuStorage(), y.gpuStorage());
    assertArrayEquals(Ops.narrow(randn(22, 6, 3), 0, 2, 3).toFloatArray(), y.toFloatArray());
  }

  @Test
  void narrowOfALargeTensorCoversEveryElement() {
    GpuParity.requireGpu(); // before making the large inputs
    // 4099·4095 = 16,785,405 output elements through the strided copy kernel.
    check("large narrow", in -> Ops.narrow(in.get(0), 1, 3, 4095), TOL, randn(23, 4099, 4100));
  }

  @Test
  void splitPiecesMatchTheCpu() {
    Tensor x = randn(30, 3, 10, 4);
    check("split piece 0", in -> Ops.split(in.get(0), 1, 2, 5, 3).get(0), TOL, x);
    check("split piece 1", in -> Ops.split(in.get(0), 1, 2, 5, 3).get(1), TOL, x);
    check("split piece 2 of dim -1", in -> Ops.split(in.get(0), -1, 1, 3).get(1), TOL, x);
    check("split dim 0", in -> Ops.split(in.get(0), 0, 1, 2).get(1), TOL, x);
  }

  @Test
  void concatAlongEveryAxisMatchesTheCpu() {
    check("concat dim 0", in -> Ops.concat(in, 0), TOL, randn(40, 2, 3, 4), randn(41, 5, 3, 4), randn(42, 1, 3, 4));
    check("concat dim 1", in -> Ops.concat(in, 1), TOL, randn(43, 2, 3, 4), randn(44, 2, 1, 4), randn(45, 2, 6, 4));
    check("concat dim -1", in -> Ops.concat(in, -1), TOL, randn(46, 2, 3, 4), randn(47, 2, 3, 7), randn(48, 2, 3, 1));
    check("concat of one", in -> Ops.concat(in, 1), TOL, randn(49, 3, 5));
    check("concat 1-D", in -> Ops.concat(in, 0), TOL, randn(53, 7), randn(54, 9));
  }

  /** Kept apart: empty tensors also exercise the copies between devices with zero elements. */
  @Test
  void emptyPiecesWork() {
    check("narrow to nothing", in -> Ops.narrow(in.get(0), 1, 2, 0), TOL, randn(24, 4, 5, 6));
    check("concat with an empty part", in -> Ops.concat(in, 1), TOL, randn(50, 3, 2), randn(51, 3, 0), randn(52, 3, 4));
  }

  @Test
  void concatReadsViewsAtTheirOffsets() {
    check(
        "concat of views",
        in -> Ops.concat(List.of(Ops.narrow(in.get(0), 0, 2, 3), Ops.narrow(in.get(1), 0, 1, 3)), 1),
        TOL,
        randn(60, 6, 4),
        randn(61, 5, 7));
    check(
        "concat of views dim 0",
        in -> Ops.concat(List.of(Ops.narrow(in.get(0), 0, 2, 3), Ops.narrow(in.get(1), 0, 1, 2)), 0),
        TOL,
        randn(62, 6, 4),
        randn(63, 5, 4));
  }

  @Test
  void concatOfALargeTensorCoversEveryElement() {
    GpuParity.requireGpu(); // before making the large inputs
    check("large concat", in -> Ops.concat(in, 1), TOL, randn(64, 4099, 2050), randn(65, 4099, 2047));
  }

  @Test
  void concatMovesCpuPartsOnTheTape() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor onGpu = randn(70, 3, 4).toGpu(gpu);
    Tensor onCpu = randn(71, 3, 2).requiresGrad(true);
    Tensor y = Ops.concat(List.of(onGpu, onCpu), 1);
    assertTrue(y.isGpu());
    Tensor want = Ops.concat(List.of(randn(70, 3, 4), randn(71, 3, 2)), 1);
    assertArrayEquals(want.toFloatArray(), y.toFloatArray());
    Tensor w = randn(72, 3, 6);
    y.backward(Ops.toGpu(w, gpu));
    assertFalse(onCpu.grad().isGpu());
    assertArrayEquals(Ops.narrow(w, 1, 4, 2).toFloatArray(), onCpu.grad().toFloatArray());
  }

  @Test
  void stackAlongEveryAxisMatchesTheCpu() {
    Tensor a = randn(80, 4, 5);
    Tensor b = randn(81, 4, 5);
    Tensor c = randn(82, 4, 5);
    check("stack dim 0", in -> Ops.stack(in, 0), TOL, a, b, c);
    check("stack dim 1", in -> Ops.stack(in, 1), TOL, a, b, c);
    check("stack dim -1", in -> Ops.stack(in, -1), TOL, a, b, c);
  }

  @Test
  void reshapeIsAViewAndItsGradientHasTheInputShape() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = randn(90, 4, 6).toGpu(gpu);
    Tensor y = Ops.reshape(x, 2, -1, 3);
    assertSame(x.gpuStorage(), y.gpuStorage());
    check("reshape", in -> Ops.reshape(in.get(0), 3, 8), TOL, randn(91, 4, 6));
    check("reshape of a view", in -> Ops.reshape(Ops.narrow(in.get(0), 0, 1, 2), 12), TOL, randn(92, 4, 6));
    check("reshape then transpose", in -> Ops.transpose(Ops.reshape(in.get(0), 6, 4), 0, 1), TOL, randn(93, 4, 6));
  }

  @Test
  void int32TensorsAreCopiedBitForBit() {
    GpuTensors gpu = GpuParity.requireGpu();
    int[] ids = new int[24];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = i % 3 == 0 ? -i : i % 3 == 1 ? (1 << 30) + i : Integer.MIN_VALUE + i;
    }
    Tensor cpu = Tensor.ofInts(ids, 2, 3, 4);
    Tensor onGpu = cpu.toGpu(gpu);
    assertArrayEquals(Ops.permute(cpu, 2, 0, 1).toIntArray(), Ops.permute(onGpu, 2, 0, 1).toIntArray());
    assertArrayEquals(Ops.narrow(cpu, 2, 1, 2).toIntArray(), Ops.narrow(onGpu, 2, 1, 2).toIntArray());
    Tensor joined = Ops.concat(List.of(onGpu, onGpu), 1);
    assertTrue(joined.isGpu());
    assertTrue(joined.dtype() == DType.INT32);
    assertArrayEquals(Ops.concat(List.of(cpu, cpu), 1).toIntArray(), joined.toIntArray());
  }

  @Test
  void concatOfMixedGpuTypesIsRefused() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor ints = Tensor.ofInts(new int[] {1, 2}, 2).toGpu(gpu);
    Tensor floats = randn(95, 3).toGpu(gpu);
    assertThrows(IllegalArgumentException.class, () -> Ops.concat(List.of(ints, floats), 0));
  }
}
