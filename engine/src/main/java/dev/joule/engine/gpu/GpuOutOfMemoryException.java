package dev.joule.engine.gpu;

/** Device memory ran out even after the caching allocator gave its cached blocks back. */
public class GpuOutOfMemoryException extends GpuException {
  private static final long serialVersionUID = 1L;

  public GpuOutOfMemoryException(String message) {
    super(message);
  }
}
