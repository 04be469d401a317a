package dev.joule.decoder.lm.phone;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PhoneLmEstimatorTest {
  private static final double NO = Double.NEGATIVE_INFINITY;

  @Test
  void tinyCorpusByHand() {
    // Trigram, histories of one symbol always kept, two-symbol histories need a count of 2.
    PhoneLmEstimator e = new PhoneLmEstimator(3, 2, 2);
    e.add(new int[] {1, 2});
    e.add(new int[] {1, 2, 1});
    e.add(new int[] {2});
    PhoneLm lm = e.estimate();
    // Counts: (0):{1:2, 2:1}  (0,1):{2:2}  (1,2):{EOS:1, 1:1}  (2,1):{EOS:1}→(1)  (0,2):{EOS:1}→(2)
    assertEquals(5, lm.numStates());
    assertArrayEquals(new int[] {0}, lm.histories().get(0));
    assertArrayEquals(new int[] {1}, lm.histories().get(1));
    assertArrayEquals(new int[] {2}, lm.histories().get(2));
    assertArrayEquals(new int[] {0, 1}, lm.histories().get(3));
    assertArrayEquals(new int[] {1, 2}, lm.histories().get(4));
    assertEquals(
        List.of(
            new PhoneLm.Arc(0, 1, Math.log(2.0 / 3), 3),
            new PhoneLm.Arc(0, 2, Math.log(1.0 / 3), 2),
            new PhoneLm.Arc(3, 2, 0.0, 4),
            new PhoneLm.Arc(4, 1, Math.log(0.5), 1)),
        lm.arcs());
    assertArrayEquals(new double[] {NO, 0, 0, NO, Math.log(0.5)}, lm.finalLogProb(), 1e-12);
    assertEquals(2, lm.lastPhone(4));
    assertEquals(0, lm.lastPhone(0));
  }

  @Test
  void everyStateIsNormalisedOnARandomCorpus() {
    Random r = new Random(5);
    PhoneLmEstimator e = new PhoneLmEstimator(4, 3, 5);
    for (int i = 0; i < 2000; i++) {
      int[] s = new int[1 + r.nextInt(12)];
      for (int j = 0; j < s.length; j++) {
        s[j] = 1 + (int) Math.min(9, Math.abs(r.nextGaussian() * 3));
      }
      e.add(s);
    }
    PhoneLm lm = e.estimate();
    double[] total = new double[lm.numStates()];
    for (int s = 0; s < lm.numStates(); s++) {
      total[s] = Math.exp(lm.finalLogProb()[s]);
    }
    for (PhoneLm.Arc a : lm.arcs()) {
      total[a.from()] += Math.exp(a.logProb());
      int[] to = lm.histories().get(a.to());
      assertEquals(a.phone(), to[to.length - 1], "an arc on phone p must lead to a history ending in p");
    }
    for (int s = 0; s < lm.numStates(); s++) {
      assertEquals(1.0, total[s], 1e-12, "state " + s);
    }
  }

  @Test
  void invalidInputIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> new PhoneLmEstimator(4, 5, 1));
    assertThrows(IllegalArgumentException.class, () -> new PhoneLmEstimator(1, 1, 1));
    PhoneLmEstimator e = new PhoneLmEstimator(3, 2, 1);
    assertThrows(IllegalArgumentException.class, () -> e.add(new int[] {1, 0, 2}));
  }
}
