package dev.joule.engine.optim;

import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.gpu.LaunchShape;
import dev.joule.engine.tensor.Tensor;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;

/**
 * Σ g² over many GPU tensors of one device in two launches ({@code joule_sum_squares_multi_f32},
 * then {@code joule_sum_f64}), in float64, read back once: a global gradient norm would otherwise
 * be a square, a reduction of several passes and an add per parameter, a few launches each for a
 * model's few hundred parameters.
 */
final class GpuSquaredNorm {
  /** Threads per block: JOULE_SUM_BLOCK in nn.cu. */
  private static final int BLOCK = 256;

  private GpuSquaredNorm() {}

  /** The sum of the squares of every element of {@code tensors} (FLOAT32, on {@code gpu}); waits for the GPU. */
  static double of(GpuTensors gpu, List<Tensor> tensors) {
    int count = tensors.size();
    int[] sizes = new int[count];
    List<DeviceBuffer> buffers = new ArrayList<>(count);
    long[] offsets = new long[count];
    for (int p = 0; p < count; p++) {
      Tensor t = tensors.get(p);
      sizes[p] = t.size();
      buffers.add(t.gpuStorage().buffer());
      offsets[p] = (long) t.offset() * Float.BYTES;
    }
    ChunkTable chunks = ChunkTable.of(sizes, 0);
    if (chunks.chunks() == 0) {
      return 0;
    }
    int[] ints = chunks.ints();
    GpuDevice device = gpu.device();
    // The tables are read back (the wait below) before they go back to the cache.
    try (DeviceBuffer table = device.allocate((long) ints.length * Integer.BYTES);
        DeviceBuffer addresses = device.allocate((long) count * Long.BYTES);
        DeviceBuffer partial = device.allocate((long) chunks.chunks() * Double.BYTES);
        DeviceBuffer total = device.allocate(Double.BYTES)) {
      table.copyFromAsync(Pointer.to(ints), 0, ints.length, gpu.stream());
      addresses.copyAddressesAsync(buffers, offsets, gpu.stream());
      LaunchShape perChunk = LaunchShape.gridStride(chunks.chunks(), BLOCK, 1);
      gpu.kernel("nn", "joule_sum_squares_multi_f32").launch(perChunk, gpu.stream(),
          chunks.appendHead(KernelArgs.of(), table).buffer(addresses).buffer(partial));
      gpu.kernel("nn", "joule_sum_f64").launch(new LaunchShape(1, 1, 1, BLOCK, 1, 1, 0), gpu.stream(),
          KernelArgs.of().i32(chunks.chunks()).buffer(partial).buffer(total));
      double[] result = new double[1];
      // Two 4-byte elements make the one float64.
      total.copyToSync(Pointer.to(result), 0, 2, gpu.stream());
      return result[0];
    } finally {
      Reference.reachabilityFence(tensors);
    }
  }
}
