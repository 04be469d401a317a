package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOperands.at;
import static dev.joule.engine.ops.GpuOperands.buffer;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuOps;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;

/**
 * Dropout on a GPU tensor with the mask made in the kernel from the call's key
 * ({@link DropoutMask}, {@code native/cuda/dropout.cu}): the same elements as the CPU drops for
 * the same key, with no mask drawn on the host, copied over or kept for the backward pass.
 */
final class GpuDropout {
  private GpuDropout() {}

  static Tensor dropout(Tensor x, long key, double p) {
    Arithmetic.requireFloating("dropout", x);
    GpuTensors gpu = x.gpuContext();
    long threshold = DropoutMask.threshold(p);
    float scale = (float) (1 / (1 - p));
    Tensor y = apply(gpu, x, key, threshold, scale);
    return Autograd.record(
        y, "dropout", g -> new Tensor[] {apply(gpu, GpuOperands.gradient(gpu, g), key, threshold, scale)}, x);
  }

  /**
   * {@code dropout(softmax(x))} along the last dimension, one warp per row; the softmax output is
   * kept for the backward, which regenerates the mask from the key.
   */
  static Tensor softmaxDropout(Tensor x, long key, double p) {
    Arithmetic.requireFloating("softmaxDropout", x);
    GpuTensors gpu = x.gpuContext();
    int n = x.dim(-1);
    long rows = x.size() / n;
    int threshold = (int) DropoutMask.threshold(p);
    float scale = (float) (1 / (1 - p));
    Tensor y = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
    Tensor z = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
    gpu.launchLinear(gpu.kernel("dropout", "joule_softmax_dropout_rows_f32"), 32L * rows, KernelArgs.of()
        .i64(rows).i32(n).i32((int) key).i32((int) (key >>> 32)).i32(threshold).f32(scale)
        .bufferAt(buffer(x), at(x)).buffer(buffer(y)).buffer(buffer(z)));
    return Autograd.record(
        z,
        "softmaxDropout",
        g -> {
          Tensor gg = GpuOperands.gradient(gpu, g);
          Tensor dx = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
          gpu.launchLinear(gpu.kernel("dropout", "joule_softmax_dropout_rows_bwd_f32"), 32L * rows, KernelArgs.of()
              .i64(rows).i32(n).i32((int) key).i32((int) (key >>> 32)).i32(threshold).f32(scale)
              .buffer(buffer(y)).bufferAt(buffer(gg), at(gg)).buffer(buffer(dx)));
          return new Tensor[] {dx};
        },
        x);
  }

  /** {@code x} with the key's mask applied and the kept elements scaled, in a new tensor. */
  private static Tensor apply(GpuTensors gpu, Tensor x, long key, long threshold, float scale) {
    Tensor y = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
    gpu.launchLinear(gpu.kernel("dropout", "joule_dropout_f32"), GpuOps.vectorThreads(x.size()),
        KernelArgs.of().i64(x.size()).i32((int) key).i32((int) (key >>> 32)).i32((int) threshold).f32(scale).bufferAt(buffer(x), at(x)).buffer(buffer(y)));
    return y;
  }
}
