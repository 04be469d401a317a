package dev.joule.frontend.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DitherTest {
  @Test
  void inverseNormalCdfMatchesTabulatedQuantiles() {
    assertEquals(0.0, Dither.inverseNormalCdf(0.5), 1e-12);
    assertEquals(1.959963984540054, Dither.inverseNormalCdf(0.975), 1e-8);
    assertEquals(-2.326347874040841, Dither.inverseNormalCdf(0.01), 1e-8);
    assertEquals(-4.264890793922825, Dither.inverseNormalCdf(1e-5), 1e-7);
    assertEquals(-Dither.inverseNormalCdf(0.3), Dither.inverseNormalCdf(0.7), 1e-9);
  }

  @Test
  void noiseHasUnitVarianceAndDependsOnlyOnSeedAndFrame() {
    double sum = 0;
    double sq = 0;
    int n = 0;
    for (int f = 0; f < 500; f++) {
      for (double v : Dither.noise(400, 2.0, 42, f)) {
        sum += v;
        sq += v * v;
        n++;
      }
    }
    assertEquals(0, sum / n, 0.02);
    assertEquals(4.0, sq / n, 0.05); // scale 2 → variance 4
    assertArrayEquals(Dither.noise(401, 1, 7, 3), Dither.noise(401, 1, 7, 3));
    assertFalse(Arrays.equals(Dither.noise(400, 1, 7, 3), Dither.noise(400, 1, 7, 4)));
    assertFalse(Arrays.equals(Dither.noise(400, 1, 7, 3), Dither.noise(400, 1, 8, 3)));
  }
}
