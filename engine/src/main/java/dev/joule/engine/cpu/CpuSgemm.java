package dev.joule.engine.cpu;

import java.util.stream.IntStream;

/**
 * Row-major single-precision GEMM on the CPU: {@code C[m×n] = alpha·A[m×k]·B[k×n] + beta·C}.
 *
 * <p>The CPU twin of {@code Cublas.sgemm} and the reference the GPU is tested against. Rows of
 * {@code C} are split across threads; within a row the i-k-j loop order streams through
 * {@code B} and {@code C} contiguously, which the JIT vectorises. Accumulates in float32 like
 * cuBLAS; tests compare both against a float64 product.
 */
public final class CpuSgemm {
  /** Rows per parallel task: large enough to amortise scheduling. */
  private static final int ROWS_PER_TASK = 16;

  private CpuSgemm() {}

  public static void sgemm(int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("negative GEMM dimension");
    }
    requireLength(a, (long) m * k, "A");
    requireLength(b, (long) k * n, "B");
    requireLength(c, (long) m * n, "C");
    int tasks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
    boolean parallel = (long) m * n * k > 1L << 18;
    IntStream range = IntStream.range(0, tasks);
    (parallel ? range.parallel() : range)
        .forEach(
            t -> {
              int end = Math.min(m, (t + 1) * ROWS_PER_TASK);
              for (int i = t * ROWS_PER_TASK; i < end; i++) {
                rowTimesMatrix(i, n, k, alpha, a, b, beta, c);
              }
            });
  }

  private static void rowTimesMatrix(int i, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
    int cRow = i * n;
    if (beta == 0f) {
      java.util.Arrays.fill(c, cRow, cRow + n, 0f);
    } else if (beta != 1f) {
      for (int j = 0; j < n; j++) {
        c[cRow + j] *= beta;
      }
    }
    int aRow = i * k;
    for (int p = 0; p < k; p++) {
      float s = alpha * a[aRow + p];
      int bRow = p * n;
      for (int j = 0; j < n; j++) {
        c[cRow + j] += s * b[bRow + j];
      }
    }
  }

  private static void requireLength(float[] x, long needed, String name) {
    if (x.length < needed) {
      throw new IllegalArgumentException("matrix " + name + " needs " + needed + " floats; has " + x.length);
    }
  }
}
