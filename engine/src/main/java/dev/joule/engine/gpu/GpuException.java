package dev.joule.engine.gpu;

/** A CUDA or cuBLAS call failed; the message names the call and the CUDA error. */
public class GpuException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public GpuException(String message) {
    super(message);
  }

  public GpuException(String message, Throwable cause) {
    super(message, cause);
  }
}
