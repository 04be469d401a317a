package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOpCheck.randn;
import static dev.joule.engine.testing.GpuParity.check;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import org.junit.jupiter.api.Test;

/**
 * {@code Ops.lstm} on the GPU against the CPU recurrence, forward and back-propagation through
 * time: both directions, sequences shorter than the batch's longest and of length 0, lengths on
 * either device, an input projection that is a view, and a larger layer.
 */
class GpuLstmOpsTest {
  private static final double TOL = 2e-4;

  @Test
  void bothDirectionsMatchTheCpuWithLengthsOnTheGpu() {
    Tensor lengths = Tensor.ofInts(new int[] {7, 4, 0}, 3);
    for (boolean reverse : new boolean[] {false, true}) {
      check("lstm reverse=" + reverse, in -> Ops.lstm(in.get(0), in.get(1), in.get(2), reverse), TOL, randn(1, 3, 7, 20),
          randn(2, 5, 20), lengths);
    }
  }

  @Test
  void lengthsFromTheHostMatchTheCpu() {
    Tensor lengths = Tensor.ofInts(new int[] {2, 6, 5, 6}, 4);
    for (boolean reverse : new boolean[] {false, true}) {
      check("lstm, host lengths, reverse=" + reverse, in -> Ops.lstm(in.get(0), in.get(1), lengths, reverse), TOL,
          randn(3, 4, 6, 12), randn(4, 3, 12));
    }
  }

  @Test
  void anInputProjectionViewIsReadAtItsOffset() {
    Tensor lengths = Tensor.ofInts(new int[] {3, 5}, 2);
    check("lstm of a batch view", in -> Ops.lstm(Ops.narrow(in.get(0), 0, 1, 2), in.get(1), lengths, true), TOL,
        randn(5, 4, 5, 8), randn(6, 2, 8));
  }

  @Test
  void aLargerLayerMatchesTheCpu() {
    Tensor lengths = Tensor.ofInts(new int[] {20, 17, 9, 20, 1}, 5);
    check("lstm H=64", in -> Ops.lstm(in.get(0), in.get(1), lengths, false), 1e-3,
        randn(7, 5, 20, 256), Tensor.randn(new java.util.Random(8), dev.joule.engine.tensor.DType.FLOAT32, 0.1, 64, 256));
  }

  @Test
  void lengthsOutsideTheSequenceAreRefusedOnTheHost() {
    GpuTensors gpu = GpuParity.requireGpu();
    Tensor x = randn(9, 2, 3, 8).toGpu(gpu);
    Tensor w = randn(10, 2, 8).toGpu(gpu);
    assertThrows(IllegalArgumentException.class, () -> Ops.lstm(x, w, Tensor.ofInts(new int[] {4, 1}, 2), false));
  }
}
