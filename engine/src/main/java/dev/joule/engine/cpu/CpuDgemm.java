package dev.joule.engine.cpu;

import java.util.stream.IntStream;

/**
 * Row-major float64 GEMM on the CPU, {@code C[m×n] (+)= op(A)·op(B)}, the matrix product behind
 * the CPU tensor backend.
 *
 * <p>Transposed operands are first copied into row-major order (O(n²) against the O(n³)
 * product). Rows of {@code C} are split into blocks run in parallel; inside a block the loop
 * order is i-k-j over tiles of {@code B} small enough to stay in cache, so the innermost loop
 * streams through contiguous rows of {@code B} and {@code C}, which the JIT vectorises.
 */
public final class CpuDgemm {
  private static final int ROWS_PER_TASK = 16;
  private static final int K_TILE = 128;
  private static final int N_TILE = 512;

  private CpuDgemm() {}

  /**
   * {@code C = op(A)·op(B)} (or {@code C += ...} when {@code accumulate}); {@code op(A)} is
   * {@code m×k}, {@code op(B)} is {@code k×n}. Offsets locate each matrix in its array.
   */
  public static void gemm(
      boolean transA, boolean transB, int m, int n, int k,
      double[] a, int aOff, double[] b, int bOff, double[] c, int cOff, boolean accumulate) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("negative GEMM dimension");
    }
    double[] aa = a;
    int ao = aOff;
    if (transA) {
      aa = transpose(a, aOff, k, m);
      ao = 0;
    }
    double[] bb = b;
    int bo = bOff;
    if (transB) {
      bb = transpose(b, bOff, n, k);
      bo = 0;
    }
    final double[] fa = aa;
    final double[] fb = bb;
    final int fao = ao;
    final int fbo = bo;
    int tasks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
    IntStream range = IntStream.range(0, tasks);
    boolean parallel = (long) m * n * k > 1L << 17 && tasks > 1;
    (parallel ? range.parallel() : range)
        .forEach(t -> block(t * ROWS_PER_TASK, Math.min(m, (t + 1) * ROWS_PER_TASK), n, k, fa, fao, fb, fbo, c, cOff, accumulate));
  }

  private static void block(
      int i0, int i1, int n, int k, double[] a, int ao, double[] b, int bo, double[] c, int co, boolean accumulate) {
    if (!accumulate) {
      java.util.Arrays.fill(c, co + i0 * n, co + i1 * n, 0.0);
    }
    for (int j0 = 0; j0 < n; j0 += N_TILE) {
      int j1 = Math.min(n, j0 + N_TILE);
      for (int p0 = 0; p0 < k; p0 += K_TILE) {
        int p1 = Math.min(k, p0 + K_TILE);
        for (int i = i0; i < i1; i++) {
          int cRow = co + i * n;
          int aRow = ao + i * k;
          for (int p = p0; p < p1; p++) {
            double s = a[aRow + p];
            int bRow = bo + p * n;
            for (int j = j0; j < j1; j++) {
              c[cRow + j] += s * b[bRow + j];
            }
          }
        }
      }
    }
  }

  /** The transpose of the row-major {@code rows×cols} matrix at {@code off}, as {@code cols×rows}. */
  private static double[] transpose(double[] x, int off, int rows, int cols) {
    double[] t = new double[rows * cols];
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < cols; j++) {
        t[j * rows + i] = x[off + i * cols + j];
      }
    }
    return t;
  }
}
