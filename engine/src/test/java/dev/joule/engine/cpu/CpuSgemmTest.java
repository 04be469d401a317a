package dev.joule.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
  void tinyTransposedProductsByHand() {
    // A = [1 2; 3 4] stored transposed as [1 3; 2 4]; B = [5 6; 7 8] stored transposed as [5 7; 6 8]
    float[] c = new float[4];
    CpuSgemm.gemm(true, false, 2, 2, 2, 1f, new float[] {1, 3, 2, 4}, 0, new float[] {5, 6, 7, 8}, 0, 0f, c, 0);
    assertArrayEquals(new float[] {19, 22, 43, 50}, c, 0f);
    CpuSgemm.gemm(false, true, 2, 2, 2, 1f, new float[] {1, 2, 3, 4}, 0, new float[] {5, 7, 6, 8}, 0, 0f, c, 0);
    assertArrayEquals(new float[] {19, 22, 43, 50}, c, 0f);
    CpuSgemm.gemm(true, true, 2, 2, 2, 1f, new float[] {1, 3, 2, 4}, 0, new float[] {5, 7, 6, 8}, 0, 0f, c, 0);
    assertArrayEquals(new float[] {19, 22, 43, 50}, c, 0f);
  }

  @Test
  void smallIntegerProductsAreExact() {
    // Integer entries with sums below 2^24 are exact in float32 whatever the summation order, so a
    // product crossing every tile edge (rows 32, columns 256, depth 256) must match exactly.
    int m = 70;
    int n = 300;
    int k = 520;
    Random r = new Random(5);
    float[] a = new float[m * k];
    float[] b = new float[k * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = r.nextInt(7) - 3;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = r.nextInt(7) - 3;
    }
    for (boolean ta : new boolean[] {false, true}) {
      for (boolean tb : new boolean[] {false, true}) {
        double[] want = Matrices.gemmFloat64(ta, tb, m, n, k, 1, a, 0, b, 0, 0, null, 0);
        float[] c = new float[m * n];
        CpuSgemm.gemm(ta, tb, m, n, k, 1f, a, 0, b, 0, 0f, c, 0);
        for (int i = 0; i < want.length; i++) {
          assertEquals(want[i], c[i], 0.0, "transA " + ta + " transB " + tb + " element " + i);
        }
      }
    }
  }

  /**
   * Random Gaussian operands against the float64 triple loop, with transposes, offsets and alpha,
   * beta, on sizes that are odd and that cross the row (32), column (256) and depth (256) tiles.
   * A float32 dot product of length k has a rounding error near 2⁻²⁴·k against results of size
   * about sqrt(k), so the error relative to 1 + |result| grows like 6e-8·sqrt(k); the bound
   * 1e-5·sqrt(k) leaves room for unlucky orders and still fails on any misplaced term (error ~1).
   */
  @ParameterizedTest
  @CsvSource({
    "1,1,1,false,false", "3,5,7,true,false", "5,3,9,false,true", "7,9,5,true,true",
    "31,255,255,false,false", "32,256,256,true,true", "33,257,257,false,true", "33,257,257,true,false",
    "65,513,520,false,false", "4,1300,9,false,true", "1300,4,300,true,false", "100,70,1000,true,true"
  })
  void transposesAndOffsetsMatchFloat64Reference(int m, int n, int k, boolean ta, boolean tb) {
    Random r = new Random(m * 31L + n * 7L + k + (ta ? 1 : 0) + (tb ? 2 : 0));
    float[] a = Matrices.gaussian(m * k + 3, r);
    float[] b = Matrices.gaussian(k * n + 5, r);
    float[] c = Matrices.gaussian(m * n + 4, r);
    double[] want = Matrices.gemmFloat64(ta, tb, m, n, k, 0.5, a, 3, b, 5, 2, c, 2);
    float before = c[1];
    float after = c[2 + m * n];
    CpuSgemm.gemm(ta, tb, m, n, k, 0.5f, a, 3, b, 5, 2f, c, 2);
    assertEquals(before, c[1], 0f, "element before C's offset written");
    assertEquals(after, c[2 + m * n], 0f, "element after C written");
    double err = Matrices.maxRelativeError(java.util.Arrays.copyOfRange(c, 2, 2 + m * n), want);
    assertTrue(err < 1e-5 * Math.sqrt(k), "max relative error " + err);
  }

  @Test
  void emptyDepthGivesBetaTimesC() {
    float[] c = {1, 2, 3, 4, 5, 6};
    CpuSgemm.gemm(false, true, 2, 3, 0, 1f, new float[0], 0, new float[0], 0, 3f, c, 0);
    assertArrayEquals(new float[] {3, 6, 9, 12, 15, 18}, c, 0f);
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
    assertThrows(
        IllegalArgumentException.class,
        () -> CpuSgemm.gemm(false, false, 2, 2, 2, 1f, new float[4], 1, new float[4], 0, 0f, new float[4], 0));
  }
}
