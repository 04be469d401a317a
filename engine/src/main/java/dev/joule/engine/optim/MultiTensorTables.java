package dev.joule.engine.optim;

import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import java.util.List;
import jcuda.Pointer;

/**
 * Device memory for the tables of an optimiser's many-parameter kernel on one device: int32
 * values (chunk map, sizes, per-parameter constants) and device addresses (the parameters',
 * gradients' and state's buffers). It lives as long as its optimiser, growing when needed, and
 * each step overwrites it with copies queued on the tensor stream, so a step's copies land only
 * after the previous step's kernel has read the tables.
 */
final class MultiTensorTables {
  /** Elements of one tensor that one block of a many-tensor kernel takes at a time. */
  static final int CHUNK = 16_384;

  private final GpuTensors gpu;
  private GpuStorage ints;
  private GpuStorage addresses;

  MultiTensorTables(GpuTensors gpu) {
    this.gpu = gpu;
  }

  /** Queues {@code values} and the addresses of {@code buffers} into the tables. */
  void write(int[] values, List<DeviceBuffer> buffers) {
    if (ints == null || ints.length() < values.length) {
      ints = gpu.allocate(GpuStorage.Kind.INT32, values.length).pin();
    }
    // Two 4-byte elements per 8-byte address.
    if (addresses == null || addresses.length() < 2L * buffers.size()) {
      addresses = gpu.allocate(GpuStorage.Kind.INT32, 2L * buffers.size()).pin();
    }
    ints.buffer().copyFromAsync(Pointer.to(values), 0, values.length, gpu.stream());
    addresses.buffer().copyAddressesAsync(buffers, null, gpu.stream());
  }

  /**
   * How the many-parameter kernels cut tensors of {@code sizes} into blocks' work: chunk c covers
   * elements [start, start + CHUNK) (clipped to the size) of one tensor. Returns
   * {@code [tensor of chunk 0.., first element of chunk 0..]}, so the chunk count is half its length.
   */
  static int[] chunkMap(int[] sizes) {
    long chunks = 0;
    for (int n : sizes) {
      chunks += (n + (long) CHUNK - 1) / CHUNK;
    }
    int[] map = new int[Math.toIntExact(2 * chunks)];
    int c = 0;
    for (int p = 0; p < sizes.length; p++) {
      for (long s = 0; s < sizes[p]; s += CHUNK, c++) {
        map[c] = p;
        map[(int) chunks + c] = (int) s;
      }
    }
    return map;
  }

  DeviceBuffer ints() {
    return ints.buffer();
  }

  DeviceBuffer addresses() {
    return addresses.buffer();
  }
}
