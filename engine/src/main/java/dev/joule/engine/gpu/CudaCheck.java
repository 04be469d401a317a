package dev.joule.engine.gpu;

import jcuda.driver.CUresult;
import jcuda.jcublas.cublasStatus;

/** Turns CUDA driver and cuBLAS status codes into exceptions carrying the error's name. */
final class CudaCheck {
  private CudaCheck() {}

  /** Throws unless {@code result} is CUDA_SUCCESS; {@code call} names what was attempted. */
  static void driver(int result, String call) {
    if (result != CUresult.CUDA_SUCCESS) {
      String name = CUresult.stringFor(result);
      if (result == CUresult.CUDA_ERROR_OUT_OF_MEMORY) {
        throw new GpuOutOfMemoryException(call + " failed: " + name);
      }
      throw new GpuException(call + " failed: " + name);
    }
  }

  /** Throws unless {@code status} is CUBLAS_STATUS_SUCCESS. */
  static void cublas(int status, String call) {
    if (status != cublasStatus.CUBLAS_STATUS_SUCCESS) {
      throw new GpuException(call + " failed: " + cublasStatus.stringFor(status));
    }
  }
}
