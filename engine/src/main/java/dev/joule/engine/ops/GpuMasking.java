package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOperands.buffer;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.gpu.KernelArgs;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;

/**
 * The GPU twins of {@link Masking}: zeroing padded frames ({@code joule_mask_by_lengths}, whose
 * gradient is the same mask applied to the incoming gradient) and, for lengths that are already
 * on the GPU, the {@code [B, T]} length masks ({@code joule_length_mask_f32} in
 * {@code tensor_layout.cu}).
 *
 * <p>Lengths from the host are range-checked there before they are uploaded, as on the CPU.
 * Lengths already on the GPU are trusted, because checking them would mean waiting for the GPU:
 * a length past {@code T} masks nothing and a negative one masks the whole sequence.
 */
final class GpuMasking {
  private GpuMasking() {}

  /** {@code x [B, T, ...]} (on {@code gpu}) with frames at or past each length zeroed. */
  static Tensor maskByLengths(GpuTensors gpu, Tensor x, Tensor lengths) {
    Arithmetic.requireFloating("maskByLengths", x);
    int batch = x.dim(0);
    int steps = x.dim(1);
    int channels = x.shape().inner(1);
    Tensor len = lengthsOn(gpu, lengths, steps);
    Tensor y = masked(gpu, x, len, batch, steps, channels);
    return Autograd.record(
        y, "maskByLengths", g -> new Tensor[] {masked(gpu, GpuOperands.gradient(gpu, g), len, batch, steps, channels), null},
        x, lengths);
  }

  /**
   * {@code [batch, maxLength]} (viewed as {@code shape}): {@code valid} where {@code t < lengths[b]},
   * {@code padding} elsewhere, for INT32 {@code lengths} on a GPU.
   */
  static Tensor lengthMask(Tensor lengths, int maxLength, DType dtype, float valid, float padding, Shape shape) {
    if (lengths.dtype() != DType.INT32 || lengths.rank() != 1) {
      throw new IllegalArgumentException("lengths must be an INT32 vector; got " + lengths.dtype() + " " + lengths.shape());
    }
    if (dtype != DType.FLOAT32) {
      throw new IllegalArgumentException("a mask built on the GPU is FLOAT32; asked for " + dtype);
    }
    GpuTensors gpu = lengths.gpuContext();
    Tensor out = GpuOperands.allocate(gpu, shape, DType.FLOAT32);
    int batch = lengths.dim(0);
    KernelArgs args = KernelArgs.of().i32(batch).i32(maxLength).bufferAt(buffer(lengths), GpuOperands.at(lengths))
        .f32(valid).f32(padding).bufferAt(buffer(out), GpuOperands.at(out));
    gpu.launchLinear(gpu.kernel("tensor_layout", "joule_length_mask_f32"), (long) batch * maxLength, args);
    return out;
  }

  /** INT32 lengths on {@code gpu}, at offset 0: checked on the host first when they come from there. */
  private static Tensor lengthsOn(GpuTensors gpu, Tensor lengths, int steps) {
    if (lengths.isGpu()) {
      if (lengths.dtype() != DType.INT32 || lengths.rank() != 1) {
        throw new IllegalArgumentException("lengths must be an INT32 vector; got " + lengths.dtype() + " " + lengths.shape());
      }
      return GpuOperands.packed(lengths);
    }
    int[] host = Masking.lengths(lengths, steps);
    return Tensor.onGpu(gpu.upload(host), 0, Shape.of(host.length), DType.INT32);
  }

  /** A copy of {@code x} with the padded frames zeroed. */
  private static Tensor masked(GpuTensors gpu, Tensor x, Tensor lengths, int batch, int steps, int channels) {
    Tensor y = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
    buffer(y).copyFromDeviceAsync(buffer(x), x.offset(), 0, x.size(), gpu.stream());
    gpu.ops().maskByLengths(batch, steps, channels, buffer(lengths), buffer(y));
    return y;
  }
}
