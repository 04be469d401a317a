package dev.joule.engine.ops;

import dev.joule.engine.cpu.CpuDgemm;
import dev.joule.engine.cpu.CpuSgemm;
import dev.joule.engine.tensor.DType;

/**
 * Matrix products of tensor storage in the precision of the result's type: FLOAT32 through
 * {@link CpuSgemm} (float32 multiply-accumulate, as BLAS sgemm and cuBLAS do), FLOAT64 through
 * {@link CpuDgemm} (so that gradient checks by finite differences stay precise).
 *
 * <p>Tensor storage is {@code double[]}; a FLOAT32 tensor holds only float32 values, so narrowing
 * its operands to {@code float[]} is exact, and the float32 result widens back exactly.
 */
final class Gemm {
  private Gemm() {}

  /**
   * {@code C = op(A)·op(B)}, overwriting {@code C}: {@code op(A)} is {@code m×k}, {@code op(B)}
   * is {@code k×n}, each stored contiguous and row-major at its offset (transposed ones as
   * {@code k×m} and {@code n×k}).
   */
  static void product(
      DType type, boolean transA, boolean transB, int m, int n, int k,
      double[] a, int aOff, double[] b, int bOff, double[] c, int cOff) {
    if (type == DType.FLOAT64) {
      CpuDgemm.gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, false);
      return;
    }
    float[] b32 = toFloat32(b, bOff, k * n);
    product32(transA, transB, m, n, k, a, aOff, b32, c, cOff);
  }

  /**
   * The float32 product with {@code B} already narrowed (contiguous from index 0): for a weight
   * matrix used in many products, such as an LSTM's recurrent weights once per time step.
   */
  static void product32(boolean transA, boolean transB, int m, int n, int k, double[] a, int aOff, float[] b32, double[] c, int cOff) {
    float[] a32 = toFloat32(a, aOff, m * k);
    float[] c32 = new float[m * n];
    CpuSgemm.gemm(transA, transB, m, n, k, 1f, a32, 0, b32, 0, 0f, c32, 0);
    for (int i = 0; i < c32.length; i++) {
      c[cOff + i] = c32[i];
    }
  }

  /** {@code count} values from {@code offset}, rounded to float32. */
  static float[] toFloat32(double[] x, int offset, int count) {
    float[] f = new float[count];
    for (int i = 0; i < count; i++) {
      f[i] = (float) x[offset + i];
    }
    return f;
  }
}
