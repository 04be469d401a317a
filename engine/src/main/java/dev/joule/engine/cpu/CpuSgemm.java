package dev.joule.engine.cpu;

import java.util.stream.IntStream;

/**
 * Row-major single-precision GEMM on the CPU: {@code C[m×n] = alpha·op(A)·op(B) + beta·C}, where
 * {@code op(A)} is {@code m×k} and {@code op(B)} is {@code k×n}, each optionally transposed.
 *
 * <p>The CPU twin of {@code Cublas.sgemm}, the product behind FLOAT32 tensors, and the reference
 * the GPU is tested against. Like BLAS sgemm it multiplies and accumulates in float32 (products
 * of length {@code k} carry a relative error growing like {@code sqrt(k)·2⁻²⁴}); FLOAT64 tensors
 * use {@link CpuDgemm}.
 *
 * <p>Blocking, in the manner of a BLAS level-3 kernel:
 *
 * <ul>
 *   <li>{@code C} is cut into tasks of {@link #MC} rows × {@link #NC} columns, run in parallel on
 *       the common fork-join pool (the pool {@link CpuDgemm} uses). Splitting columns as well as
 *       rows keeps both cores busy on short, wide products (a batch of recurrent states times
 *       a gate matrix: 32 × 1280).
 *   <li>Each task accumulates its block in a private float32 tile ({@code MC×NC}, 32 KB) over
 *       slices of {@link #KC} along {@code k}; only at the end is the tile scaled by alpha and
 *       written to {@code C} (with beta·C), so {@code C} is read and written once.
 *   <li>Per k-slice the task packs its {@code MC×KC} block of {@code op(A)} and the
 *       {@code KC×NC} slice of {@code op(B)} (256 KB, resident in L2 while the slice is used);
 *       packing also undoes transpositions ({@link SgemmPacking}). Each row block packs its own
 *       copy of the B slice: one copy per {@code MC} multiply-adds, which keeps tasks
 *       independent.
 *   <li>The micro-kernel ({@link SgemmKernel}) updates one tile row from four packed B rows per
 *       sweep over contiguous columns, a loop C2 turns into SIMD code (AVX-512 where the CPU
 *       has it); there is no Vector API code, so nothing needs {@code --add-modules}.
 * </ul>
 */
public final class CpuSgemm {
  /** Rows of C per task: the height of the float32 tile. */
  static final int MC = 32;
  /** Columns of C per task: the width of the tile and of a packed B panel. */
  static final int NC = 256;
  /** Length of a k-slice: KC×NC floats of B (256 KB) stay in the L2 cache while used. */
  static final int KC = 256;
  /** Below this many multiply-adds a product runs on the calling thread. */
  private static final long PARALLEL_WORK = 1L << 17;

  private CpuSgemm() {}

  /** {@code C = alpha·A·B + beta·C} with contiguous row-major {@code A}, {@code B}, {@code C}. */
  public static void sgemm(int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c) {
    gemm(false, false, m, n, k, alpha, a, 0, b, 0, beta, c, 0);
  }

  /**
   * {@code C = alpha·op(A)·op(B) + beta·C}. Each matrix is contiguous and row-major at its offset:
   * {@code A} is stored {@code m×k} (or {@code k×m} when {@code transA}), {@code B} {@code k×n}
   * (or {@code n×k} when {@code transB}), {@code C} {@code m×n}. With {@code beta == 0} the old
   * contents of {@code C} are ignored, NaN included.
   */
  public static void gemm(
      boolean transA, boolean transB, int m, int n, int k,
      float alpha, float[] a, int aOff, float[] b, int bOff, float beta, float[] c, int cOff) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("negative GEMM dimension");
    }
    requireLength(a, aOff, (long) m * k, "A");
    requireLength(b, bOff, (long) k * n, "B");
    requireLength(c, cOff, (long) m * n, "C");
    if (m == 0 || n == 0) {
      return;
    }
    boolean parallel = (long) m * n * k > PARALLEL_WORK;
    int rowBlocks = (m + MC - 1) / MC;
    int colPanels = (n + NC - 1) / NC;
    IntStream tasks = IntStream.range(0, rowBlocks * colPanels);
    (parallel && rowBlocks * colPanels > 1 ? tasks.parallel() : tasks)
        .forEach(
            t -> {
              int i0 = (t / colPanels) * MC;
              int j0 = (t % colPanels) * NC;
              int rows = Math.min(MC, m - i0);
              int width = Math.min(NC, n - j0);
              float[][] tile = new float[rows][width];
              multiplyBlock(transA, transB, m, n, k, a, aOff, b, bOff, i0, rows, j0, width, tile);
              store(tile, rows, width, alpha, beta, c, cOff + i0 * n + j0, n);
            });
  }

  /** Accumulates rows {@code [i0, i0+rows)} × columns {@code [j0, j0+width)} of op(A)·op(B). */
  private static void multiplyBlock(
      boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, float[] b, int bOff,
      int i0, int rows, int j0, int width, float[][] tile) {
    int slice = Math.min(KC, k);
    float[] aBlock = new float[rows * slice];
    float[][] bRows = new float[slice][width];
    for (int p0 = 0; p0 < k; p0 += KC) {
      int depth = Math.min(KC, k - p0);
      SgemmPacking.packA(transA, a, aOff, m, k, i0, rows, p0, depth, aBlock);
      SgemmPacking.packB(transB, b, bOff, n, k, p0, depth, j0, width, bRows);
      SgemmKernel.accumulate(aBlock, rows, depth, bRows, tile, width);
    }
  }

  /** {@code C = alpha·tile + beta·C} over one block; beta 0 overwrites without reading C. */
  private static void store(float[][] tile, int rows, int width, float alpha, float beta, float[] c, int at, int ldc) {
    for (int i = 0; i < rows; i++) {
      float[] t = tile[i];
      int r = at + i * ldc;
      if (beta == 0f) {
        for (int j = 0; j < width; j++) {
          c[r + j] = alpha * t[j];
        }
      } else {
        for (int j = 0; j < width; j++) {
          c[r + j] = alpha * t[j] + beta * c[r + j];
        }
      }
    }
  }

  private static void requireLength(float[] x, int offset, long needed, String name) {
    if (offset < 0 || x.length - (long) offset < needed) {
      throw new IllegalArgumentException(
          "matrix " + name + " needs " + needed + " floats from offset " + offset + "; has " + x.length);
    }
  }
}
