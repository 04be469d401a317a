package dev.joule.engine.gpu;

import static jcuda.driver.JCudaDriver.cuStreamCreate;
import static jcuda.driver.JCudaDriver.cuStreamDestroy;
import static jcuda.driver.JCudaDriver.cuStreamSynchronize;

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
