package dev.joule.engine.gpu;

import jcuda.Pointer;
import jcuda.jcublas.JCublas2;
import jcuda.jcublas.cublasHandle;
import jcuda.jcublas.cublasOperation;
import jcuda.runtime.cudaStream_t;

/** A cuBLAS handle bound to one {@link CudaStream}. Obtain it with {@link CudaStream#cublas()}. */
public final class Cublas {
  private final CudaStream stream;
  private final cublasHandle handle = new cublasHandle();

  Cublas(CudaStream stream) {
    this.stream = stream;
    CublasCompat.ensureLoaded();
    stream.device().makeCurrent();
    CudaCheck.cublas(JCublas2.cublasCreate(handle), "cublasCreate");
    CudaCheck.cublas(JCublas2.cublasSetStream(handle, new cudaStream_t(stream.handle())), "cublasSetStream");
  }

  /**
   * Row-major single-precision GEMM, queued on the stream: {@code C[m×n] = alpha·A[m×k]·B[k×n] +
   * beta·C}. cuBLAS is column-major, so this computes the column-major product
   * {@code Cᵀ = Bᵀ·Aᵀ}, which has the same memory layout as row-major {@code C}.
   */
  public void sgemm(int m, int n, int k, float alpha, DeviceBuffer a, DeviceBuffer b, float beta, DeviceBuffer c) {
    if (m < 0 || n < 0 || k < 0) {
      throw new IllegalArgumentException("negative GEMM dimension");
    }
    requireFloats(a, (long) m * k, "A");
    requireFloats(b, (long) k * n, "B");
    requireFloats(c, (long) m * n, "C");
    stream.device().makeCurrent();
    CudaCheck.cublas(
        JCublas2.cublasSgemm(
            handle,
            cublasOperation.CUBLAS_OP_N,
            cublasOperation.CUBLAS_OP_N,
            n, m, k,
            Pointer.to(new float[] {alpha}),
            b.pointer(), n,
            a.pointer(), k,
            Pointer.to(new float[] {beta}),
            c.pointer(), n),
        "cublasSgemm");
  }

  /**
   * Row-major {@code C = alpha·op(A)·op(B) + beta·C} on sub-matrices that start {@code aOff},
   * {@code bOff}, {@code cOff} floats into their buffers; {@code op(A)} is {@code m×k} (stored
   * {@code k×m} when {@code transA}), {@code op(B)} is {@code k×n} (stored {@code n×k} when
   * {@code transB}). Queued on the stream.
   */
  public void sgemm(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      DeviceBuffer a, long aOff, DeviceBuffer b, long bOff, float beta, DeviceBuffer c, long cOff) {
    if (m < 0 || n < 0 || k < 0 || aOff < 0 || bOff < 0 || cOff < 0) {
      throw new IllegalArgumentException("negative GEMM dimension or offset");
    }
    requireFloats(a, aOff + (long) m * k, "A");
    requireFloats(b, bOff + (long) k * n, "B");
    requireFloats(c, cOff + (long) m * n, "C");
    stream.device().makeCurrent();
    // Column-major view: Cᵀ[n×m] = op(B)ᵀ·op(A)ᵀ, where a row-major matrix is its own transpose.
    CudaCheck.cublas(
        JCublas2.cublasSgemm(
            handle,
            transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
            transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
            n, m, k,
            Pointer.to(new float[] {alpha}),
            b.pointer().withByteOffset(bOff * Float.BYTES), transB ? k : n,
            a.pointer().withByteOffset(aOff * Float.BYTES), transA ? m : k,
            Pointer.to(new float[] {beta}),
            c.pointer().withByteOffset(cOff * Float.BYTES), n),
        "cublasSgemm");
  }

  /**
   * {@code batch} independent row-major products {@code C_i = alpha·op(A_i)·op(B_i) + beta·C_i}
   * in one cuBLAS call, where matrix {@code i} of each operand starts {@code i·stride} floats after
   * its first one ({@code aOff}, {@code bOff}, {@code cOff}); shapes and transposes as in
   * {@link #sgemm(boolean, boolean, int, int, int, float, DeviceBuffer, long, DeviceBuffer, long,
   * float, DeviceBuffer, long)}, whose column-major swap this repeats per matrix. Queued on the
   * stream. Every dimension must be positive (cuBLAS rejects leading dimensions of 0); callers
   * handle empty products themselves.
   */
  public void sgemmStridedBatched(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      DeviceBuffer a, long aOff, long strideA, DeviceBuffer b, long bOff, long strideB, float beta,
      DeviceBuffer c, long cOff, long strideC, int batch) {
    sgemmStridedBatched(transA, transB, m, n, k, alpha, a, aOff, transA ? m : k, strideA, b, bOff, transB ? k : n, strideB,
        beta, c, cOff, n, strideC, batch);
  }

  /**
   * {@link #sgemmStridedBatched(boolean, boolean, int, int, int, float, DeviceBuffer, long, long,
   * DeviceBuffer, long, long, float, DeviceBuffer, long, long, int)} with explicit row strides
   * ({@code lda}, {@code ldb}, {@code ldc}: floats from one stored row to the next), so the
   * matrices can be column blocks of wider rows: one attention head's slice of {@code [B, T, d]}
   * is {@code T} rows of {@code d/heads} columns, {@code d} apart.
   */
  public void sgemmStridedBatched(
      boolean transA, boolean transB, int m, int n, int k, float alpha,
      DeviceBuffer a, long aOff, int lda, long strideA, DeviceBuffer b, long bOff, int ldb, long strideB, float beta,
      DeviceBuffer c, long cOff, int ldc, long strideC, int batch) {
    if (m < 1 || n < 1 || k < 1 || batch < 1) {
      throw new IllegalArgumentException("batched GEMM needs positive dimensions; got m=" + m + ", n=" + n + ", k=" + k
          + ", batch=" + batch);
    }
    if (aOff < 0 || bOff < 0 || cOff < 0 || strideA < 0 || strideB < 0 || strideC < 0) {
      throw new IllegalArgumentException("negative batched GEMM offset or stride");
    }
    int aRows = transA ? k : m;
    int aCols = transA ? m : k;
    int bRows = transB ? n : k;
    int bCols = transB ? k : n;
    if (lda < aCols || ldb < bCols || ldc < n) {
      throw new IllegalArgumentException("batched GEMM row strides " + lda + "/" + ldb + "/" + ldc
          + " are shorter than the rows (" + aCols + "/" + bCols + "/" + n + ")");
    }
    requireFloats(a, aOff + (batch - 1) * strideA + (long) (aRows - 1) * lda + aCols, "A");
    requireFloats(b, bOff + (batch - 1) * strideB + (long) (bRows - 1) * ldb + bCols, "B");
    requireFloats(c, cOff + (batch - 1) * strideC + (long) (m - 1) * ldc + n, "C");
    stream.device().makeCurrent();
    CudaCheck.cublas(
        JCublas2.cublasSgemmStridedBatched(
            handle,
            transB ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
            transA ? cublasOperation.CUBLAS_OP_T : cublasOperation.CUBLAS_OP_N,
            n, m, k,
            Pointer.to(new float[] {alpha}),
            b.pointer().withByteOffset(bOff * Float.BYTES), ldb, strideB,
            a.pointer().withByteOffset(aOff * Float.BYTES), lda, strideA,
            Pointer.to(new float[] {beta}),
            c.pointer().withByteOffset(cOff * Float.BYTES), ldc, strideC,
            batch),
        "cublasSgemmStridedBatched");
  }

  private static void requireFloats(DeviceBuffer buffer, long count, String name) {
    buffer.requireBytes(count * Float.BYTES, "matrix " + name);
  }

  void destroy() {
    CudaCheck.cublas(JCublas2.cublasDestroy(handle), "cublasDestroy");
  }
}
