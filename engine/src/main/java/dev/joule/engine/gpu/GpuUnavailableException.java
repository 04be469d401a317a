package dev.joule.engine.gpu;

/** A GPU was asked for but none can be used; the message says why. */
public class GpuUnavailableException extends GpuException {
  private static final long serialVersionUID = 1L;

  public GpuUnavailableException(String reason) {
    super("no usable GPU: " + reason);
  }
}
