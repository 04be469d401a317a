package dev.joule.engine.gpu;

import dev.joule.engine.tensor.DType;

/**
 * The device memory behind GPU tensors: a run of float32 (or int32, for ids and lengths) elements
 * in one {@link DeviceBuffer}, shared by a tensor and its views.
 *
 * <p>Nobody closes it: when the last tensor using it becomes unreachable, or when the
 * {@link GpuTensors#step()} it was made in closes (unless {@linkplain #pin() pinned}),
 * {@link GpuTensors} gives the buffer back to the caching allocator (see there for why that is
 * safe while kernels are still queued).
 */
public final class GpuStorage {
  /** What the elements are; both are 4 bytes wide. */
  public enum Kind {
    FLOAT32,
    INT32;

    /** The storage of a GPU tensor of {@code type}: GPU tensors are FLOAT32, or INT32 for ids and lengths. */
    public static Kind of(DType type) {
      switch (type) {
        case FLOAT32:
          return FLOAT32;
        case INT32:
          return INT32;
        default:
          throw new UnsupportedOperationException("GPU tensors are FLOAT32 (or INT32); " + type + " stays on the CPU");
      }
    }
  }

  private final GpuTensors context;
  private final DeviceBuffer buffer;
  private final Kind kind;
  private final long length;
  GpuTensors.Reclaim reclaim;

  GpuStorage(GpuTensors context, DeviceBuffer buffer, Kind kind, long length) {
    this.context = context;
    this.buffer = buffer;
    this.kind = kind;
    this.length = length;
  }

  /** The tensor context (device and stream) this memory belongs to. */
  public GpuTensors context() {
    return context;
  }

  public DeviceBuffer buffer() {
    if (reclaim != null && reclaim.releasedByStep) {
      throw new IllegalStateException("this GPU tensor's memory was given back when its GpuTensors.step() closed; "
          + "pin it (parameters and optimiser state are), read it before the step ends, or zero gradients before the next step");
    }
    return buffer;
  }

  /** Keeps this memory past the end of the step it was made in: for parameters, buffers and optimiser state. */
  public GpuStorage pin() {
    if (reclaim != null) {
      reclaim.pinned = true;
    }
    return this;
  }

  public Kind kind() {
    return kind;
  }

  /** Elements held. */
  public long length() {
    return length;
  }

  /** {@code count} elements from {@code offset} as floats (INT32 elements are converted), waiting for queued work. */
  public float[] downloadFloats(long offset, int count) {
    checkRange(offset, count);
    if (kind == Kind.INT32) {
      int[] ints = downloadInts(offset, count);
      float[] f = new float[count];
      for (int i = 0; i < count; i++) {
        f[i] = ints[i];
      }
      return f;
    }
    float[] out = new float[count];
    buffer().copyToSync(jcuda.Pointer.to(out), offset, count, context.stream());
    return out;
  }

  /** {@code count} INT32 elements from {@code offset}, waiting for queued work. */
  public int[] downloadInts(long offset, int count) {
    checkRange(offset, count);
    if (kind != Kind.INT32) {
      throw new IllegalStateException("GPU storage holds " + kind + ", not INT32");
    }
    int[] out = new int[count];
    buffer().copyToSync(jcuda.Pointer.to(out), offset, count, context.stream());
    return out;
  }

  /**
   * {@code count} float64 values from the start of this storage, waiting for queued work: for
   * kernels that write float64 results (sums kept in double precision) into storage allocated as
   * {@code 2 × count} four-byte elements.
   */
  public double[] downloadDoubles(int count) {
    checkRange(0, 2 * count);
    double[] out = new double[count];
    buffer().copyToSync(jcuda.Pointer.to(out), 0, 2L * count, context.stream());
    return out;
  }

  private void checkRange(long offset, int count) {
    if (offset < 0 || count < 0 || offset + count > length) {
      throw new IndexOutOfBoundsException("elements [" + offset + ", " + (offset + count) + ") of GPU storage of " + length);
    }
  }

  @Override
  public String toString() {
    return "GPU " + context.device().ordinal() + " storage of " + length + " " + kind;
  }
}
