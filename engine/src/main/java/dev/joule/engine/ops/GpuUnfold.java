package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOperands.buffer;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;

/**
 * The GPU twin of {@link Unfold#unfold}, on the {@code joule_unfold_fwd/bwd} kernels. The
 * backward gathers, per input element, the windows that read it, so it needs neither atomics nor
 * a zeroed gradient buffer.
 */
final class GpuUnfold {
  private GpuUnfold() {}

  /** Sliding windows of {@code x [B, T, C]} (on a GPU, arguments already validated). */
  static Tensor unfold(Tensor x, int kernel, int stride, int dilation, int padLeft, int padRight) {
    GpuTensors gpu = x.gpuContext();
    int b = x.dim(0);
    int t = x.dim(1);
    int c = x.dim(2);
    int tOut = Unfold.outputLength(t, kernel, stride, dilation, padLeft, padRight);
    Tensor y = GpuOperands.allocate(gpu, Shape.of(b, tOut, kernel * c), DType.FLOAT32);
    gpu.ops().unfold(b, t, c, kernel, stride, dilation, padLeft, padRight, GpuOperands.packedBuffer(x), buffer(y));
    Shape xs = x.shape();
    return Autograd.record(
        y,
        "unfold",
        g -> {
          Tensor dx = GpuOperands.allocate(gpu, xs, DType.FLOAT32);
          gpu.ops().unfoldBackward(b, t, c, kernel, stride, dilation, padLeft, padRight,
              GpuOperands.packedBuffer(GpuOperands.gradient(gpu, g)), buffer(dx));
          return new Tensor[] {dx};
        },
        x);
  }
}
