package dev.joule.engine.ops;

import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;

/**
 * Operands and results of the GPU op implementations: fresh output tensors, and inputs in the
 * form the {@link dev.joule.engine.gpu.GpuOps} launchers take. Those launchers address whole
 * buffers from their first element, while a view (a narrow along dimension 0, a gradient sliced
 * out of a concat's) starts at an offset; {@link #packed} copies such a view to a buffer of its
 * own, one device-to-device copy on the tensor stream. Kernels of this package that take element
 * pointers read views in place instead ({@link #at}).
 */
final class GpuOperands {
  private GpuOperands() {}

  /** A new GPU tensor of {@code shape} with uninitialised elements. */
  static Tensor allocate(GpuTensors gpu, Shape shape, DType dtype) {
    return Tensor.onGpu(gpu.allocate(GpuStorage.Kind.of(dtype), shape.size()), 0, shape, dtype);
  }

  /** A new zero-filled GPU tensor of {@code shape}. */
  static Tensor zeros(GpuTensors gpu, Shape shape, DType dtype) {
    return Tensor.onGpu(gpu.zeros(GpuStorage.Kind.of(dtype), shape.size()), 0, shape, dtype);
  }

  /**
   * {@code t} itself when its elements start at the beginning of its storage, else a copy that
   * does (not on the tape: for reading values inside an op).
   */
  static Tensor packed(Tensor t) {
    if (t.offset() == 0) {
      return t;
    }
    Tensor copy = allocate(t.gpuContext(), t.shape(), t.dtype());
    copy.gpuStorage().buffer().copyFromDeviceAsync(t.gpuStorage().buffer(), t.offset(), 0, t.size(), t.gpuContext().stream());
    return copy;
  }

  /**
   * The buffer of {@link #packed}{@code (t)}: what a {@code GpuOps} launcher reads. Only for
   * passing straight to a launcher: a copy made here is reachable from nothing, and its buffer is
   * given back at the next allocation (safe for work already queued, not for a later launch).
   */
  static DeviceBuffer packedBuffer(Tensor t) {
    return packed(t).gpuStorage().buffer();
  }

  /** {@code t}'s storage buffer; pair it with {@link #at} (kernels) or its element offset (copies). */
  static DeviceBuffer buffer(Tensor t) {
    return t.gpuStorage().buffer();
  }

  /** The byte offset of {@code t}'s first element in its buffer, for {@code KernelArgs.bufferAt}. */
  static long at(Tensor t) {
    return 4L * t.offset();
  }

  /**
   * A gradient flowing into a GPU op, on that op's GPU: gradients of GPU outputs arrive there
   * already; this only guards against an upstream op that handed back a CPU tensor.
   */
  static Tensor gradient(GpuTensors gpu, Tensor g) {
    return Placement.on(gpu, g);
  }

}
