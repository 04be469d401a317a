package dev.joule.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * {@link GpuParity#check} for ops that must be checkable on the GPU by themselves: the upstream
 * gradient is seeded straight into the output ({@code out.backward(w)}) instead of being
 * back-propagated through {@code Σ out·w}, so nothing but the op under test (and the copies between
 * devices) runs on the GPU. The function must use each input once, since summing two gradients of
 * one tensor on the GPU needs the GPU's element-wise add.
 */
final class GpuOpCheck {
  private GpuOpCheck() {}

  /**
   * Runs {@code f} on CPU float32 copies of {@code inputs} and on GPU copies; compares the outputs
   * and the gradients of every floating input within {@code tolerance·(1 + |cpu|)}.
   */
  static void check(String what, Function<List<Tensor>, Tensor> f, double tolerance, Tensor... inputs) {
    GpuTensors gpu = GpuParity.requireGpu();
    List<Tensor> cpuIn = new ArrayList<>();
    List<Tensor> gpuIn = new ArrayList<>();
    for (Tensor t : inputs) {
      Tensor c = Tensor.wrap(t.toDoubleArray(), t.shape(), t.dtype());
      Tensor g = Tensor.wrap(t.toDoubleArray(), t.shape(), t.dtype());
      g.moveTo(gpu);
      if (t.dtype().isFloating()) {
        c.requiresGrad(true);
        g.requiresGrad(true);
      }
      cpuIn.add(c);
      gpuIn.add(g);
    }
    Tensor cpuOut = f.apply(cpuIn);
    Tensor gpuOut = f.apply(gpuIn);
    assertTrue(gpuOut.isGpu(), what + ": the GPU run's output is on " + gpuOut.device());
    assertArrayEquals(cpuOut.shape().dims(), gpuOut.shape().dims(), what + ": output shape");
    GpuParity.assertClose(what + " forward", cpuOut.toDoubleArray(), gpuOut.toDoubleArray(), tolerance);
    if (!cpuOut.requiresGrad()) {
      return;
    }
    Tensor w = Tensor.randn(new Random(what.hashCode()), DType.FLOAT32, 1, cpuOut.shape().dims());
    cpuOut.backward(w);
    gpuOut.backward(Ops.toGpu(w, gpu));
    for (int i = 0; i < inputs.length; i++) {
      Tensor cg = cpuIn.get(i).grad();
      if (!inputs[i].dtype().isFloating() || cg == null) {
        continue;
      }
      Tensor gg = gpuIn.get(i).grad();
      assertNotNull(gg, what + ": no GPU gradient for input " + i);
      assertTrue(gg.isGpu(), what + ": gradient of GPU input " + i + " is on " + gg.device());
      GpuParity.assertClose(what + " gradient of input " + i, cg.toDoubleArray(), gg.toDoubleArray(), tolerance);
    }
  }

  /** A FLOAT32 tensor of standard normal values. */
  static Tensor randn(long seed, int... dims) {
    return Tensor.randn(new Random(seed), DType.FLOAT32, 1, dims);
  }
}
