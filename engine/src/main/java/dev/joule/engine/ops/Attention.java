package dev.joule.engine.ops;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;
import java.util.List;

/**
 * The two products of multi-head attention, on activations kept in their projection layout
 * {@code [B, T, heads·dk]} (head {@code h} owns columns {@code h·dk .. h·dk+dk−1}):
 *
 * <pre>
 *   scores  [B, heads, T, T]  = q_h · k_hᵀ   for each batch entry and head
 *   context [B, T, heads·dk]  = w_h · v_h    written back into the head's columns
 * </pre>
 *
 * On the CPU (the reference) each is the textbook chain: split the heads out with a permute, a
 * batched matmul, and a permute back. On a GPU ({@link GpuAttention}) cuBLAS reads and writes the
 * heads' column blocks in place, one strided-batched GEMM per head, so the four permutes of
 * every attention layer and their gradients disappear.
 *
 * <p>{@link #selfAttention} is the whole layer between the input projection and the output
 * projection, on the three projections packed in one tensor: the CPU splits them and chains
 * the ops; a GPU runs it as one tape node whose backward hands the input projection one
 * gradient instead of three to be summed.
 */
final class Attention {
  private Attention() {}

  static Tensor scores(Tensor q, Tensor k, int heads, double scale) {
    Arithmetic.requireFloating("headScores", q);
    Arithmetic.requireFloating("headScores", k);
    int dk = headSize("headScores", q, heads);
    if (!q.shape().equals(k.shape())) {
      throw new ShapeMismatchException("headScores", q.shape(), k.shape(), "queries and keys must have one shape");
    }
    int b = q.dim(0);
    int t = q.dim(1);
    GpuTensors gpu = Placement.gpuOf("headScores", q, k);
    if (gpu != null && (long) b * t * dk > 0) {
      return GpuAttention.scores(gpu, Placement.on(gpu, q), Placement.on(gpu, k), heads, (float) scale);
    }
    // The scale goes on the T·d queries, not the heads·T·T scores: the same product, less work.
    Tensor qs = scale == 1 ? q : Ops.scale(q, scale);
    Tensor s = Ops.matmul(splitHeads(qs, heads, dk), Ops.transpose(splitHeads(k, heads, dk), 1, 2));
    return Ops.reshape(s, b, heads, t, t);
  }

  static Tensor context(Tensor w, Tensor v, int heads) {
    Arithmetic.requireFloating("headContext", w);
    Arithmetic.requireFloating("headContext", v);
    int dk = headSize("headContext", v, heads);
    int b = v.dim(0);
    int t = v.dim(1);
    if (w.rank() != 4 || w.dim(0) != b || w.dim(1) != heads || w.dim(2) != t || w.dim(3) != t) {
      throw new ShapeMismatchException("headContext", w.shape(), v.shape(),
          "weights must be [B, heads, T, T] = [" + b + ", " + heads + ", " + t + ", " + t + "]");
    }
    GpuTensors gpu = Placement.gpuOf("headContext", w, v);
    if (gpu != null && (long) b * t * dk > 0) {
      return GpuAttention.context(gpu, Placement.on(gpu, w), Placement.on(gpu, v), heads);
    }
    Tensor c = Ops.matmul(Ops.reshape(w, b * heads, t, t), splitHeads(v, heads, dk));
    return Ops.reshape(Ops.permute(Ops.reshape(c, b, heads, t, dk), 0, 2, 1, 3), b, t, heads * dk);
  }

  static Tensor selfAttention(Tensor qkv, int heads, double scale, Tensor keyBias, double p, long key) {
    Arithmetic.requireFloating("selfAttention", qkv);
    if (qkv.rank() != 3 || heads < 1 || qkv.dim(2) % (3 * heads) != 0) {
      throw new ShapeMismatchException("selfAttention", qkv.shape(),
          "needs [B, T, 3·heads·dk] with " + heads + " heads: queries, keys and values side by side");
    }
    if (keyBias != null && keyBias.requiresGrad()) {
      throw new IllegalArgumentException("selfAttention: the key bias is a constant mask and must not require a gradient");
    }
    int d = qkv.dim(2) / 3;
    int dk = d / heads;
    int b = qkv.dim(0);
    int t = qkv.dim(1);
    GpuTensors gpu = Placement.gpuOf("selfAttention", qkv, keyBias);
    if (gpu != null && (long) b * t * dk > 0) {
      Tensor bias = keyBias == null ? null : Placement.on(gpu, keyBias);
      return GpuAttention.selfAttention(gpu, Placement.on(gpu, qkv), heads, (float) scale, bias, key, p);
    }
    List<Tensor> parts = Ops.split(qkv, -1, d, d, d);
    Tensor s = scores(parts.get(0), parts.get(1), heads, scale);
    if (keyBias != null) {
      s = Ops.add(s, keyBias);
    }
    Tensor w = Ops.softmax(s, -1);
    return context(p > 0 ? Ops.dropout(w, key, p) : w, parts.get(2), heads);
  }

  /** {@code [B, T, heads·dk]} → {@code [B·heads, T, dk]}. */
  private static Tensor splitHeads(Tensor x, int heads, int dk) {
    int b = x.dim(0);
    int t = x.dim(1);
    return Ops.reshape(Ops.permute(Ops.reshape(x, b, t, heads, dk), 0, 2, 1, 3), b * heads, t, dk);
  }

  /** dk for {@code x [B, T, heads·dk]}. */
  private static int headSize(String op, Tensor x, int heads) {
    if (x.rank() != 3 || heads < 1 || x.dim(2) % heads != 0) {
      throw new ShapeMismatchException(op, x.shape(), "needs [B, T, heads·dk] with " + heads + " heads");
    }
    return x.dim(2) / heads;
  }
}
