package dev.joule.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The counter-based dropout rule that the CPU and the GPU kernel share. */
class DropoutMaskTest {
  @Test
  void dropsTheRequestedShareIndependentlyOfPosition() {
    for (double p : new double[] {0.1, 0.5, 0.9}) {
      double[] m = DropoutMask.values(12345L, 200_000, p);
      int dropped = 0;
      int droppedInFirstHalf = 0;
      int runs = 0;
      for (int i = 0; i < m.length; i++) {
        if (m[i] == 0) {
          dropped++;
          droppedInFirstHalf += i < m.length / 2 ? 1 : 0;
        } else {
          assertEquals(1 / (1 - p), m[i]);
        }
        runs += i > 0 && (m[i] == 0) != (m[i - 1] == 0) ? 1 : 0;
      }
      double sd = Math.sqrt(m.length * p * (1 - p));
      assertEquals(p * m.length, dropped, 5 * sd, "dropped share for p=" + p);
      assertEquals(dropped / 2.0, droppedInFirstHalf, 5 * Math.sqrt(dropped / 4.0), "no drift along the tensor");
      // Independent draws switch between kept and dropped 2p(1−p) of the time.
      assertEquals(2 * p * (1 - p) * m.length, runs, 5 * Math.sqrt(m.length), "switches for p=" + p);
    }
  }

  @Test
  void theMaskIsAFunctionOfTheKey() {
    assertArrayEquals(DropoutMask.values(7, 1000, 0.3), DropoutMask.values(7, 1000, 0.3));
    assertFalse(java.util.Arrays.equals(DropoutMask.values(7, 1000, 0.3), DropoutMask.values(8, 1000, 0.3)));
  }

  /** The kernel computes in unsigned 32-bit arithmetic; Java's wrapping signed arithmetic must agree bit for bit. */
  @Test
  void mixMatchesUnsignedArithmetic() {
    long mask = 0xFFFFFFFFL;
    java.util.Random r = new java.util.Random(3);
    for (int k = 0; k < 1000; k++) {
      int z = r.nextInt();
      long u = z & 0xFFFFFFFFL;
      u ^= u >>> 16;
      u = (u * 0x7FEB352DL) & mask; // the low 32 bits survive the 64-bit wrap
      u ^= u >>> 15;
      u = (u * 0x846CA68BL) & mask;
      u ^= u >>> 16;
      assertEquals(u, DropoutMask.mix(z) & 0xFFFFFFFFL);
    }
    assertEquals(1L << 31, DropoutMask.threshold(0.5));
  }

  /** Keys that differ only in their high half, and indices past 2^32, still change the mask. */
  @Test
  void everyBitOfKeyAndIndexCounts() {
    long threshold = DropoutMask.threshold(0.5);
    int differ = 0;
    int differPastTwoToThe32 = 0;
    for (int i = 0; i < 1000; i++) {
      differ += DropoutMask.keeps(5L, i, threshold) != DropoutMask.keeps(5L | (1L << 40), i, threshold) ? 1 : 0;
      differPastTwoToThe32 += DropoutMask.keeps(5L, i, threshold) != DropoutMask.keeps(5L, i + (1L << 32), threshold) ? 1 : 0;
    }
    assertEquals(500, differ, 80);
    assertEquals(500, differPastTwoToThe32, 80);
  }
}
