package dev.joule.engine.optim;

import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import java.util.List;
import jcuda.Pointer;

/**
 * Device memory for the tables of an optimiser's many-parameter kernel on one device: a
 * {@link ChunkTable} and device addresses (the parameters', gradients' and state's buffers). It lives as long as its optimiser, growing when needed, and
 * each step overwrites it with copies queued on the tensor stream, so a step's copies land only
 * after the previous step's kernel has read the tables.
 */
final class MultiTensorTables {
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

  DeviceBuffer ints() {
    return ints.buffer();
  }

  DeviceBuffer addresses() {
    return addresses.buffer();
  }
}
