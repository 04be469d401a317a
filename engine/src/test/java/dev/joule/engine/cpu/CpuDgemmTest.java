package dev.joule.engine.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CpuDgemmTest {

  /** The textbook triple loop on op(A)·op(B). */
  private static double[] reference(boolean ta, boolean tb, int m, int n, int k, double[] a, int ao, double[] b, int bo) {
    double[] c = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          double x = ta ? a[ao + p * m + i] : a[ao + i * k + p];
          double y = tb ? b[bo + j * k + p] : b[bo + p * n + j];
          s += x * y;
        }
        c[i * n + j] = s;
      }
    }
    return c;
  }

  private static double[] gaussian(int n, Random r) {
    double[] x = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextGaussian();
    }
    return x;
  }

  @Test
  void tinyProductByHand() {
    double[] c = {1, 1, 1, 1};
    CpuDgemm.gemm(false, false, 2, 2, 2, new double[] {1, 2, 3, 4}, 0, new double[] {5, 6, 7, 8}, 0, c, 0, true);
    assertArrayEquals(new double[] {20, 23, 44, 51}, c, 0);
  }

  @ParameterizedTest
  @CsvSource({
    "1,1,1,false,false", "5,7,3,true,false", "9,4,11,false,true", "33,65,130,true,true",
    "70,600,257,false,false", "130,70,300,true,false", "4,1300,9,false,true"
  })
  void matchesTripleLoopWithTransposesAndOffsets(int m, int n, int k, boolean ta, boolean tb) {
    Random r = new Random(m * 31L + n * 7L + k);
    double[] a = gaussian(m * k + 3, r);
    double[] b = gaussian(k * n + 5, r);
    double[] want = reference(ta, tb, m, n, k, a, 3, b, 5);
    double[] c = new double[m * n + 2];
    c[0] = 42;
    CpuDgemm.gemm(ta, tb, m, n, k, a, 3, b, 5, c, 2, false);
    assertEquals(42, c[0], 0); // before the offset: untouched
    for (int i = 0; i < want.length; i++) {
      assertEquals(want[i], c[2 + i], 1e-12 * (1 + Math.abs(want[i])) * k, "element " + i);
    }
  }

  @Test
  void aRowGetsTheSameBitsWhateverRowsItIsComputedWith() {
    // Streaming recognition computes the acoustic model on windows of frames and relies on each
    // row of a product being independent of its neighbours: bit for bit, not within rounding.
    Random r = new Random(11);
    int m = 23;
    int n = 9;
    int k = 301; // more than one K tile, and odd
    double[] a = gaussian(m * k, r);
    double[] b = gaussian(k * n, r);
    double[] whole = new double[m * n];
    CpuDgemm.gemm(false, false, m, n, k, a, 0, b, 0, whole, 0, false);
    for (int first = 0; first < m; first++) {
      for (int rows : new int[] {1, 2, 5}) {
        int count = Math.min(rows, m - first);
        double[] part = new double[count * n];
        CpuDgemm.gemm(false, false, count, n, k, a, first * k, b, 0, part, 0, false);
        for (int i = 0; i < part.length; i++) {
          assertEquals(Double.doubleToLongBits(whole[first * n + i]), Double.doubleToLongBits(part[i]),
              "row " + (first + i / n) + " computed with " + count + " rows from " + first);
        }
      }
    }
  }
}
