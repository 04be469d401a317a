package dev.joule.engine.gpu;

import java.util.ArrayList;
import java.util.List;
import jcuda.Pointer;

/**
 * The typed argument list of one kernel launch, in the kernel's parameter order.
 *
 * <p>Each method appends one parameter of the named C type, so a launch reads like the kernel's
 * signature: {@code KernelArgs.of().i64(n).f32(a).buffer(x).f32(b).buffer(y)} for
 * {@code (long long n, float a, const float* x, float b, float* y)}.
 */
public final class KernelArgs {
  private final List<Pointer> params = new ArrayList<>();
  private final List<KernelParamType> types = new ArrayList<>();

  private KernelArgs() {}

  public static KernelArgs of() {
    return new KernelArgs();
  }

  /** A device pointer ({@code T*}). */
  public KernelArgs buffer(DeviceBuffer buffer) {
    return add(Pointer.to(buffer.pointer()), KernelParamType.WORD64);
  }

  /** A device pointer {@code byteOffset} bytes into {@code buffer} (a view of part of it). */
  public KernelArgs bufferAt(DeviceBuffer buffer, long byteOffset) {
    if (byteOffset < 0 || byteOffset > buffer.bytes()) {
      throw new IllegalArgumentException("offset " + byteOffset + " outside a buffer of " + buffer.bytes() + " bytes");
    }
    return add(Pointer.to(buffer.pointer().withByteOffset(byteOffset)), KernelParamType.WORD64);
  }

  /** A device pointer, or a null pointer when {@code buffer} is null: an optional operand. */
  public KernelArgs bufferOrNull(DeviceBuffer buffer) {
    return buffer == null ? add(Pointer.to(new long[] {0}), KernelParamType.WORD64) : buffer(buffer);
  }

  public KernelArgs i32(int value) {
    return add(Pointer.to(new int[] {value}), KernelParamType.INT32);
  }

  public KernelArgs i64(long value) {
    return add(Pointer.to(new long[] {value}), KernelParamType.WORD64);
  }

  public KernelArgs f32(float value) {
    return add(Pointer.to(new float[] {value}), KernelParamType.FLOAT32);
  }

  public KernelArgs f64(double value) {
    return add(Pointer.to(new double[] {value}), KernelParamType.FLOAT64);
  }

  private KernelArgs add(Pointer value, KernelParamType type) {
    params.add(value);
    types.add(type);
    return this;
  }

  /**
   * Throws unless these arguments have the count and types of {@code kernel}'s parameters
   * ({@code expected}, from its PTX), naming the first that differs.
   */
  void requireMatches(String kernel, List<KernelParamType> expected) {
    if (types.equals(expected)) {
      return;
    }
    for (int i = 0; i < Math.min(types.size(), expected.size()); i++) {
      if (types.get(i) != expected.get(i)) {
        throw new IllegalArgumentException("kernel " + kernel + ": argument " + i + " is a " + types.get(i)
            + " but the kernel's parameter " + i + " is a " + expected.get(i));
      }
    }
    throw new IllegalArgumentException("kernel " + kernel + " takes " + expected.size() + " arguments, "
        + types.size() + " given");
  }

  Pointer toKernelParams() {
    return Pointer.to(params.toArray(new Pointer[0]));
  }
}
