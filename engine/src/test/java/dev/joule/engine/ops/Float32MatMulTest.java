package dev.joule.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.Matrices;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * FLOAT32 matrix products (forward and both backward products, plain and batched, and the LSTM's
 * recurrent products) against float64 triple loops. They accumulate in float32, so the tolerance
 * is the float32 dot-product bound used for {@code CpuSgemm}: 1e-5·sqrt(k) relative to
 * 1 + |value|.
 */
class Float32MatMulTest {

  @Test
  void tinyProductIsExactAndStaysFloat32() {
    Tensor y = Ops.matmul(Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3), Tensor.of(new float[] {1, 0, 0, 1, 1, 1}, 3, 2));
    assertEquals(DType.FLOAT32, y.dtype());
    assertArrayEquals(new double[] {4, 5, 10, 11}, y.values(), 0);
  }

  @ParameterizedTest
  @CsvSource({"1,1,1", "3,5,7", "37,150,70", "33,257,257", "100,300,64"})
  void forwardAndGradientsMatchFloat64Reference(int m, int k, int n) {
    Random r = new Random(m * 131L + k * 17L + n);
    float[] a = Matrices.gaussian(m * k, r);
    float[] b = Matrices.gaussian(k * n, r);
    float[] g = Matrices.gaussian(m * n, r);
    Tensor ta = Tensor.of(a, m, k).requiresGrad(true);
    Tensor tb = Tensor.of(b, k, n).requiresGrad(true);
    Tensor y = Ops.matmul(ta, tb);
    assertEquals(DType.FLOAT32, y.dtype());
    assertClose(Matrices.gemmFloat64(false, false, m, n, k, 1, a, 0, b, 0, 0, null, 0), y, k);
    y.backward(Tensor.of(g, m, n));
    // dA = G·Bᵀ (depth n), dB = Aᵀ·G (depth m)
    assertClose(Matrices.gemmFloat64(false, true, m, k, n, 1, g, 0, b, 0, 0, null, 0), ta.grad(), n);
    assertClose(Matrices.gemmFloat64(true, false, k, n, m, 1, a, 0, g, 0, 0, null, 0), tb.grad(), m);
  }

  @Test
  void batchedForwardAndGradientsMatchPerBatchReference() {
    int batch = 3;
    int m = 19;
    int k = 41;
    int n = 260;
    Random r = new Random(9);
    float[] a = Matrices.gaussian(batch * m * k, r);
    float[] b = Matrices.gaussian(batch * k * n, r);
    float[] g = Matrices.gaussian(batch * m * n, r);
    Tensor ta = Tensor.of(a, batch, m, k).requiresGrad(true);
    Tensor tb = Tensor.of(b, batch, k, n).requiresGrad(true);
    Tensor y = Ops.matmul(ta, tb);
    y.backward(Tensor.of(g, batch, m, n));
    double[] want = new double[batch * m * n];
    double[] wantA = new double[batch * m * k];
    double[] wantB = new double[batch * k * n];
    for (int i = 0; i < batch; i++) {
      System.arraycopy(Matrices.gemmFloat64(false, false, m, n, k, 1, a, i * m * k, b, i * k * n, 0, null, 0), 0, want, i * m * n, m * n);
      System.arraycopy(Matrices.gemmFloat64(false, true, m, k, n, 1, g, i * m * n, b, i * k * n, 0, null, 0), 0, wantA, i * m * k, m * k);
      System.arraycopy(Matrices.gemmFloat64(true, false, k, n, m, 1, a, i * m * k, g, i * m * n, 0, null, 0), 0, wantB, i * k * n, k * n);
    }
    assertClose(want, y, k);
    assertClose(wantA, ta.grad(), n);
    assertClose(wantB, tb.grad(), m);
  }

  @Test
  void viewsAndTransposedCopiesAreMultipliedAsTheirValues() {
    // A row view (storage offset), a flattened leading dimension and a transposed copy as operands.
    int rows = 50;
    int k = 33;
    int n = 29;
    Random r = new Random(11);
    float[] whole = Matrices.gaussian(rows * k, r);
    float[] bT = Matrices.gaussian(n * k, r);
    Tensor view = Tensor.of(whole, rows, k).rowsView(7, 40).view(4, 10, k);
    Tensor b = Ops.transpose(Tensor.of(bT, n, k), 0, 1);
    Tensor y = Ops.matmul(view, b);
    assertArrayEquals(new int[] {4, 10, n}, y.shape().dims());
    assertClose(Matrices.gemmFloat64(false, true, 40, n, k, 1, whole, 7 * k, bT, 0, 0, null, 0), y, k);
  }

  @Test
  void float64OperandsKeepTheFloat64Product() {
    // 1 + 2⁻³⁰ is not a float32 value: a float32 product would lose it.
    double tiny = Math.pow(2, -30);
    Tensor a = Tensor.of(new double[] {1 + tiny, 1}, 1, 2);
    Tensor b = Tensor.of(new double[] {1, -1}, 2, 1);
    assertEquals(tiny, Ops.matmul(a, b).item(), 0);
  }

  @Test
  void float32LstmMatchesItsFloat64Twin() {
    int batch = 5;
    int steps = 7;
    int h = 9;
    Random r = new Random(13);
    float[] xp = Matrices.gaussian(batch * steps * 4 * h, r);
    float[] w = Matrices.gaussian(h * 4 * h, r);
    float[] g = Matrices.gaussian(batch * steps * h, r);
    Tensor lengths = Tensor.ofInts(new int[] {7, 3, 5, 7, 1}, batch);
    for (boolean reverse : new boolean[] {false, true}) {
      Tensor x32 = Tensor.of(xp, batch, steps, 4 * h).requiresGrad(true);
      Tensor w32 = Tensor.of(w, h, 4 * h).requiresGrad(true);
      Tensor x64 = x32.to(DType.FLOAT64).detach().requiresGrad(true);
      Tensor w64 = w32.to(DType.FLOAT64).detach().requiresGrad(true);
      Tensor y32 = Ops.lstm(x32, w32, lengths, reverse);
      Tensor y64 = Ops.lstm(x64, w64, lengths, reverse);
      assertEquals(DType.FLOAT32, y32.dtype());
      y32.backward(Tensor.of(g, batch, steps, h));
      y64.backward(Tensor.of(g, batch, steps, h).to(DType.FLOAT64));
      assertClose(y64.values(), y32, h);
      assertClose(x64.grad().values(), x32.grad(), 4 * h);
      assertClose(w64.grad().values(), w32.grad(), batch * steps);
    }
  }

  private static void assertClose(double[] want, Tensor got, int depth) {
    double[] v = got.values();
    assertEquals(want.length, v.length);
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      assertEquals((float) v[i], v[i], 0.0, "element " + i + " is not a float32 value");
      worst = Math.max(worst, Math.abs(v[i] - want[i]) / (1 + Math.abs(want[i])));
    }
    assertTrue(worst < 1e-5 * Math.sqrt(depth), "max relative error " + worst + " at depth " + depth);
  }
}
