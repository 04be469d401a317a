package dev.joule.engine.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.Matrices;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Forward values: tiny cases worked by hand, random cases against plain float64 loops. */
class OpsValuesTest {
  private static double[] d(double... v) {
    return v;
  }

  /** Every head's scores and context, against the sums written out element by element. */
  @Test
  void attentionProductsAreThePerHeadSums() {
    Random random = new Random(41);
    int b = 2;
    int t = 3;
    int heads = 2;
    int dk = 3;
    int d = heads * dk;
    double[] q = Tensor.randn(random, DType.FLOAT64, 1, b, t, d).toDoubleArray();
    double[] k = Tensor.randn(random, DType.FLOAT64, 1, b, t, d).toDoubleArray();
    double[] w = Tensor.randn(random, DType.FLOAT64, 1, b, heads, t, t).toDoubleArray();
    double[] scores = Ops.headScores(Tensor.of(q, b, t, d), Tensor.of(k, b, t, d), heads).toDoubleArray();
    double[] context = Ops.headContext(Tensor.of(w, b, heads, t, t), Tensor.of(k, b, t, d), heads).toDoubleArray();
    for (int n = 0; n < b; n++) {
      for (int h = 0; h < heads; h++) {
        for (int i = 0; i < t; i++) {
          for (int j = 0; j < t; j++) {
            double want = 0;
            for (int c = 0; c < dk; c++) {
              want += q[(n * t + i) * d + h * dk + c] * k[(n * t + j) * d + h * dk + c];
            }
            assertEquals(want, scores[((n * heads + h) * t + i) * t + j], 1e-12);
          }
          for (int c = 0; c < dk; c++) {
            double want = 0;
            for (int j = 0; j < t; j++) {
              want += w[((n * heads + h) * t + i) * t + j] * k[(n * t + j) * d + h * dk + c];
            }
            assertEquals(want, context[(n * t + i) * d + h * dk + c], 1e-12);
          }
        }
      }
    }
    assertThrows(ShapeMismatchException.class, () -> Ops.headScores(Tensor.of(q, b, t, d), Tensor.of(q, b, t, d), 4));
    Tensor qt = Tensor.of(q, b, t, d);
    Tensor kt = Tensor.of(k, b, t, d);
    assertArrayEquals(Ops.headScores(Ops.scale(qt, 0.3), kt, heads).values(), Ops.headScores(qt, kt, heads, 0.3).values(), 0);
    assertThrows(ShapeMismatchException.class,
        () -> Ops.headContext(Tensor.of(w, b, heads, t, t), Tensor.of(k, b, t, d), 3));
  }

  @Test
  void broadcastingArithmeticByHand() {
    Tensor a = Tensor.of(d(1, 2, 3, 4, 5, 6), 2, 3);
    Tensor row = Tensor.of(d(10, 20, 30), 3);
    Tensor col = Tensor.of(d(100, 200), 2, 1);
    assertArrayEquals(d(11, 22, 33, 14, 25, 36), Ops.add(a, row).values(), 0);
    assertArrayEquals(d(99, 98, 97, 196, 195, 194), Ops.sub(col, a).values(), 0);
    assertArrayEquals(d(100, 200, 300, 800, 1000, 1200), Ops.mul(a, col).values(), 0);
    assertArrayEquals(d(0.1, 0.1, 0.1, 0.4, 0.25, 0.2), Ops.div(a, row).values(), 1e-15);
  }

  @Test
  void shapeMismatchNamesBothShapes() {
    Tensor a = Tensor.zeros(2, 3);
    Tensor b = Tensor.zeros(4, 5);
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> Ops.matmul(a, b));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4, 5]"), e.getMessage());
    e = assertThrows(ShapeMismatchException.class, () -> Ops.add(a, Tensor.zeros(2, 4)));
    assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[2, 4]"), e.getMessage());
    assertThrows(ShapeMismatchException.class, () -> Ops.concat(List.of(a, Tensor.zeros(3, 2)), 0));
    assertThrows(ShapeMismatchException.class, () -> Ops.reshape(a, 4, 2));
    assertThrows(ShapeMismatchException.class, () -> Ops.conv1d(Tensor.zeros(1, 5, 3), Tensor.zeros(2, 4, 1), null, 1, 1, 0, 0));
    e = assertThrows(ShapeMismatchException.class, () -> Ops.linear(a, Tensor.zeros(3, 5), Tensor.zeros(4)));
    assertTrue(e.getMessage().contains("[3, 5]") && e.getMessage().contains("[4]"), e.getMessage());
    assertThrows(ShapeMismatchException.class, () -> Ops.linear(a, b, Tensor.zeros(5)));
  }

  @Test
  void softmaxDropoutIsDropoutOfTheSoftmaxWithTheSameDraw() {
    Tensor x = Tensor.randn(new Random(8), DType.FLOAT32, 1, 2, 5, 12);
    Random a = new Random(9);
    Random b = new Random(9);
    assertArrayEquals(Ops.dropout(Ops.softmax(x, -1), 0.4, a).values(), Ops.softmaxDropout(x, -1, 0.4, b).values(), 0);
    assertEquals(a.nextLong(), b.nextLong(), "both draw one key");
    assertArrayEquals(Ops.softmax(x, -1).values(), Ops.softmaxDropout(x, -1, 0, new Random(1)).values(), 0);
    assertThrows(IllegalArgumentException.class, () -> Ops.softmaxDropout(x, -1, 1, new Random(1)));
  }

  @Test
  void residualDropoutIsTheResidualOfDropoutWithTheSameDraw() {
    Tensor x = Tensor.randn(new Random(10), DType.FLOAT32, 1, 3, 11);
    Tensor f = Tensor.randn(new Random(11), DType.FLOAT32, 1, 3, 11);
    Random a = new Random(12);
    Random b = new Random(12);
    assertArrayEquals(Ops.add(x, Ops.scale(Ops.dropout(f, 0.3, a), 0.5)).values(), Ops.residualDropout(x, f, 0.5, 0.3, b).values(), 0);
    assertEquals(a.nextLong(), b.nextLong(), "both draw one key");
    assertArrayEquals(Ops.add(x, f).values(), Ops.residualDropout(x, f, 1, 0, new Random(1)).values(), 0);
    assertThrows(IllegalArgumentException.class, () -> Ops.residualDropout(x, f, 1, 1, new Random(1)));
    Tensor bias = Tensor.randn(new Random(13), DType.FLOAT32, 1, 11);
    assertArrayEquals(Ops.add(x, Ops.dropout(Ops.biasAdd(f, bias), 0.3, new Random(14))).values(),
        Ops.residualDropout(x, f, bias, 1, 0.3, new Random(14)).values(), 0);
  }

  @Test
  void activationsWithABiasAreTheActivationsOfTheBiasAdd() {
    Tensor z = Tensor.randn(new Random(15), DType.FLOAT32, 1, 3, 8);
    Tensor bias = Tensor.randn(new Random(16), DType.FLOAT32, 1, 8);
    assertArrayEquals(Ops.silu(Ops.biasAdd(z, bias)).values(), Ops.siluWithBias(z, bias).values(), 0);
    assertArrayEquals(Ops.glu(Ops.biasAdd(z, bias), -1).values(), Ops.gluWithBias(z, bias).values(), 0);
    Random a = new Random(18);
    Random b = new Random(18);
    assertArrayEquals(Ops.dropout(Ops.siluWithBias(z, bias), 0.5, a).values(), Ops.siluWithBiasDropout(z, bias, 0.5, b).values(), 0);
    assertEquals(a.nextLong(), b.nextLong(), "both draw one key");
    assertThrows(ShapeMismatchException.class, () -> Ops.siluWithBias(z, Tensor.randn(new Random(17), DType.FLOAT32, 1, 7)));
  }

  @Test
  void linearIsTheProductPlusTheBias() {
    Tensor x = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
    Tensor w = Tensor.of(new double[] {1, 0, 0, 1, 1, 1}, 3, 2);
    Tensor bias = Tensor.of(new double[] {10, 20}, 2);
    assertArrayEquals(d(14, 25, 20, 31), Ops.linear(x, w, bias).values(), 0);
    assertArrayEquals(d(4, 5, 10, 11), Ops.linear(x, w, null).values(), 0);
  }

  @Test
  void matmulMatchesFloat64Reference() {
    Random r = new Random(3);
    int m = 37;
    int k = 150;
    int n = 70;
    float[] a = Matrices.gaussian(m * k, r);
    float[] b = Matrices.gaussian(k * n, r);
    double[] want = Matrices.gemmFloat64(m, n, k, 1, a, b, 0, new float[m * n]);
    Tensor got = Ops.matmul(Tensor.of(a, m, k).to(DType.FLOAT64), Tensor.of(b, k, n).to(DType.FLOAT64));
    assertArrayEquals(want, got.values(), 1e-10);
    // batched: each batch is its own product; FLOAT32 accumulates in float32 (as sgemm does)
    Tensor ab = Ops.matmul(Tensor.of(a, 1, m, k), Tensor.of(b, 1, k, n));
    assertEquals(DType.FLOAT32, ab.dtype());
    assertTrue(Matrices.maxRelativeError(ab.toFloatArray(), want) < 1e-5 * Math.sqrt(k));
  }

  @Test
  void reductionsByHand() {
    Tensor x = Tensor.of(d(1, 5, 3, 4, 2, 6), 2, 3);
    assertEquals(21, Ops.sum(x).item(), 0);
    assertArrayEquals(d(9, 12), Ops.sum(x, 1, false).values(), 0);
    assertArrayEquals(d(2.5, 3.5, 4.5), Ops.mean(x, 0, false).values(), 0);
    assertArrayEquals(d(5, 6), Ops.max(x, -1, false).values(), 0);
    assertArrayEquals(new int[] {2, 1}, Ops.max(x, 1, true).shape().dims());
  }

  @Test
  void softmaxIsStableForHugeInputs() {
    Tensor x = Tensor.of(d(1000, 1001, 1002, -1000, 0, 1e30), 2, 3);
    double[] ls = Ops.logSoftmax(x, 1).values();
    double z = Math.log(1 + Math.exp(-1) + Math.exp(-2));
    assertArrayEquals(d(-2 - z, -1 - z, -z), java.util.Arrays.copyOf(ls, 3), 1e-12);
    assertEquals(0, ls[5], 0);
    for (double v : Ops.softmax(x, 1).values()) {
      assertTrue(Double.isFinite(v));
    }
    assertEquals(1002 + z, Ops.logSumExp(x, 1).values()[0], 1e-12);
    // a fully masked row gives probability 0, not NaN
    Tensor masked = Tensor.of(d(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY), 1, 2);
    assertArrayEquals(d(0, 0), Ops.softmax(masked, 1).values(), 0);
    assertArrayEquals(d(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY), Ops.logSoftmax(masked, 1).values(), 0);
    // a partly masked row ignores its -inf entries
    Tensor partly = Tensor.of(d(Double.NEGATIVE_INFINITY, 0, 0), 1, 3);
    assertArrayEquals(d(0, 0.5, 0.5), Ops.softmax(partly, 1).values(), 1e-15);
  }

  @Test
  void activationsByHand() {
    Tensor x = Tensor.of(d(-800, -1, 0, 2), 4);
    assertArrayEquals(d(0, 0, 0, 2), Ops.relu(x).values(), 0);
    double[] s = Ops.sigmoid(x).values();
    assertEquals(0, s[0], 1e-300);
    assertEquals(0.5, s[2], 0);
    assertEquals(1 / (1 + Math.exp(1)), s[1], 1e-15);
    assertEquals(2 / (1 + Math.exp(-2)), Ops.silu(x).values()[3], 1e-15);
    // glu([a, b]) = a·σ(b)
    assertEquals(3 * 0.5, Ops.glu(Tensor.of(d(3, 0), 2), 0).item(), 0);
  }

  @Test
  void layoutByHand() {
    Tensor x = Tensor.of(d(1, 2, 3, 4, 5, 6), 2, 3);
    assertArrayEquals(d(1, 4, 2, 5, 3, 6), Ops.transpose(x, 0, 1).values(), 0);
    assertArrayEquals(d(2, 3, 5, 6), Ops.narrow(x, 1, 1, 2).values(), 0);
    assertArrayEquals(d(4, 5, 6), Ops.narrow(x, 0, 1, 1).values(), 0);
    assertArrayEquals(d(1, 2, 3, 4, 5, 6, 1, 2, 3, 4, 5, 6), Ops.concat(List.of(x, x), 0).values(), 0);
    assertArrayEquals(d(1, 2, 3, 1, 2, 3, 4, 5, 6, 4, 5, 6), Ops.concat(List.of(x, x), 1).values(), 0);
    assertArrayEquals(new int[] {2, 2, 3}, Ops.stack(List.of(x, x), 1).shape().dims());
    // reshape and first-dimension narrow share storage
    assertTrue(Ops.reshape(x, 3, 2).buffer() == x.buffer());
    assertTrue(Ops.narrow(x, 0, 1, 1).buffer() == x.buffer());
  }

  @Test
  void embeddingByHand() {
    Tensor table = Tensor.of(d(0, 0, 1, 1, 2, 2), 3, 2);
    Tensor out = Ops.embedding(table, Tensor.ofInts(new int[] {2, 1}, 2));
    assertArrayEquals(d(2, 2, 1, 1), out.values(), 0);
    assertThrows(IndexOutOfBoundsException.class, () -> Ops.embedding(table, Tensor.ofInts(new int[] {3}, 1)));
  }

  @Test
  void stackingSubsamplesFrames() {
    // frames 0..6 of one channel; stack 3 with stride 2 → [0,1,2], [2,3,4], [4,5,6]
    Tensor x = Tensor.of(d(0, 1, 2, 3, 4, 5, 6), 1, 7, 1);
    Tensor y = Ops.stackFrames(x, 3, 2);
    assertArrayEquals(new int[] {1, 3, 3}, y.shape().dims());
    assertArrayEquals(d(0, 1, 2, 2, 3, 4, 4, 5, 6), y.values(), 0);
  }

  @Test
  void dilatedConvolutionMatchesDirectSum() {
    Random r = new Random(11);
    int b = 2;
    int t = 12;
    int cin = 3;
    int cout = 4;
    int k = 3;
    int stride = 2;
    int dil = 2;
    int pad = 1;
    Tensor x = Tensor.randn(r, DType.FLOAT64, 1, b, t, cin);
    Tensor w = Tensor.randn(r, DType.FLOAT64, 1, k, cin, cout);
    Tensor bias = Tensor.randn(r, DType.FLOAT64, 1, cout);
    Tensor y = Ops.conv1d(x, w, bias, stride, dil, pad, pad);
    int tOut = (t + 2 * pad - dil * (k - 1) - 1) / stride + 1;
    assertArrayEquals(new int[] {b, tOut, cout}, y.shape().dims());
    for (int n = 0; n < b; n++) {
      for (int o = 0; o < tOut; o++) {
        for (int co = 0; co < cout; co++) {
          double want = bias.get(co);
          for (int kk = 0; kk < k; kk++) {
            int src = o * stride + kk * dil - pad;
            if (src < 0 || src >= t) {
              continue;
            }
            for (int ci = 0; ci < cin; ci++) {
              want += x.get(n, src, ci) * w.get(kk, ci, co);
            }
          }
          assertEquals(want, y.get(n, o, co), 1e-12);
        }
      }
    }
    Tensor dw = Tensor.randn(r, DType.FLOAT64, 1, k, cin);
    Tensor yd = Ops.depthwiseConv1d(x, dw, null, 1, dil, 2, 2);
    for (int c = 0; c < cin; c++) {
      double want = 0;
      for (int kk = 0; kk < k; kk++) {
        int src = 5 + kk * dil - 2;
        want += x.get(1, src, c) * dw.get(kk, c);
      }
      assertEquals(want, yd.get(1, 5, c), 1e-12);
    }
  }

  @Test
  void maskingByLengths() {
    Tensor x = Tensor.ones(2, 3, 1);
    Tensor y = Ops.maskByLengths(x, Tensor.ofInts(new int[] {1, 3}, 2));
    assertArrayEquals(d(1, 0, 0, 1, 1, 1), y.values(), 0);
    assertThrows(IllegalArgumentException.class, () -> Ops.maskByLengths(x, Tensor.ofInts(new int[] {4, 1}, 2)));
    double[] bias = Ops.attentionBias(Tensor.ofInts(new int[] {2}, 1), 3, DType.FLOAT32).values();
    assertArrayEquals(d(0, 0, Double.NEGATIVE_INFINITY), bias, 0);
  }

  /** A batch without padding lets layers skip their masks; lengths of another batch are refused. */
  @Test
  void noPaddingOnlyWhenEverySequenceFillsTheBatch() {
    Tensor x = Tensor.ones(2, 3, 4);
    assertTrue(Ops.noPadding(Tensor.ofInts(new int[] {3, 3}, 2), x));
    assertFalse(Ops.noPadding(Tensor.ofInts(new int[] {3, 2}, 2), x));
    assertThrows(ShapeMismatchException.class, () -> Ops.noPadding(Tensor.ofInts(new int[] {3, 3, 3}, 3), x));
    assertThrows(IllegalArgumentException.class, () -> Ops.noPadding(Tensor.ofInts(new int[] {3, 4}, 2), x));
  }

  @Test
  void dropoutIsSeededAndScaled() {
    Tensor x = Tensor.ones(1000);
    double[] a = Ops.dropout(x, 0.25, new Random(9)).values();
    double[] b = Ops.dropout(x, 0.25, new Random(9)).values();
    assertArrayEquals(a, b, 0);
    int zeros = 0;
    for (double v : a) {
      assertTrue(v == 0 || Math.abs(v - 4.0 / 3) < 1e-6);
      zeros += v == 0 ? 1 : 0;
    }
    assertTrue(zeros > 200 && zeros < 300, "zeros " + zeros);
  }

  @Test
  void layerNormByHand() {
    Tensor x = Tensor.of(d(1, 3), 1, 2);
    Tensor y = Ops.layerNorm(x, Tensor.of(d(1, 1), 2), Tensor.of(d(0, 0), 2), 0);
    assertArrayEquals(d(-1, 1), y.values(), 1e-12);
  }

  @Test
  void float32ResultsHoldFloat32Values() {
    Tensor x = Tensor.of(new float[] {1f / 3}, 1);
    double v = Ops.scale(x, 1.0 / 7).item();
    assertEquals((float) v, v, 0);
  }
  /** In place, rounded to the target's float32, and only on one shape. */
  @Test
  void axpbyUpdatesInPlace() {
    Tensor y = Tensor.of(new double[] {1, 2, 3}, 3).to(DType.FLOAT32);
    Ops.axpby(0.1, Tensor.of(new double[] {10, 20, 30}, 3), 0.9, y);
    assertArrayEquals(new double[] {(float) 1.9, (float) 3.8, (float) 5.7}, y.values(), 0);
    assertThrows(ShapeMismatchException.class, () -> Ops.axpby(1, Tensor.zeros(DType.FLOAT32, 2), 1, y));
  }
}
