package dev.joule.engine.gpu;

import java.util.ArrayDeque;
import java.util.TreeMap;

/**
 * A caching allocator over a slow raw allocator (cuMemAlloc): freed blocks are kept in per-size
 * free lists and handed out again, so steady-state training and decoding allocate no device
 * memory at all.
 *
 * <p>Sizes are rounded up to a size class: multiples of {@value #SMALL_GRANULE} bytes below
 * {@value #LARGE_THRESHOLD} bytes, multiples of {@value #LARGE_GRANULE} bytes above. A request is
 * served from the free list of its class when one is cached; otherwise the raw allocator is asked.
 * When it reports out-of-memory, every cached block is released and the request tried once more
 * before the failure reaches the caller.
 *
 * <p>Thread-safe. The block type is generic so the policy can be tested without a GPU.
 *
 * @param <B> the raw block handle (a device pointer on the GPU)
 */
public final class CachingAllocator<B> {
  static final long SMALL_GRANULE = 512;
  static final long LARGE_THRESHOLD = 1L << 20;
  static final long LARGE_GRANULE = 2L << 20;

  /** The allocator being cached. */
  public interface Backend<B> {
    /** Allocates {@code bytes}; throws {@link GpuOutOfMemoryException} when memory is exhausted. */
    B allocate(long bytes);

    void free(B block);
  }

  /** A block lent to a caller; give it back with {@link CachingAllocator#release}. */
  public static final class Lease<B> {
    private final B block;
    private final long sizeClass;
    private boolean released;

    private Lease(B block, long sizeClass) {
      this.block = block;
      this.sizeClass = sizeClass;
    }

    public B block() {
      return block;
    }

    /** Bytes actually reserved (the request rounded up to its size class). */
    public long capacity() {
      return sizeClass;
    }
  }

  private final Backend<B> backend;
  private final TreeMap<Long, ArrayDeque<B>> free = new TreeMap<>();
  private long bytesInUse;
  private long bytesCached;
  private long peakBytesInUse;
  private long limitBytes;
  private long rawAllocations;

  public CachingAllocator(Backend<B> backend) {
    this.backend = backend;
  }

  /** The size class serving a request of {@code bytes} (at least one granule). */
  static long sizeClass(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("negative allocation size " + bytes);
    }
    long granule = bytes < LARGE_THRESHOLD ? SMALL_GRANULE : LARGE_GRANULE;
    long rounded = Math.max(1, (bytes + granule - 1) / granule) * granule;
    return rounded;
  }

  public synchronized Lease<B> allocate(long bytes) {
    long size = sizeClass(bytes);
    if (limitBytes > 0 && bytesInUse + size > limitBytes) {
      throw new GpuOutOfMemoryException(String.format(
          "out of device memory allocating %,d bytes: %,d bytes in use, over the limit of %,d bytes set for Joule",
          size, bytesInUse, limitBytes));
    }
    ArrayDeque<B> cached = free.get(size);
    B block;
    if (cached != null && !cached.isEmpty()) {
      block = cached.pop();
      bytesCached -= size;
    } else {
      block = allocateRaw(size);
    }
    bytesInUse += size;
    peakBytesInUse = Math.max(peakBytesInUse, bytesInUse);
    return new Lease<>(block, size);
  }

  public synchronized void release(Lease<B> lease) {
    if (lease.released) {
      throw new IllegalStateException("block released twice");
    }
    lease.released = true;
    bytesInUse -= lease.sizeClass;
    free.computeIfAbsent(lease.sizeClass, k -> new ArrayDeque<>()).push(lease.block);
    bytesCached += lease.sizeClass;
  }

  /** Returns every cached block to the raw allocator. */
  public synchronized void trim() {
    for (ArrayDeque<B> blocks : free.values()) {
      for (B b : blocks) {
        backend.free(b);
      }
    }
    free.clear();
    bytesCached = 0;
  }

  /**
   * Caps the bytes lent out at once ({@code 0}: no cap but the device's): a request that would
   * pass it fails with {@link GpuOutOfMemoryException}, as if the device were that small.
   */
  public synchronized void limit(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("memory limit must be >= 0, not " + bytes);
    }
    limitBytes = bytes;
  }

  public synchronized long bytesInUse() {
    return bytesInUse;
  }

  public synchronized long bytesCached() {
    return bytesCached;
  }

  public synchronized long peakBytesInUse() {
    return peakBytesInUse;
  }

  /** How many times the raw allocator was called (a measure of how well the cache works). */
  public synchronized long rawAllocations() {
    return rawAllocations;
  }

  private B allocateRaw(long size) {
    rawAllocations++;
    try {
      return backend.allocate(size);
    } catch (GpuOutOfMemoryException first) {
      if (bytesCached == 0) {
        throw outOfMemory(size, first);
      }
      trim();
      try {
        return backend.allocate(size);
      } catch (GpuOutOfMemoryException second) {
        throw outOfMemory(size, second);
      }
    }
  }

  private GpuOutOfMemoryException outOfMemory(long size, GpuOutOfMemoryException cause) {
    GpuOutOfMemoryException e =
        new GpuOutOfMemoryException(
            String.format(
                "out of device memory allocating %,d bytes (%,d bytes in use by Joule): %s",
                size, bytesInUse, cause.getMessage()));
    e.initCause(cause);
    return e;
  }
}
