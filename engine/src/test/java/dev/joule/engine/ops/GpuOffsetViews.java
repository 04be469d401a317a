package dev.joule.engine.ops;

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
 * GPU op checks on views: {@link GpuParity#check} copies its inputs to fresh GPU tensors, so this
 * runs {@code f} on GPU tensors that start partway into a larger storage (as row views and
 * narrowed tensors do), and back-propagates a seed that is such a view too; forward values and
 * the inputs' gradients must match the CPU's.
 */
final class GpuOffsetViews {
  private GpuOffsetViews() {}

  static void check(String what, Function<List<Tensor>, Tensor> f, double tolerance, Tensor... inputs) {
    GpuTensors gpu = GpuParity.requireGpu();
    Random random = new Random(what.hashCode());
    List<Tensor> cpuIn = new ArrayList<>();
    List<Tensor> gpuIn = new ArrayList<>();
    for (int i = 0; i < inputs.length; i++) {
      cpuIn.add(Tensor.wrap(inputs[i].toDoubleArray(), inputs[i].shape(), DType.FLOAT32).requiresGrad(true));
      gpuIn.add(embedded(gpu, inputs[i], 3 + 2 * i, random).requiresGrad(true));
    }
    Tensor cpuOut = f.apply(cpuIn);
    Tensor gpuOut = f.apply(gpuIn);
    assertTrue(gpuOut.isGpu(), what + ": output on " + gpuOut.device());
    GpuParity.assertClose(what + " forward", cpuOut.toDoubleArray(), gpuOut.toDoubleArray(), tolerance);
    Tensor seed = Tensor.randn(random, DType.FLOAT32, 1, cpuOut.shape().dims());
    cpuOut.backward(seed);
    gpuOut.backward(embedded(gpu, seed, 5, random));
    for (int i = 0; i < inputs.length; i++) {
      Tensor g = gpuIn.get(i).grad();
      assertNotNull(g, what + ": no gradient for input " + i);
      assertTrue(g.isGpu(), what + ": gradient of input " + i + " on " + g.device());
      GpuParity.assertClose(what + " gradient of input " + i, cpuIn.get(i).grad().toDoubleArray(), g.toDoubleArray(),
          tolerance);
    }
  }

  /** {@code x} on the GPU at element {@code offset} of a larger storage filled around it with noise. */
  static Tensor embedded(GpuTensors gpu, Tensor x, int offset, Random random) {
    float[] host = new float[offset + x.size() + 7];
    for (int i = 0; i < host.length; i++) {
      host[i] = (float) (1e3 * random.nextGaussian());
    }
    System.arraycopy(x.toFloatArray(), 0, host, offset, x.size());
    return Tensor.onGpu(gpu.upload(host), offset, x.shape(), DType.FLOAT32);
  }
}
