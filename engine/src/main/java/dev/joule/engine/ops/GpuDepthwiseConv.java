package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOperands.buffer;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;

/**
 * {@link Ops#depthwiseConv1d} on GPU tensors with the kernels of
 * {@code native/cuda/depthwise_conv.cu}, which read each output's taps straight from the input
 * instead of unfolding it (the CPU's form, the reference). Bias is added by the caller.
 */
final class GpuDepthwiseConv {
  /** Rows (b, t) one thread of the weight gradient's first pass sums; the chunks are summed after. */
  private static final int ROWS_PER_CHUNK = 64;

  private GpuDepthwiseConv() {}

  /** {@code x [B, T, C]} and {@code weight [K, C]}, both on {@code gpu}, shapes already checked. */
  static Tensor conv(GpuTensors gpu, Tensor x, Tensor weight, int stride, int dilation, int padLeft, int padRight) {
    Arithmetic.requireFloating("depthwiseConv1d", x);
    Arithmetic.requireFloating("depthwiseConv1d", weight);
    int b = x.dim(0);
    int steps = x.dim(1);
    int channels = x.dim(2);
    int kernel = weight.dim(0);
    int stepsOut = Unfold.outputLength(steps, kernel, stride, dilation, padLeft, padRight);
    Shape outShape = Shape.of(b, stepsOut, channels);
    int chunkCount = Math.max(1, (int) (((long) b * stepsOut + ROWS_PER_CHUNK - 1) / ROWS_PER_CHUNK));
    requireIndexable(x.size(), outShape.size(), (long) chunkCount * kernel * channels);
    Tensor xs = GpuOperands.packed(x);
    Tensor ws = GpuOperands.packed(weight);
    Tensor y = GpuOperands.allocate(gpu, outShape, DType.FLOAT32);
    int[] geometry = {steps, stepsOut, channels, kernel, stride, dilation, padLeft};
    gpu.launchLinear(gpu.kernel("depthwise_conv", "joule_depthwise_conv_fwd"), y.size(),
        withGeometry(y.size(), geometry).buffer(buffer(xs)).buffer(buffer(ws)).buffer(buffer(y)));
    Shape inShape = x.shape();
    Shape weightShape = weight.shape();
    return Autograd.record(
        y,
        "depthwiseConv1d",
        g -> {
          Tensor dy = GpuOperands.packed(GpuOperands.gradient(gpu, g));
          Tensor dx = GpuOperands.allocate(gpu, inShape, DType.FLOAT32);
          gpu.launchLinear(gpu.kernel("depthwise_conv", "joule_depthwise_conv_bwd_x"), dx.size(),
              withGeometry(dx.size(), geometry).buffer(buffer(dy)).buffer(buffer(ws)).buffer(buffer(dx)));
          int rows = b * stepsOut;
          Tensor partial = GpuOperands.allocate(gpu, Shape.of(chunkCount, kernel, channels), DType.FLOAT32);
          gpu.launchLinear(gpu.kernel("depthwise_conv", "joule_depthwise_conv_bwd_w"), partial.size(),
              KernelArgs.of().i64(partial.size()).i32(rows).i32(ROWS_PER_CHUNK).i32(steps).i32(stepsOut).i32(channels)
                  .i32(kernel).i32(stride).i32(dilation).i32(padLeft).buffer(buffer(xs)).buffer(buffer(dy))
                  .buffer(buffer(partial)));
          Tensor dw = GpuReductions.sum(partial, 0, false).view(weightShape.dims());
          return new Tensor[] {dx, dw};
        },
        x,
        weight);
  }

  /** The arguments the forward and input-gradient kernels share: the count, then the geometry. */
  private static KernelArgs withGeometry(long n, int[] geometry) {
    KernelArgs args = KernelArgs.of().i64(n);
    for (int v : geometry) {
      args.i32(v);
    }
    return args;
  }

  private static void requireIndexable(long... sizes) {
    for (long n : sizes) {
      if (n >= Divisor.DIVIDEND_LIMIT) {
        throw new IllegalArgumentException("depthwiseConv1d on the GPU indexes below 2^31 elements; a tensor has " + n);
      }
    }
  }
}
