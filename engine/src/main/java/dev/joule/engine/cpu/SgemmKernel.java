package dev.joule.engine.cpu;

/**
 * The inner kernel of {@link CpuSgemm}: {@code tile += aBlock · bRows}, all float32, where
 * {@code aBlock} is a row-major {@code rows×depth} block of op(A), {@code bRows} the
 * {@code depth} packed rows of a slice of op(B) and {@code tile} the {@code rows} rows of the
 * task's block of C.
 *
 * <p>Shaped for C2's superword pass (JDK 17 and later), which turns a loop over columns into SIMD
 * code only in simple forms. Measured on JDK 17 with AVX-512, in GFLOP per CPU-second:
 *
 * <ul>
 *   <li>rows addressed by offsets into one array ({@code t[off + j]}), or several tile rows
 *       updated in one loop (register blocking, as a C kernel would do it): not vectorised, ~10;
 *   <li>one tile row from four B rows, each its own array, {@code t[j] += a0·b0[j] + … +
 *       a3·b3[j]}: vectorised, ~42;
 *   <li>the same from eight B rows: the loop body outgrows C2's unrolling limit
 *       ({@code LoopUnrollLimit}), which superword needs, and falls back to scalar, ~10.
 * </ul>
 *
 * <p>So every row of the packed B slice and of the tile is its own array, and each sweep updates
 * one tile row from four B rows: four multiply-adds per tile element loaded and stored. The four
 * B rows (4 KB at the widest tile) stay in L1 while the sweep runs down all rows of the tile.
 */
final class SgemmKernel {
  /** Rows of B combined per sweep; see the class comment for why not more. */
  private static final int DEPTH_STEP = 4;

  private SgemmKernel() {}

  static void accumulate(float[] aBlock, int rows, int depth, float[][] bRows, float[][] tile, int width) {
    int p = 0;
    for (; p + DEPTH_STEP <= depth; p += DEPTH_STEP) {
      float[] b0 = bRows[p];
      float[] b1 = bRows[p + 1];
      float[] b2 = bRows[p + 2];
      float[] b3 = bRows[p + 3];
      for (int i = 0; i < rows; i++) {
        int at = i * depth + p;
        fourDeep(aBlock[at], b0, aBlock[at + 1], b1, aBlock[at + 2], b2, aBlock[at + 3], b3, tile[i], width);
      }
    }
    for (; p < depth; p++) {
      float[] b = bRows[p];
      for (int i = 0; i < rows; i++) {
        oneDeep(aBlock[i * depth + p], b, tile[i], width);
      }
    }
  }

  /** {@code t += x0·b0 + x1·b1 + x2·b2 + x3·b3} over the first {@code width} columns. */
  private static void fourDeep(float x0, float[] b0, float x1, float[] b1, float x2, float[] b2, float x3, float[] b3, float[] t, int width) {
    for (int j = 0; j < width; j++) {
      t[j] += (x0 * b0[j] + x1 * b1[j]) + (x2 * b2[j] + x3 * b3[j]);
    }
  }

  /** {@code t += x·b} over the first {@code width} columns (the depth remainder). */
  private static void oneDeep(float x, float[] b, float[] t, int width) {
    for (int j = 0; j < width; j++) {
      t[j] += x * b[j];
    }
  }
}
