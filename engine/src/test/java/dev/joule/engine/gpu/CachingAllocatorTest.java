package dev.joule.engine.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The caching policy, over a backend with a fixed memory budget standing in for cuMemAlloc. */
class CachingAllocatorTest {

  /** Hands out numbered blocks from a budget; records frees. */
  static final class BudgetBackend implements CachingAllocator.Backend<long[]> {
    long available;
    int allocations;
    final List<long[]> freed = new ArrayList<>();

    BudgetBackend(long budget) {
      this.available = budget;
    }

    @Override
    public long[] allocate(long bytes) {
      if (bytes > available) {
        throw new GpuOutOfMemoryException("cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY");
      }
      available -= bytes;
      allocations++;
      return new long[] {bytes};
    }

    @Override
    public void free(long[] block) {
      available += block[0];
      freed.add(block);
    }
  }

  @Test
  void sizeClassesRoundUp() {
    assertEquals(512, CachingAllocator.sizeClass(0));
    assertEquals(512, CachingAllocator.sizeClass(1));
    assertEquals(512, CachingAllocator.sizeClass(512));
    assertEquals(1024, CachingAllocator.sizeClass(513));
    assertEquals(2L << 20, CachingAllocator.sizeClass(1L << 20));
    assertEquals(4L << 20, CachingAllocator.sizeClass((2L << 20) + 1));
    assertThrows(IllegalArgumentException.class, () -> CachingAllocator.sizeClass(-1));
  }

  @Test
  void releasedBlocksAreReusedWithoutCallingTheBackend() {
    BudgetBackend backend = new BudgetBackend(1 << 30);
    CachingAllocator<long[]> pool = new CachingAllocator<>(backend);
    for (int step = 0; step < 1000; step++) {
      var x = pool.allocate(4000);
      var y = pool.allocate(100_000);
      pool.release(x);
      pool.release(y);
    }
    assertEquals(2, backend.allocations);
    assertEquals(2, pool.rawAllocations());
    assertEquals(0, pool.bytesInUse());
    assertEquals(4096 + 100_352, pool.bytesCached());
    assertEquals(4096 + 100_352, pool.peakBytesInUse());
  }

  @Test
  void sameClassReturnsTheCachedBlock() {
    CachingAllocator<long[]> pool = new CachingAllocator<>(new BudgetBackend(1 << 20));
    var a = pool.allocate(1000);
    long[] block = a.block();
    pool.release(a);
    assertSame(block, pool.allocate(1024).block());
  }

  @Test
  void outOfMemoryReleasesTheCacheAndRetries() {
    BudgetBackend backend = new BudgetBackend(8L << 20);
    CachingAllocator<long[]> pool = new CachingAllocator<>(backend);
    pool.release(pool.allocate(6L << 20)); // cached, holding 6 of the 8 MiB
    var big = pool.allocate(4L << 20); // needs the cache returned first
    assertEquals(4L << 20, big.capacity());
    assertEquals(1, backend.freed.size());
    assertEquals(0, pool.bytesCached());
  }

  @Test
  void outOfMemoryWithNothingCachedSaysHowMuch() {
    CachingAllocator<long[]> pool = new CachingAllocator<>(new BudgetBackend(1 << 20));
    GpuOutOfMemoryException e = assertThrows(GpuOutOfMemoryException.class, () -> pool.allocate(64L << 20));
    assertTrue(e.getMessage().contains("67,108,864"), e.getMessage());
  }

  @Test
  void doubleReleaseIsAnError() {
    CachingAllocator<long[]> pool = new CachingAllocator<>(new BudgetBackend(1 << 20));
    var a = pool.allocate(10);
    pool.release(a);
    assertThrows(IllegalStateException.class, () -> pool.release(a));
  }

  @Test
  void trimGivesEverythingBack() {
    BudgetBackend backend = new BudgetBackend(1 << 30);
    CachingAllocator<long[]> pool = new CachingAllocator<>(backend);
    pool.release(pool.allocate(10));
    pool.release(pool.allocate(5L << 20));
    pool.trim();
    assertEquals(1 << 30, backend.available);
    assertEquals(0, pool.bytesCached());
  }

  @Test
  void aLimitRefusesWhatWouldPassItAndReleasingMakesRoomAgain() {
    CachingAllocator<long[]> allocator = new CachingAllocator<>(new BudgetBackend(1 << 20));
    allocator.limit(2048);
    CachingAllocator.Lease<long[]> a = allocator.allocate(1024);
    CachingAllocator.Lease<long[]> b = allocator.allocate(1024);
    GpuOutOfMemoryException e = assertThrows(GpuOutOfMemoryException.class, () -> allocator.allocate(512));
    assertTrue(e.getMessage().contains("limit of 2,048 bytes"), e.getMessage());
    allocator.release(a);
    allocator.release(allocator.allocate(1024));
    allocator.limit(0);
    allocator.release(allocator.allocate(4096));
    allocator.release(b);
    assertThrows(IllegalArgumentException.class, () -> allocator.limit(-1));
  }
}
