package dev.joule.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.testing.Matrices;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CpuSgemmTest {

  @Test
  void tinyProductByHand() {
    // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50]; then 2·AB + 0.5·C with C = ones
    float[] c = {1, 1, 1, 1};
    CpuSgemm.sgemm(2, 2, 2, 2f, new float[] {1, 2, 3, 4}, new float[] {5, 6, 7, 8}, 0.5f, c);
    assertArrayEquals(new float[] {38.5f, 44.5f, 86.5f, 100.5f}, c, 0f);
  }

  @ParameterizedTest
  @CsvSource({"1,1,1", "1,7,3", "5,1,9", "17,33,65", "64,64,64", "130,70,257", "300,200,100"})
  void matchesFloat64ReferenceOnRandomInputs(int m, int n, int k) {
    Random r = new Random(m * 1_000_003L + n * 1009L + k);
    float[] a = Matrices.gaussian(m * k, r);
    float[] b = Matrices.gaussian(k * n, r);
    float[] c = Matrices.gaussian(m * n, r);
    double[] want = Matrices.gemmFloat64(m, n, k, 0.75, a, b, -1.5, c);
    CpuSgemm.sgemm(m, n, k, 0.75f, a, b, -1.5f, c);
    double err = Matrices.maxRelativeError(c, want);
    assertTrue(err < 1e-5 * Math.sqrt(k) + 1e-6, "max relative error " + err);
  }

  @Test
  void betaZeroIgnoresGarbageInC() {
    float[] c = {Float.NaN};
    CpuSgemm.sgemm(1, 1, 1, 1f, new float[] {2}, new float[] {3}, 0f, c);
    assertArrayEquals(new float[] {6f}, c, 0f);
  }

  @Test
  void shortArraysAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> CpuSgemm.sgemm(2, 2, 2, 1f, new float[3], new float[4], 0f, new float[4]));
  }
}
