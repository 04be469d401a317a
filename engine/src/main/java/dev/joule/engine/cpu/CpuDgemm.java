package dev.joule.engine.cpu;

import java.util.stream.IntStream;

/**
 * Row-major float64 GEMM on the CPU, {@code C[m×n] (+)= op(A)·op(B)}, the matrix product behind
 * FLOAT64 tensors (FLOAT32 ones use {@link CpuSgemm}).
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
    // Tasks are (row block, column tile) pairs, so that short-and-wide products (a batch of
    // recurrent states times a weight matrix) still spread over all cores.
    int rowBlocks = (m + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
    int colTiles = Math.max(1, (n + N_TILE - 1) / N_TILE);
    int tasks = rowBlocks * colTiles;
    IntStream range = IntStream.range(0, tasks);
    boolean parallel = (long) m * n * k > 1L << 17 && tasks > 1;
    (parallel ? range.parallel() : range)
        .forEach(
            t -> {
              int i0 = (t / colTiles) * ROWS_PER_TASK;
              int j0 = (t % colTiles) * N_TILE;
              block(i0, Math.min(m, i0 + ROWS_PER_TASK), j0, Math.min(n, j0 + N_TILE), n, k, fa, fao, fb, fbo, c, cOff, accumulate);
            });
  }

  private static void block(
      int i0, int i1, int j0, int j1, int n, int k, double[] a, int ao, double[] b, int bo, double[] c, int co, boolean accumulate) {
    if (!accumulate) {
      for (int i = i0; i < i1; i++) {
        java.util.Arrays.fill(c, co + i * n + j0, co + i * n + j1, 0.0);
      }
    }
    for (int p0 = 0; p0 < k; p0 += K_TILE) {
      int p1 = Math.min(k, p0 + K_TILE);
      int i = i0;
      for (; i + 3 < i1; i += 4) {
        fourRows(co + i * n, ao + i * k, k, n, p0, p1, j0, j1, a, b, bo, c);
      }
      for (; i < i1; i++) {
        oneRow(co + i * n, ao + i * k, n, p0, p1, j0, j1, a, b, bo, c);
      }
    }
  }

  /**
   * Four rows of C against two rows of B at a time: each loaded element of B feeds four
   * multiply-adds and each C element is loaded and stored once per two, which is what makes the
   * loop compute-bound rather than load/store-bound.
   */
  private static void fourRows(int c0, int a0, int k, int n, int p0, int p1, int j0, int j1, double[] a, double[] b, int bo, double[] c) {
    int c1 = c0 + n;
    int c2 = c1 + n;
    int c3 = c2 + n;
    int a1 = a0 + k;
    int a2 = a1 + k;
    int a3 = a2 + k;
    int p = p0;
    for (; p + 1 < p1; p += 2) {
      double x0 = a[a0 + p];
      double y0 = a[a0 + p + 1];
      double x1 = a[a1 + p];
      double y1 = a[a1 + p + 1];
      double x2 = a[a2 + p];
      double y2 = a[a2 + p + 1];
      double x3 = a[a3 + p];
      double y3 = a[a3 + p + 1];
      int u = bo + p * n;
      int v = u + n;
      for (int j = j0; j < j1; j++) {
        double bu = b[u + j];
        double bv = b[v + j];
        c[c0 + j] += x0 * bu + y0 * bv;
        c[c1 + j] += x1 * bu + y1 * bv;
        c[c2 + j] += x2 * bu + y2 * bv;
        c[c3 + j] += x3 * bu + y3 * bv;
      }
    }
    for (; p < p1; p++) {
      double x0 = a[a0 + p];
      double x1 = a[a1 + p];
      double x2 = a[a2 + p];
      double x3 = a[a3 + p];
      int u = bo + p * n;
      for (int j = j0; j < j1; j++) {
        double bu = b[u + j];
        c[c0 + j] += x0 * bu;
        c[c1 + j] += x1 * bu;
        c[c2 + j] += x2 * bu;
        c[c3 + j] += x3 * bu;
      }
    }
  }

  /**
   * One row of C, summed in exactly the order of {@link #fourRows} (pairs of B's rows, then the
   * odd one): a row's result is then the same bits whatever its position and the row count, so a
   * window of rows gives the values of the whole product (streaming recognition relies on it).
   */
  private static void oneRow(int c0, int a0, int n, int p0, int p1, int j0, int j1, double[] a, double[] b, int bo, double[] c) {
    int p = p0;
    for (; p + 1 < p1; p += 2) {
      double x0 = a[a0 + p];
      double y0 = a[a0 + p + 1];
      int u = bo + p * n;
      int v = u + n;
      for (int j = j0; j < j1; j++) {
        c[c0 + j] += x0 * b[u + j] + y0 * b[v + j];
      }
    }
    for (; p < p1; p++) {
      double x0 = a[a0 + p];
      int u = bo + p * n;
      for (int j = j0; j < j1; j++) {
        c[c0 + j] += x0 * b[u + j];
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
