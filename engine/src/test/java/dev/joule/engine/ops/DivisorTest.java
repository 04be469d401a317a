package dev.joule.engine.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The multiply-and-shift division of the GPU's broadcast kernel, checked against {@code /}. */
class DivisorTest {
  private static final int MAX = Integer.MAX_VALUE;

  @Test
  void everySmallDivisorDividesEveryDividendNearItsMultiples() {
    for (int d = 1; d <= 4096; d++) {
      Divisor div = Divisor.of(d);
      for (long q : new long[] {0, 1, 2, 3, 7, 1000, MAX / d - 1, MAX / d}) {
        for (long r = -1; r <= 1; r++) {
          long n = q * d + r;
          if (n >= 0 && n <= MAX) {
            assertEquals((int) n / d, div.divide((int) n), n + " / " + d);
          }
        }
      }
    }
  }

  @Test
  void largeAndPowerOfTwoDivisorsOnRandomDividends() {
    Random random = new Random(7);
    int[] divisors = {1 << 30, (1 << 30) + 1, (1 << 30) - 1, MAX, MAX - 1, 1 << 16, 65_537, 500, 250_000, 3 * 5 * 7 * 11 * 13};
    for (int d : divisors) {
      Divisor div = Divisor.of(d);
      assertEquals(MAX / d, div.divide(MAX), "2^31-1 / " + d);
      assertEquals(0, div.divide(0));
      for (int i = 0; i < 20_000; i++) {
        int n = random.nextInt(MAX);
        assertEquals(n / d, div.divide(n), n + " / " + d);
      }
    }
    for (int i = 0; i < 20_000; i++) {
      int d = 1 + random.nextInt(MAX);
      int n = random.nextInt(MAX);
      assertEquals(n / d, Divisor.of(d).divide(n), n + " / " + d);
    }
  }

  @Test
  void refusesANonPositiveDivisor() {
    assertThrows(IllegalArgumentException.class, () -> Divisor.of(0));
    assertThrows(IllegalArgumentException.class, () -> Divisor.of(-3));
  }
}
