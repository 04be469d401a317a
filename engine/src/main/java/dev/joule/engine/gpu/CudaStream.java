package dev.joule.engine.gpu;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;
import static jcuda.driver.JCudaDriver.cuStreamWaitEvent;

import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;
import jcuda.driver.CUstream;
import jcuda.driver.CUstream_flags;

/**
 * A CUDA stream: work queued on it runs in order, overlapping with other streams. Owns the
 * cuBLAS handle bound to it, created on first use.
 */
public final class CudaStream implements AutoCloseable {
  private final GpuDevice device;
  private final CUstream stream;
  private Cublas cublas;
  private boolean closed;

  CudaStream(GpuDevice device) {
    this.device = device;
    device.makeCurrent();
    this.stream = new CUstream();
    CudaCheck.driver(cuStreamCreate(stream, CUstream_flags.CU_STREAM_NON_BLOCKING), "cuStreamCreate");
  }

  CUstream handle() {
    if (closed) {
      throw new IllegalStateException("stream is closed");
    }
    return stream;
  }

  public GpuDevice device() {
    return device;
  }

  /** Waits until all work queued on this stream has finished; reports errors it raised. */
  public void synchronize() {
    device.makeCurrent();
    CudaCheck.driver(cuStreamSynchronize(handle()), "cuStreamSynchronize");
  }

  /**
   * Makes work queued on this stream from now on wait for everything queued on {@code other} so
   * far, without blocking the host: the fork and join of concurrent streams (also inside a
   * {@link CudaGraph} capture, where it makes {@code other}'s work a branch of the graph).
   */
  public void waitFor(CudaStream other) {
    device.makeCurrent();
    CUevent event = new CUevent();
    CudaCheck.driver(cuEventCreate(event, CUevent_flags.CU_EVENT_DISABLE_TIMING), "cuEventCreate");
    try {
      CudaCheck.driver(cuEventRecord(event, other.handle()), "cuEventRecord");
      CudaCheck.driver(cuStreamWaitEvent(handle(), event, 0), "cuStreamWaitEvent");
    } finally {
      // Safe while the wait is pending: the driver frees the event once it has completed.
      cuEventDestroy(event);
    }
  }

  /** The cuBLAS handle whose work is queued on this stream. */
  public synchronized Cublas cublas() {
    if (cublas == null) {
      cublas = new Cublas(this);
    }
    return cublas;
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    device.makeCurrent();
    if (cublas != null) {
      cublas.destroy();
    }
    closed = true;
    CudaCheck.driver(cuStreamDestroy(stream), "cuStreamDestroy");
  }
}
