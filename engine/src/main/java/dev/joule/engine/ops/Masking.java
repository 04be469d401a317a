package dev.joule.engine.ops;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;

/**
 * Masks built from sequence lengths, for padded batches {@code [B, T, ...]}. Lengths usually come
 * from the host: masks are then built there and meet GPU operands through {@link Placement}.
 * Lengths already on a GPU, and {@link #maskByLengths} of a GPU tensor, go to {@link GpuMasking}.
 */
final class Masking {
  private Masking() {}

  /** {@code [B, T]}: 1 where {@code t < lengths[b]}, else 0. */
  static Tensor sequenceMask(Tensor lengths, int maxLength, DType dtype) {
    if (lengths.isGpu()) {
      return GpuMasking.lengthMask(lengths, maxLength, dtype, 1f, 0f, Shape.of(lengths.dim(0), maxLength));
    }
    int[] len = lengths(lengths, maxLength);
    double[] m = new double[len.length * maxLength];
    for (int b = 0; b < len.length; b++) {
      for (int t = 0; t < len[b]; t++) {
        m[b * maxLength + t] = 1;
      }
    }
    return Tensor.wrap(m, Shape.of(len.length, maxLength), dtype);
  }

  /** {@code [B, 1, T]}: 0 for valid keys, {@code -inf} for padding, added to attention scores. */
  static Tensor attentionBias(Tensor lengths, int maxLength, DType dtype) {
    if (lengths.isGpu()) {
      return GpuMasking.lengthMask(
          lengths, maxLength, dtype, 0f, Float.NEGATIVE_INFINITY, Shape.of(lengths.dim(0), 1, maxLength));
    }
    int[] len = lengths(lengths, maxLength);
    double[] m = new double[len.length * maxLength];
    for (int b = 0; b < len.length; b++) {
      for (int t = len[b]; t < maxLength; t++) {
        m[b * maxLength + t] = Double.NEGATIVE_INFINITY;
      }
    }
    return Tensor.wrap(m, Shape.of(len.length, 1, maxLength), dtype);
  }

  /** {@code x} with every frame at or after its sequence's length set to 0. */
  static Tensor maskByLengths(Tensor x, Tensor lengths) {
    if (x.rank() < 2 || lengths.rank() != 1 || lengths.dim(0) != x.dim(0)) {
      throw new dev.joule.engine.tensor.ShapeMismatchException(
          "maskByLengths", x.shape(), lengths.shape(), "needs x [B, T, ...] and lengths [B]");
    }
    GpuTensors gpu = Placement.gpuOf("maskByLengths", x, lengths);
    if (gpu != null) {
      return GpuMasking.maskByLengths(gpu, Placement.on(gpu, x), lengths);
    }
    int[] dims = new int[x.rank()];
    java.util.Arrays.fill(dims, 1);
    dims[0] = x.dim(0);
    dims[1] = x.dim(1);
    Tensor mask = sequenceMask(lengths, x.dim(1), x.dtype()).view(dims);
    return Arithmetic.binary(Arithmetic.Op.MUL, x, mask);
  }

  /**
   * Whether every sequence of {@code x [B, T, ...]} fills all T frames, so masks would change
   * nothing. Lengths on a GPU answer {@code false}: reading them would wait for the device.
   *
   * @throws dev.joule.engine.tensor.ShapeMismatchException when {@code lengths} is not {@code [B]}
   */
  static boolean noPadding(Tensor lengths, Tensor x) {
    if (x.rank() < 2 || lengths.rank() != 1 || lengths.dim(0) != x.dim(0)) {
      throw new dev.joule.engine.tensor.ShapeMismatchException(
          "noPadding", x.shape(), lengths.shape(), "needs x [B, T, ...] and lengths [B]");
    }
    if (lengths.isGpu()) {
      return false;
    }
    int maxLength = x.dim(1);
    for (int l : lengths(lengths, maxLength)) {
      if (l != maxLength) {
        return false;
      }
    }
    return true;
  }

  static int[] lengths(Tensor lengths, int maxLength) {
    if (lengths.dtype() != DType.INT32 || lengths.rank() != 1) {
      throw new IllegalArgumentException("lengths must be an INT32 vector; got " + lengths.dtype() + " " + lengths.shape());
    }
    int[] len = lengths.toIntArray();
    for (int l : len) {
      if (l < 0 || l > maxLength) {
        throw new IllegalArgumentException("sequence length " + l + " outside [0, " + maxLength + "]");
      }
    }
    return len;
  }
}
