package dev.joule.engine.ops;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;

/**
 * Copies between the CPU and a GPU, on the tape: the gradient of a copy is the copy of the
 * gradient back. GPU tensors are float32, so a FLOAT64 tensor arrives on the GPU rounded to
 * FLOAT32 (its gradient returns as FLOAT64).
 */
final class DeviceCopy {
  private DeviceCopy() {}

  static Tensor toGpu(Tensor x, GpuTensors gpu) {
    if (x.isGpu()) {
      if (x.gpuContext() == gpu) {
        return x;
      }
      return toGpu(toCpu(x), gpu);
    }
    GpuStorage storage = x.dtype() == DType.INT32 ? gpu.upload(x.toIntArray()) : gpu.upload(x.toFloatArray());
    DType type = x.dtype() == DType.INT32 ? DType.INT32 : DType.FLOAT32;
    Tensor y = Tensor.onGpu(storage, 0, x.shape(), type);
    return Autograd.record(y, "toGpu", g -> new Tensor[] {toCpu(g).to(x.dtype())}, x);
  }

  static Tensor toCpu(Tensor x) {
    if (!x.isGpu()) {
      return x;
    }
    GpuTensors gpu = x.gpuContext();
    Tensor y = Tensor.wrap(x.toDoubleArray(), x.shape(), x.dtype());
    return Autograd.record(y, "toCpu", g -> new Tensor[] {toGpu(g, gpu)}, x);
  }
}
