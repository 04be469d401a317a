package dev.joule.cli.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;

/**
 * The JVM's peak heap use between {@link #reset()} and {@link #bytes()}: the sum of every heap
 * pool's peak, as the memory pools report it (an upper bound of the true simultaneous peak, since
 * pools peak at different moments; what a {@code -Xmx} must at least allow).
 */
final class HeapPeak {
  private HeapPeak() {}

  /** Collects garbage first, so that the peak starts from what is live rather than from leftovers. */
  static void reset() {
    System.gc();
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        pool.resetPeakUsage();
      }
    }
  }

  static long bytes() {
    long sum = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
        sum += pool.getPeakUsage().getUsed();
      }
    }
    return sum;
  }
}
