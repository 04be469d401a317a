package dev.joule.engine.cpu;

/**
 * Copies blocks of the operands of {@link CpuSgemm} into the layouts its kernel reads: op(A) as
 * a contiguous row-major block, op(B) as one array per row. Packing undoes transpositions, so the
 * kernel only ever sees {@code op(A)·op(B)}; it costs one pass over the block against
 * {@code MC} (A: {@code NC}) multiply-adds per element packed.
 */
final class SgemmPacking {
  private SgemmPacking() {}

  /**
   * Rows {@code [i0, i0+rows)} × columns {@code [p0, p0+depth)} of {@code op(A)} (an {@code m×k}
   * matrix; stored {@code k×m} when {@code transA}) into {@code out}, row-major with row stride
   * {@code depth}.
   */
  static void packA(boolean transA, float[] a, int aOff, int m, int k, int i0, int rows, int p0, int depth, float[] out) {
    if (!transA) {
      for (int i = 0; i < rows; i++) {
        System.arraycopy(a, aOff + (i0 + i) * k + p0, out, i * depth, depth);
      }
      return;
    }
    // op(A)[i][p] = A[p][i]: walk A row by row so reads are contiguous.
    for (int p = 0; p < depth; p++) {
      int src = aOff + (p0 + p) * m + i0;
      for (int i = 0; i < rows; i++) {
        out[i * depth + p] = a[src + i];
      }
    }
  }

  /**
   * Rows {@code [p0, p0+depth)} × columns {@code [j0, j0+width)} of {@code op(B)} (a {@code k×n}
   * matrix; stored {@code n×k} when {@code transB}) into {@code out[0..depth)}, one row per array.
   */
  static void packB(boolean transB, float[] b, int bOff, int n, int k, int p0, int depth, int j0, int width, float[][] out) {
    if (!transB) {
      for (int p = 0; p < depth; p++) {
        System.arraycopy(b, bOff + (p0 + p) * n + j0, out[p], 0, width);
      }
      return;
    }
    // op(B)[p][j] = B[j][p]: walk B row by row so reads are contiguous.
    for (int j = 0; j < width; j++) {
      int src = bOff + (j0 + j) * k + p0;
      for (int p = 0; p < depth; p++) {
        out[p][j] = b[src + p];
      }
    }
  }
}
