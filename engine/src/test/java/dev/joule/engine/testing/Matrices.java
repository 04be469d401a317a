package dev.joule.engine.testing;

import java.util.Random;

/** Random inputs and float64 references shared by the engine's numeric tests. */
public final class Matrices {
  private Matrices() {}

  public static float[] gaussian(int count, Random random) {
    float[] x = new float[count];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) random.nextGaussian();
    }
    return x;
  }

  /** Row-major {@code alpha·A·B + beta·C} in float64, the reference for every SGEMM path. */
  public static double[] gemmFloat64(int m, int n, int k, double alpha, float[] a, float[] b, double beta, float[] c) {
    return gemmFloat64(false, false, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
  }

  /**
   * {@code alpha·op(A)·op(B) + beta·C} in float64 by the triple loop, with each matrix row-major
   * at its offset: A stored {@code m×k} ({@code k×m} when {@code transA}), B {@code k×n}
   * ({@code n×k} when {@code transB}), C {@code m×n}.
   */
  public static double[] gemmFloat64(
      boolean transA, boolean transB, int m, int n, int k,
      double alpha, float[] a, int aOff, float[] b, int bOff, double beta, float[] c, int cOff) {
    double[] out = new double[m * n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          double x = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
          double y = transB ? b[bOff + j * k + p] : b[bOff + p * n + j];
          s += x * y;
        }
        out[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * c[cOff + i * n + j]);
      }
    }
    return out;
  }

  /**
   * Largest error relative to the scale a float32 dot product of length {@code k} can reach:
   * |got − want| / (1 + |want|) over all elements.
   */
  public static double maxRelativeError(float[] got, double[] want) {
    double worst = 0;
    for (int i = 0; i < want.length; i++) {
      worst = Math.max(worst, Math.abs(got[i] - want[i]) / (1 + Math.abs(want[i])));
    }
    return worst;
  }
}
