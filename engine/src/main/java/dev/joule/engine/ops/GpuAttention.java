package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOperands.buffer;

import dev.joule.engine.autograd.Autograd;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;

/**
 * {@link Attention}'s products on cuBLAS without moving heads around: head {@code h} of a
 * {@code [B, T, d]} activation is the matrix of {@code T} rows and {@code dk} columns starting
 * at column {@code h·dk}, rows {@code d} apart, batch entries {@code T·d} apart; head {@code h} of
 * {@code [B, heads, T, T]} weights starts at {@code h·T·T}, batch entries {@code heads·T·T} apart.
 * Each product is one strided-batched SGEMM per head over the batch, and so is each gradient;
 * heads write disjoint column blocks, so nothing is accumulated.
 */
final class GpuAttention {
  private GpuAttention() {}

  /**
   * {@code q, k [B, T, heads·dk]} → {@code scale·q·kᵀ}, {@code [B, heads, T, T]}: the scale rides
   * in the SGEMMs' alpha, forward and backward, so it costs no pass of its own.
   */
  static Tensor scores(GpuTensors gpu, Tensor q, Tensor k, int heads, float scale) {
    Layout l = new Layout(q, heads);
    Tensor s = GpuOperands.allocate(gpu, Shape.of(l.b, heads, l.t, l.t), DType.FLOAT32);
    for (int h = 0; h < heads; h++) {
      l.gemm(gpu, false, true, l.t, l.t, l.dk, scale, q, l.head(h), l.d, l.rowsStride(), k, l.head(h), l.d,
          l.rowsStride(), s, l.weights(h), l.t, l.weightsStride());
    }
    return Autograd.record(
        s,
        "headScores",
        g -> {
          Tensor gs = GpuOperands.packed(GpuOperands.gradient(gpu, g));
          Tensor dq = null;
          Tensor dk = null;
          if (q.requiresGrad()) {
            dq = GpuOperands.allocate(gpu, q.shape(), DType.FLOAT32);
            for (int h = 0; h < heads; h++) { // dq_h = scale·g_h · k_h
              l.gemm(gpu, false, false, l.t, l.dk, l.t, scale, gs, l.weights(h), l.t, l.weightsStride(), k, l.head(h),
                  l.d, l.rowsStride(), dq, l.head(h), l.d, l.rowsStride());
            }
          }
          if (k.requiresGrad()) {
            dk = GpuOperands.allocate(gpu, k.shape(), DType.FLOAT32);
            for (int h = 0; h < heads; h++) { // dk_h = scale·g_hᵀ · q_h
              l.gemm(gpu, true, false, l.t, l.dk, l.t, scale, gs, l.weights(h), l.t, l.weightsStride(), q, l.head(h),
                  l.d, l.rowsStride(), dk, l.head(h), l.d, l.rowsStride());
            }
          }
          return new Tensor[] {dq, dk};
        },
        q,
        k);
  }

  /** {@code w [B, heads, T, T]}, {@code v [B, T, heads·dk]} → {@code [B, T, heads·dk]}. */
  static Tensor context(GpuTensors gpu, Tensor w, Tensor v, int heads) {
    Layout l = new Layout(v, heads);
    Tensor c = GpuOperands.allocate(gpu, v.shape(), DType.FLOAT32);
    for (int h = 0; h < heads; h++) {
      l.gemm(gpu, false, false, l.t, l.dk, l.t, 1f, w, l.weights(h), l.t, l.weightsStride(), v, l.head(h), l.d,
          l.rowsStride(), c, l.head(h), l.d, l.rowsStride());
    }
    return Autograd.record(
        c,
        "headContext",
        g -> {
          Tensor gc = GpuOperands.packed(GpuOperands.gradient(gpu, g));
          Tensor dw = null;
          Tensor dv = null;
          if (w.requiresGrad()) {
            dw = GpuOperands.allocate(gpu, w.shape(), DType.FLOAT32);
            for (int h = 0; h < heads; h++) { // dw_h = g_h · v_hᵀ
              l.gemm(gpu, false, true, l.t, l.t, l.dk, 1f, gc, l.head(h), l.d, l.rowsStride(), v, l.head(h), l.d,
                  l.rowsStride(), dw, l.weights(h), l.t, l.weightsStride());
            }
          }
          if (v.requiresGrad()) {
            dv = GpuOperands.allocate(gpu, v.shape(), DType.FLOAT32);
            for (int h = 0; h < heads; h++) { // dv_h = w_hᵀ · g_h
              l.gemm(gpu, true, false, l.t, l.dk, l.t, 1f, w, l.weights(h), l.t, l.weightsStride(), gc, l.head(h), l.d,
                  l.rowsStride(), dv, l.head(h), l.d, l.rowsStride());
            }
          }
          return new Tensor[] {dw, dv};
        },
        w,
        v);
  }

  /** Sizes and offsets of one attention layer's matrices. */
  private static final class Layout {
    final int b;
    final int t;
    final int d;
    final int dk;
    final int heads;

    Layout(Tensor x, int heads) {
      this.b = x.dim(0);
      this.t = x.dim(1);
      this.d = x.dim(2);
      this.dk = d / heads;
      this.heads = heads;
    }

    /** First element of head {@code h} in a {@code [B, T, d]} activation. */
    long head(int h) {
      return (long) h * dk;
    }

    long rowsStride() {
      return (long) t * d;
    }

    /** First element of head {@code h} in {@code [B, heads, T, T]} weights. */
    long weights(int h) {
      return (long) h * t * t;
    }

    long weightsStride() {
      return (long) heads * t * t;
    }

    /** {@code out = alpha·op(a)·op(b)} over the batch, each operand read from its tensor's offset plus {@code at}. */
    void gemm(GpuTensors gpu, boolean transA, boolean transB, int m, int n, int k, float alpha, Tensor a, long aAt,
        int lda, long strideA, Tensor bm, long bAt, int ldb, long strideB, Tensor out, long outAt, int ldc,
        long strideOut) {
      gpu.cublas().sgemmStridedBatched(transA, transB, m, n, k, alpha, buffer(a), a.offset() + aAt, lda, strideA, buffer(bm),
          bm.offset() + bAt, ldb, strideB, 0f, buffer(out), out.offset() + outAt, ldc, strideOut, b);
    }
  }
}
