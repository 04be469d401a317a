package dev.joule.engine.gpu;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoDAsync;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUstream;

/**
 * Device memory lent by a {@link GpuDevice}'s caching allocator. Closing gives it back to the
 * cache (not to the driver), so allocating per operation costs no cudaMalloc.
 */
public final class DeviceBuffer implements AutoCloseable {
  private final GpuDevice device;
  private final CachingAllocator.Lease<CUdeviceptr> lease;
  private final long bytes;
  private boolean closed;

  DeviceBuffer(GpuDevice device, CachingAllocator.Lease<CUdeviceptr> lease, long bytes) {
    this.device = device;
    this.lease = lease;
    this.bytes = bytes;
  }

  /** The size requested (the reservation may be larger). */
  public long bytes() {
    return bytes;
  }

  /**
   * Refuses a launch or copy that would touch {@code needed} bytes of this buffer when it has
   * fewer: a kernel cannot report an out-of-bounds access, so launchers check first.
   *
   * @param what what the buffer holds, for the message
   */
  public void requireBytes(long needed, String what) {
    if (bytes < needed) {
      throw new IllegalArgumentException(what + " needs " + needed + " bytes; its device buffer has " + bytes);
    }
  }

  CUdeviceptr pointer() {
    if (closed) {
      throw new IllegalStateException("device buffer is closed");
    }
    return lease.block();
  }

  /** Copies {@code host} to the start of this buffer, synchronously (complete on return; see {@link #awaitLegacyCopy}). */
  public void copyFrom(float[] host) {
    long n = (long) host.length * Sizeof.FLOAT;
    checkFits(n);
    device.makeCurrent();
    CudaCheck.driver(cuMemcpyHtoD(pointer(), Pointer.to(host), n), "cuMemcpyHtoD");
    awaitLegacyCopy();
  }

  /** Copies the start of this buffer into {@code host}, synchronously (waits for pending work). */
  public void copyTo(float[] host) {
    long n = (long) host.length * Sizeof.FLOAT;
    checkFits(n);
    device.makeCurrent();
    CudaCheck.driver(cuMemcpyDtoH(Pointer.to(host), pointer(), n), "cuMemcpyDtoH");
  }

  /** Copies the start of this buffer into {@code host}, synchronously (waits for pending work). */
  public void copyTo(double[] host) {
    long n = (long) host.length * Sizeof.DOUBLE;
    checkFits(n);
    device.makeCurrent();
    CudaCheck.driver(cuMemcpyDtoH(Pointer.to(host), pointer(), n), "cuMemcpyDtoH");
  }

  /** Copies {@code host} to the start of this buffer, synchronously (complete on return; see {@link #awaitLegacyCopy}). */
  public void copyFrom(int[] host) {
    long n = (long) host.length * Sizeof.INT;
    checkFits(n);
    device.makeCurrent();
    CudaCheck.driver(cuMemcpyHtoD(pointer(), Pointer.to(host), n), "cuMemcpyHtoD");
    awaitLegacyCopy();
  }

  /**
   * Copies {@code count} 4-byte elements from {@code host[hostStart..]} to this buffer at element
   * {@code at}, ordered on {@code stream} after the work queued there (so a block the caching
   * allocator handed out again is not overwritten while earlier kernels still read it). Returns
   * once {@code host} may be reused: pageable memory is staged by the driver before the call returns.
   */
  public void copyFromAsync(Pointer host, long at, long count, CudaStream stream) {
    long n = count * 4;
    checkFits(at * 4 + n);
    if (n == 0) {
      return;
    }
    device.makeCurrent();
    CudaCheck.driver(cuMemcpyHtoDAsync(pointer().withByteOffset(at * 4), host, n, stream.handle()), "cuMemcpyHtoDAsync");
  }

  /**
   * Copies {@code count} 4-byte elements from element {@code at} of this buffer into
   * {@code host}, after the work queued on {@code stream}, and waits for it: the one place a
   * value comes back to the host.
   *
   * <p>The stream is drained first and the copy itself is the synchronous {@code cuMemcpyDtoH},
   * which returns only once the data has arrived. An asynchronous copy into {@code host} would
   * not be safe: a {@link Pointer} to a Java array is valid only during the JNI call (the array
   * may move afterwards), and the CUDA documentation only says such a copy into pageable memory
   * "might be" synchronous. The idle stream also makes the legacy-stream copy ordered after it.
   */
  public void copyToSync(Pointer host, long at, long count, CudaStream stream) {
    long n = count * 4;
    checkFits(at * 4 + n);
    stream.synchronize();
    if (n == 0) {
      return;
    }
    device.makeCurrent();
    CudaCheck.driver(cuMemcpyDtoH(host, pointer().withByteOffset(at * 4), n), "cuMemcpyDtoH");
  }

  /**
   * Queues copying {@code count} 4-byte elements from element {@code from} of {@code source} to
   * element {@code at} of this buffer on {@code stream}.
   */
  public void copyFromDeviceAsync(DeviceBuffer source, long from, long at, long count, CudaStream stream) {
    long n = count * 4;
    checkFits(at * 4 + n);
    source.checkFits(from * 4 + n);
    if (n == 0) {
      return;
    }
    device.makeCurrent();
    CudaCheck.driver(
        cuMemcpyDtoDAsync(pointer().withByteOffset(at * 4), source.pointer().withByteOffset(from * 4), n, stream.handle()),
        "cuMemcpyDtoDAsync");
  }

  /**
   * Queues writing the device addresses of {@code buffers}, each {@code byteOffsets[i]} bytes in
   * ({@code null}: their starts), 8 bytes each in order, to the start of this buffer on
   * {@code stream}: a table for kernels that take many tensors in one launch.
   */
  public void copyAddressesAsync(java.util.List<DeviceBuffer> buffers, long[] byteOffsets, CudaStream stream) {
    if (byteOffsets != null && byteOffsets.length != buffers.size()) {
      throw new IllegalArgumentException(byteOffsets.length + " offsets for " + buffers.size() + " buffers");
    }
    long n = (long) buffers.size() * Sizeof.POINTER;
    checkFits(n);
    if (n == 0) {
      return;
    }
    Pointer[] addresses = new Pointer[buffers.size()];
    for (int i = 0; i < addresses.length; i++) {
      DeviceBuffer b = buffers.get(i);
      long offset = byteOffsets == null ? 0 : byteOffsets[i];
      if (offset < 0 || offset > b.bytes()) {
        throw new IllegalArgumentException("offset " + offset + " outside a buffer of " + b.bytes() + " bytes");
      }
      addresses[i] = offset == 0 ? b.pointer() : b.pointer().withByteOffset(offset);
    }
    device.makeCurrent();
    // JCuda lays the pointers' native values out as a host array for the copy; the driver stages
    // that pageable array before returning, as for copyFromAsync.
    CudaCheck.driver(cuMemcpyHtoDAsync(pointer(), Pointer.to(addresses), n, stream.handle()), "cuMemcpyHtoDAsync(addresses)");
  }

  /** Queues setting every byte of this buffer to zero on {@code stream}. */
  public void zero(CudaStream stream) {
    device.makeCurrent();
    CudaCheck.driver(cuMemsetD8Async(pointer(), (byte) 0, bytes, stream.handle()), "cuMemsetD8Async");
  }

  /**
   * Waits until the host-to-device copy just issued on the legacy default stream has reached the
   * device. From pageable memory (a Java array) {@code cuMemcpyHtoD} may return once the data is
   * staged, before the DMA has finished, and kernels queued next on a non-blocking stream (every
   * {@link CudaStream} is one) are not ordered after the legacy stream: without this wait they
   * could read the buffer before the copy lands.
   */
  private static void awaitLegacyCopy() {
    CudaCheck.driver(cuStreamSynchronize(new CUstream()), "cuStreamSynchronize(legacy stream)");
  }

  private void checkFits(long n) {
    if (n > bytes) {
      throw new IllegalArgumentException("copy of " + n + " bytes exceeds buffer of " + bytes + " bytes");
    }
  }

  @Override
  public synchronized void close() {
    if (!closed) {
      closed = true;
      device.memory().release(lease);
    }
  }
}
