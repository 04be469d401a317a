package dev.joule.engine.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuProbe;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.PtxModule;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * GPU-vs-CPU checks for tensor ops: runs a function of tensors once on CPU float32 inputs (the
 * reference) and once on GPU copies of the same inputs, and compares the outputs and the
 * gradients of {@code Σ out·w} (random {@code w}) with respect to every floating input. Without a
 * usable GPU the calling test is skipped with the reason.
 */
public final class GpuParity {
  private static GpuTensors shared;

  private GpuParity() {}

  /** The tensor context of GPU 0; skips the test when there is no usable GPU or no bundled PTX. */
  public static synchronized GpuTensors requireGpu() {
    GpuProbe.Result probe = GpuProbe.probe();
    assumeTrue(probe.available(), () -> "GPU test skipped: no usable GPU (" + probe.reason() + ")");
    assumeTrue(PtxModule.isBundled("elementwise"), "GPU test skipped: the build had no nvcc, so no PTX is bundled");
    if (shared == null) {
      shared = GpuTensors.of(GpuDevice.open(0));
    }
    return shared;
  }

  /**
   * Checks {@code f} on the GPU against the CPU: outputs within {@code tolerance·(1 + |cpu|)},
   * and so the gradients of every FLOAT32 input. INT32 inputs (ids, lengths) are passed as they are
   * to the CPU run and copied to the GPU for the GPU run.
   */
  public static void check(String what, Function<List<Tensor>, Tensor> f, double tolerance, Tensor... inputs) {
    GpuTensors gpu = requireGpu();
    Random random = new Random(what.hashCode());
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
    assertClose(what + " forward", cpuOut.toDoubleArray(), gpuOut.toDoubleArray(), tolerance);
    if (!cpuOut.requiresGrad()) {
      return;
    }
    // The gradient of Σ out·w, seeded directly so the check uses no op besides the one under test.
    Tensor w = Tensor.randn(random, DType.FLOAT32, 1, cpuOut.shape().dims());
    cpuOut.backward(w);
    gpuOut.backward(Ops.toGpu(w, gpu));
    for (int i = 0; i < inputs.length; i++) {
      if (!inputs[i].dtype().isFloating()) {
        continue;
      }
      Tensor cg = cpuIn.get(i).grad();
      Tensor gg = gpuIn.get(i).grad();
      if (cg == null) {
        continue;
      }
      assertNotNull(gg, what + ": no GPU gradient for input " + i);
      assertTrue(gg.isGpu(), what + ": gradient of GPU input " + i + " is on " + gg.device());
      assertClose(what + " gradient of input " + i, cg.toDoubleArray(), gg.toDoubleArray(), tolerance);
    }
  }

  public static void assertClose(String what, double[] want, double[] got, double tolerance) {
    assertEquals(want.length, got.length, what + ": length");
    for (int i = 0; i < want.length; i++) {
      if (Double.isNaN(want[i])) {
        // NaN in, NaN out: an op must not turn a poisoned input into a finite number.
        assertTrue(Double.isNaN(got[i]), what + " element " + i + ": expected NaN but was " + got[i]);
      } else if (Double.isInfinite(want[i])) {
        assertEquals(want[i], got[i], what + " element " + i);
      } else {
        assertEquals(want[i], got[i], tolerance * (1 + Math.abs(want[i])), what + " element " + i);
      }
    }
  }
}
