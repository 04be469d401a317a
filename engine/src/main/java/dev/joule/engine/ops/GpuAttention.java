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
 *
 * <p>{@link #selfAttention} reads the queries, keys and values as column blocks of one packed
 * {@code [B, T, 3d]} projection (rows {@code 3d} apart) and writes their gradients into one
 * {@code [B, T, 3d]} tensor the same way, so the single input projection's backward gets its
 * gradient whole: no concatenation, and no sum of three input gradients.
 */
final class GpuAttention {
  private GpuAttention() {}

  /**
   * {@code q, k [B, T, heads·dk]} → {@code scale·q·kᵀ}, {@code [B, heads, T, T]}: the scale rides
   * in the SGEMMs' alpha, forward and backward, so it costs no pass of its own.
   */
  static Tensor scores(GpuTensors gpu, Tensor q, Tensor k, int heads, float scale) {
    Layout l = Layout.of(q, heads);
    Tensor s = l.allocateWeights(gpu);
    l.scores(gpu, scale, q, 0, k, 0, s);
    return Autograd.record(
        s,
        "headScores",
        g -> {
          Tensor gs = GpuOperands.packed(GpuOperands.gradient(gpu, g));
          Tensor dq = null;
          Tensor dk = null;
          if (q.requiresGrad()) {
            dq = GpuOperands.allocate(gpu, q.shape(), DType.FLOAT32);
            l.queriesGradient(gpu, scale, gs, k, 0, dq, 0);
          }
          if (k.requiresGrad()) {
            dk = GpuOperands.allocate(gpu, k.shape(), DType.FLOAT32);
            l.keysGradient(gpu, scale, gs, q, 0, dk, 0);
          }
          return new Tensor[] {dq, dk};
        },
        q,
        k);
  }

  /** {@code w [B, heads, T, T]}, {@code v [B, T, heads·dk]} → {@code [B, T, heads·dk]}. */
  static Tensor context(GpuTensors gpu, Tensor w, Tensor v, int heads) {
    Layout l = Layout.of(v, heads);
    Tensor c = GpuOperands.allocate(gpu, v.shape(), DType.FLOAT32);
    l.context(gpu, w, v, 0, c);
    return Autograd.record(
        c,
        "headContext",
        g -> {
          Tensor gc = GpuOperands.packed(GpuOperands.gradient(gpu, g));
          Tensor dw = null;
          Tensor dv = null;
          if (w.requiresGrad()) {
            dw = l.allocateWeights(gpu);
            l.weightsGradient(gpu, gc, v, 0, dw);
          }
          if (v.requiresGrad()) {
            dv = GpuOperands.allocate(gpu, v.shape(), DType.FLOAT32);
            l.valuesGradient(gpu, w, gc, dv, 0);
          }
          return new Tensor[] {dw, dv};
        },
        w,
        v);
  }

  /**
   * {@link Ops#selfAttention} on a GPU, one tape node: {@code qkv [B, T, 3d]} (queries, keys,
   * values side by side) → context {@code [B, T, d]}. Forward: the scores' SGEMMs, the key bias
   * (if any), softmax and dropout in one kernel ({@link GpuDropout#softmaxDropoutRows}), the
   * context's SGEMMs. Backward: the values' and weights' gradients, the softmax-dropout backward,
   * then the queries' and keys' gradients, every one written straight into its column block of
   * one {@code [B, T, 3d]} gradient. Keeps what the separate ops keep: the weights before and after
   * dropout, and the projections.
   */
  static Tensor selfAttention(GpuTensors gpu, Tensor x, int heads, float scale, Tensor keyBias, long key, double p) {
    Layout l = Layout.packed(x, heads); // its products read x at its offset, as scores reads q and k
    Tensor scores = l.allocateWeights(gpu);
    l.scores(gpu, scale, x, 0, x, l.d, scores);
    if (keyBias != null) {
      scores = Ops.add(scores, keyBias); // neither requires a gradient: not on the tape
    }
    GpuDropout.SoftmaxDropoutRows weights = GpuDropout.softmaxDropoutRows(scores, key, p);
    Tensor c = GpuOperands.allocate(gpu, Shape.of(l.b, l.t, l.d), DType.FLOAT32);
    l.context(gpu, weights.output(), x, 2L * l.d, c);
    return Autograd.record(
        c,
        "selfAttention",
        g -> {
          Tensor gc = GpuOperands.packed(GpuOperands.gradient(gpu, g));
          Tensor dqkv = GpuOperands.allocate(gpu, x.shape(), DType.FLOAT32);
          l.valuesGradient(gpu, weights.output(), gc, dqkv, 2L * l.d);
          Tensor dw = l.allocateWeights(gpu);
          l.weightsGradient(gpu, gc, x, 2L * l.d, dw);
          Tensor ds = weights.backward(dw);
          l.queriesGradient(gpu, scale, ds, x, l.d, dqkv, 0);
          l.keysGradient(gpu, scale, ds, x, 0, dqkv, l.d);
          return new Tensor[] {dqkv};
        },
        x);
  }

  /**
   * Sizes and offsets of one attention layer's matrices. Activations are {@code [B, T, ·]} with
   * rows {@code ld} floats apart ({@code d} for a plain projection, {@code 3d} for a packed one);
   * the heads span {@code d} columns from a block's first column. Every product below names the
   * first column of the block it reads or writes in its activation operands.
   */
  private static final class Layout {
    final int b;
    final int t;
    final int d;
    final int dk;
    final int heads;
    final int ld;

    private Layout(int b, int t, int d, int heads, int ld) {
      this.b = b;
      this.t = t;
      this.d = d;
      this.dk = d / heads;
      this.heads = heads;
      this.ld = ld;
    }

    /** {@code x [B, T, d]}: one projection per tensor. */
    static Layout of(Tensor x, int heads) {
      return new Layout(x.dim(0), x.dim(1), x.dim(2), heads, x.dim(2));
    }

    /** {@code x [B, T, 3d]}: queries, keys and values side by side. */
    static Layout packed(Tensor x, int heads) {
      return new Layout(x.dim(0), x.dim(1), x.dim(2) / 3, heads, x.dim(2));
    }

    Tensor allocateWeights(GpuTensors gpu) {
      return GpuOperands.allocate(gpu, Shape.of(b, heads, t, t), DType.FLOAT32);
    }

    /** {@code s_h = scale·q_h·k_hᵀ}. */
    void scores(GpuTensors gpu, float scale, Tensor q, long qCol, Tensor k, long kCol, Tensor s) {
      for (int h = 0; h < heads; h++) {
        gemm(gpu, false, true, t, t, dk, scale, q, head(qCol, h), ld, rowsStride(), k, head(kCol, h), ld, rowsStride(),
            s, weights(h), t, weightsStride());
      }
    }

    /** {@code c_h = w_h·v_h}; {@code c} is {@code [B, T, d]}. */
    void context(GpuTensors gpu, Tensor w, Tensor v, long vCol, Tensor c) {
      for (int h = 0; h < heads; h++) {
        gemm(gpu, false, false, t, dk, t, 1f, w, weights(h), t, weightsStride(), v, head(vCol, h), ld, rowsStride(), c,
            head(0, h), d, (long) t * d);
      }
    }

    /** {@code dq_h = scale·g_h·k_h}, {@code g} the scores' gradient. */
    void queriesGradient(GpuTensors gpu, float scale, Tensor g, Tensor k, long kCol, Tensor dq, long dqCol) {
      for (int h = 0; h < heads; h++) {
        gemm(gpu, false, false, t, dk, t, scale, g, weights(h), t, weightsStride(), k, head(kCol, h), ld, rowsStride(),
            dq, head(dqCol, h), ld, rowsStride());
      }
    }

    /** {@code dk_h = scale·g_hᵀ·q_h}, {@code g} the scores' gradient. */
    void keysGradient(GpuTensors gpu, float scale, Tensor g, Tensor q, long qCol, Tensor dk, long dkCol) {
      for (int h = 0; h < heads; h++) {
        gemm(gpu, true, false, t, this.dk, t, scale, g, weights(h), t, weightsStride(), q, head(qCol, h), ld,
            rowsStride(), dk, head(dkCol, h), ld, rowsStride());
      }
    }

    /** {@code dw_h = g_h·v_hᵀ}, {@code g [B, T, d]} the context's gradient. */
    void weightsGradient(GpuTensors gpu, Tensor g, Tensor v, long vCol, Tensor dw) {
      for (int h = 0; h < heads; h++) {
        gemm(gpu, false, true, t, t, dk, 1f, g, head(0, h), d, (long) t * d, v, head(vCol, h), ld, rowsStride(), dw,
            weights(h), t, weightsStride());
      }
    }

    /** {@code dv_h = w_hᵀ·g_h}, {@code g [B, T, d]} the context's gradient. */
    void valuesGradient(GpuTensors gpu, Tensor w, Tensor g, Tensor dv, long dvCol) {
      for (int h = 0; h < heads; h++) {
        gemm(gpu, true, false, t, dk, t, 1f, w, weights(h), t, weightsStride(), g, head(0, h), d, (long) t * d, dv,
            head(dvCol, h), ld, rowsStride());
      }
    }

    /** First element of head {@code h} of the block starting at column {@code col}. */
    long head(long col, int h) {
      return col + (long) h * dk;
    }

    long rowsStride() {
      return (long) t * ld;
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
