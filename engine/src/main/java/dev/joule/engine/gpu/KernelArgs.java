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

  private KernelArgs() {}

  public static KernelArgs of() {
    return new KernelArgs();
  }

  /** A device pointer ({@code T*}). */
  public KernelArgs buffer(DeviceBuffer buffer) {
    params.add(Pointer.to(buffer.pointer()));
    return this;
  }

  /** A device pointer {@code byteOffset} bytes into {@code buffer} (a view of part of it). */
  public KernelArgs bufferAt(DeviceBuffer buffer, long byteOffset) {
    if (byteOffset < 0 || byteOffset > buffer.bytes()) {
      throw new IllegalArgumentException("offset " + byteOffset + " outside a buffer of " + buffer.bytes() + " bytes");
    }
    params.add(Pointer.to(buffer.pointer().withByteOffset(byteOffset)));
    return this;
  }

  public KernelArgs i32(int value) {
    params.add(Pointer.to(new int[] {value}));
    return this;
  }

  public KernelArgs i64(long value) {
    params.add(Pointer.to(new long[] {value}));
    return this;
  }

  public KernelArgs f32(float value) {
    params.add(Pointer.to(new float[] {value}));
    return this;
  }

  public KernelArgs f64(double value) {
    params.add(Pointer.to(new double[] {value}));
    return this;
  }

  Pointer toKernelParams() {
    return Pointer.to(params.toArray(new Pointer[0]));
  }
}
