package dev.joule.decoder.fst;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Native memory is freed: 10,000 iterations that each allocate about 100 KB of OpenFST graphs
 * (a leak would add about 1 GB) keep the process's resident size within a small margin,
 * both with close() and when only the garbage collector releases the objects.
 */
class OpenFstLeakTest {
  private static final int ITERATIONS = 10_000;
  private static final int ARCS = 1000;
  // A quarter of what a leak would add: glibc's arenas and the JVM's own native memory move the
  // resident size by about 100 MB on a busy machine, which a tighter margin read as a leak.
  private static final long MARGIN_KB = 256 * 1024;

  private static final int[] FROM = new int[ARCS];
  private static final int[] TO = new int[ARCS];
  private static final int[] LABEL = new int[ARCS];
  private static final float[] WEIGHT = new float[ARCS];

  static {
    for (int i = 0; i < ARCS; i++) {
      FROM[i] = i;
      TO[i] = i + 1;
      LABEL[i] = 1 + i % 7;
      WEIGHT[i] = 0.5f;
    }
  }

  private static OpenFst chain() {
    OpenFst f = OpenFst.create(Semiring.TROPICAL);
    f.addStates(ARCS + 1);
    f.setStart(0);
    f.setFinal(ARCS, 0f);
    f.addArcs(FROM, LABEL, LABEL, WEIGHT, TO);
    return f;
  }

  private static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new IOException("no VmRSS in /proc/self/status");
  }

  /**
   * Resident size once the cleaner has caught up: collections and pauses until it stops falling
   * (at most 5 s). On a loaded machine the cleaner thread can lag the collector by seconds, and a
   * single short pause then counted graphs about to be freed as growth.
   */
  private static long settledRssKb() throws Exception {
    long least = Long.MAX_VALUE;
    for (int round = 0; round < 20; round++) {
      System.gc();
      Thread.sleep(250);
      long rss = rssKb();
      if (rss >= least && round >= 2) {
        break;
      }
      least = Math.min(least, rss);
    }
    return least;
  }

  @Test
  void closedGraphsDoNotLeak() throws IOException {
    Runnable body = () -> {
      try (OpenFst f = chain(); OpenFst g = f.copy()) {
        g.arcSort(LabelSide.INPUT);
      }
    };
    for (int i = 0; i < 500; i++) {
      body.run();
    }
    long before = rssKb();
    for (int i = 0; i < ITERATIONS; i++) {
      body.run();
    }
    long growth = rssKb() - before;
    assertTrue(growth < MARGIN_KB, "resident size grew by " + growth + " KB");
  }

  @Test
  void unclosedGraphsAreFreedByTheCleaner() throws Exception {
    // Up to a thousand graphs wait for each collection, so warm up with the same pattern:
    // the allocator's high-water mark is reached before measuring.
    for (int i = 0; i < 3000; i++) {
      chain();
      if (i % 1000 == 999) {
        System.gc();
      }
    }
    long before = settledRssKb();
    for (int i = 0; i < ITERATIONS; i++) {
      chain();
      if (i % 1000 == 999) {
        System.gc();
      }
    }
    long growth = settledRssKb() - before;
    assertTrue(growth < MARGIN_KB, "resident size grew by " + growth + " KB");
  }
}
