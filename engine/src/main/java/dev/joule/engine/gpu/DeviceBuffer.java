package dev.joule.engine.gpu;

import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD8Async;

import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUdeviceptr;

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

  CUdeviceptr pointer() {
    if (closed) {
      throw new IllegalStateException("device buffer is closed");
    }
    return lease.block();
  }

  /** Copies {@code host} to the start of this buffer, synchronously. */
  public void copyFrom(float[] host) {
    long n = (long) host.length * Sizeof.FLOAT;
    checkFits(n);
    device.makeCurrent();
    CudaCheck.driver(cuMemcpyHtoD(pointer(), Pointer.to(host), n), "cuMemcpyHtoD");
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

  /** Copies {@code host} to the start of this buffer, synchronously. */
  public void copyFrom(int[] host) {
    long n = (long) host.length * Sizeof.INT;
    checkFits(n);
    device.makeCurrent();
    CudaCheck.driver(cuMemcpyHtoD(pointer(), Pointer.to(host), n), "cuMemcpyHtoD");
  }

  /** Queues setting every byte of this buffer to zero on {@code stream}. */
  public void zero(CudaStream stream) {
    device.makeCurrent();
    CudaCheck.driver(cuMemsetD8Async(pointer(), (byte) 0, bytes, stream.handle()), "cuMemsetD8Async");
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
