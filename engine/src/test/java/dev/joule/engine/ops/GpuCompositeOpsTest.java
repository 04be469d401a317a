package dev.joule.engine.ops;

import static dev.joule.engine.ops.GpuOpCheck.randn;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Ops composed of the layout and product ops and the element-wise ones (convolutions, GLU,
 * attention-style products, stacking), checked end to end on the GPU with {@link GpuParity#check},
 * which back-propagates {@code Σ out·w} and so needs the GPU's element-wise ops and reductions as
 * well as the layout ones.
 */
class GpuCompositeOpsTest {
  private static final double TOL = 2e-4;

  @Test
  void conv1dMatchesTheCpu() {
    GpuParity.check("conv1d with bias", in -> Ops.conv1d(in.get(0), in.get(1), in.get(2), 1, 1, 1, 1), TOL,
        randn(1, 2, 13, 5), randn(2, 3, 5, 7), randn(3, 7));
    GpuParity.check("conv1d strided, dilated, no bias", in -> Ops.conv1d(in.get(0), in.get(1), null, 2, 2, 2, 0), TOL,
        randn(4, 3, 17, 4), randn(5, 3, 4, 6));
  }

  @Test
  void depthwiseConv1dMatchesTheCpu() {
    GpuParity.check("depthwise conv1d", in -> Ops.depthwiseConv1d(in.get(0), in.get(1), in.get(2), 1, 1, 2, 2), TOL,
        randn(6, 2, 11, 6), randn(7, 5, 6), randn(8, 6));
    GpuParity.check("depthwise conv1d strided", in -> Ops.depthwiseConv1d(in.get(0), in.get(1), null, 2, 1, 1, 1), TOL,
        randn(9, 3, 10, 4), randn(10, 3, 4));
  }

  /**
   * The GPU's own depthwise kernels against the CPU's unfold form: dilation, stride, uneven
   * padding, a window longer than the input, many row chunks in the weight gradient (B·T' well
   * past 64 rows, the chunk ends falling inside sequences) and a Conformer-sized module.
   */
  @Test
  void depthwiseConv1dKernelsMatchTheCpuOnEveryGeometry() {
    GpuParity.check("depthwise dilated", in -> Ops.depthwiseConv1d(in.get(0), in.get(1), in.get(2), 1, 2, 3, 1), TOL,
        randn(20, 2, 13, 5), randn(21, 4, 5), randn(22, 5));
    GpuParity.check("depthwise stride 3", in -> Ops.depthwiseConv1d(in.get(0), in.get(1), null, 3, 1, 0, 2), TOL,
        randn(23, 2, 17, 3), randn(24, 4, 3));
    GpuParity.check("depthwise window past the input", in -> Ops.depthwiseConv1d(in.get(0), in.get(1), null, 1, 1, 3, 3), TOL,
        randn(25, 2, 3, 4), randn(26, 7, 4));
    GpuParity.check("depthwise many chunks", in -> Ops.depthwiseConv1d(in.get(0), in.get(1), in.get(2), 1, 1, 7, 7), TOL,
        randn(27, 3, 101, 40), randn(28, 15, 40), randn(29, 40));
    GpuParity.check("depthwise conformer size", in -> Ops.depthwiseConv1d(in.get(0), in.get(1), in.get(2), 1, 1, 7, 7), TOL,
        randn(30, 4, 300, 256), randn(31, 15, 256), randn(32, 256));
    GpuOffsetViews.check("depthwise on a view", in -> Ops.depthwiseConv1d(in.get(0), in.get(1), null, 1, 1, 2, 2), TOL,
        randn(33, 2, 9, 6), randn(34, 5, 6));
  }

  /** Heads read and written in place by cuBLAS against the CPU's permute-and-matmul chain. */
  @Test
  void attentionProductsMatchTheCpu() {
    for (int heads : new int[] {1, 2, 4}) {
      GpuParity.check("head scores, " + heads + " heads", in -> Ops.headScores(in.get(0), in.get(1), heads), TOL,
          randn(40 + heads, 3, 7, 8), randn(50 + heads, 3, 7, 8));
      GpuParity.check("head context, " + heads + " heads", in -> Ops.headContext(in.get(0), in.get(1), heads), TOL,
          randn(60 + heads, 3, heads, 7, 7), randn(70 + heads, 3, 7, 8));
    }
    GpuParity.check("attention chain, conformer size", in -> Ops.headContext(
            Ops.softmax(Ops.headScores(in.get(0), in.get(1), 4), -1), in.get(2), 4), TOL,
        randn(80, 4, 120, 256), randn(81, 4, 120, 256), randn(82, 4, 120, 256));
    GpuOffsetViews.check("head scores on views", in -> Ops.headScores(in.get(0), in.get(1), 2), TOL,
        randn(83, 2, 5, 6), randn(84, 2, 5, 6));
    // The scale in the products' alpha, forward and backward: 1/√8 is not a power of two.
    GpuParity.check("scaled head scores", in -> Ops.headScores(in.get(0), in.get(1), 4, 1 / Math.sqrt(8)), TOL,
        randn(87, 3, 7, 32), randn(88, 3, 7, 32));
    GpuOffsetViews.check("scaled head scores on views", in -> Ops.headScores(in.get(0), in.get(1), 2, 0.125), TOL,
        randn(89, 2, 5, 6), randn(90, 2, 5, 6));
    GpuOffsetViews.check("head context on views", in -> Ops.headContext(in.get(0), in.get(1), 2), TOL,
        randn(85, 2, 2, 5, 5), randn(86, 2, 5, 6));
  }

  /**
   * The fused self-attention node (packed projections read in place, one packed gradient) against
   * the CPU's split-and-chain: without and with padding keys, without and with dropout on the
   * weights (the same mask from the same seed), a row past a warp, and a Conformer-sized layer.
   */
  @Test
  void selfAttentionMatchesTheCpu() {
    Tensor keyBias = Ops.reshape(Ops.attentionBias(Tensor.ofInts(new int[] {7, 4, 1}, 3), 7, DType.FLOAT32), 3, 1, 1, 7);
    for (int heads : new int[] {1, 2}) {
      GpuParity.check("self-attention, " + heads + " heads", in -> Ops.selfAttention(in.get(0), heads, 0.3, null, 0, null),
          TOL, randn(90 + heads, 3, 7, 24));
      GpuParity.check("self-attention with padding, " + heads + " heads",
          in -> Ops.selfAttention(in.get(0), heads, 0.3, keyBias, 0, null), TOL, randn(92 + heads, 3, 7, 24));
      GpuParity.check("self-attention with dropout, " + heads + " heads",
          in -> Ops.selfAttention(in.get(0), heads, 0.3, keyBias, 0.25, new Random(94 + heads)), TOL,
          randn(96 + heads, 3, 7, 24));
    }
    GpuParity.check("self-attention, 40 keys", in -> Ops.selfAttention(in.get(0), 2, 0.5, null, 0.1, new Random(98)), TOL,
        randn(99, 2, 40, 12));
    GpuParity.check("self-attention, conformer size",
        in -> Ops.selfAttention(in.get(0), 4, 0.125, null, 0.1, new Random(100)), TOL, randn(101, 4, 120, 768));
    GpuOffsetViews.check("self-attention on a view", in -> Ops.selfAttention(in.get(0), 2, 0.5, null, 0, null), TOL,
        randn(102, 2, 5, 12));
    // The fused node, not the CPU's chain run on GPU tensors, is what the checks above compared.
    Tensor onGpu = randn(103, 2, 5, 12).toGpu(GpuParity.requireGpu()).requiresGrad(true);
    assertEquals("selfAttention", Ops.selfAttention(onGpu, 2, 0.5, null, 0.1, new Random(104)).gradFn().op());
  }

  @Test
  void gluMatchesTheCpu() {
    GpuParity.check("glu last dim", in -> Ops.glu(in.get(0), -1), TOL, randn(11, 3, 5, 8));
    GpuParity.check("glu dim 1", in -> Ops.glu(in.get(0), 1), TOL, randn(12, 3, 6, 5));
    // The fused last-dimension kernel: halves wider than a warp, a row view, many rows.
    GpuParity.check("glu [2000, 1024]", in -> Ops.glu(in.get(0), -1), TOL, randn(13, 2000, 1024));
    GpuParity.check("glu of a row view", in -> Ops.glu(Ops.narrow(in.get(0), 0, 3, 7), -1), TOL, randn(14, 12, 70));
    GpuParity.check("glu [2, 2]", in -> Ops.glu(in.get(0), 1), TOL, randn(15, 2, 2));
  }

  /** A linear layer's bias added inside the activation's kernel: values and the gradients of z and the bias. */
  @Test
  void activationsWithTheLinearLayersBiasMatchTheCpu() {
    GpuParity.check("gluWithBias", in -> Ops.gluWithBias(in.get(0), in.get(1)), TOL, randn(16, 3, 5, 80), randn(17, 80));
    GpuParity.check("gluWithBias of a row view", in -> Ops.gluWithBias(Ops.narrow(in.get(0), 0, 1, 4), in.get(1)), TOL,
        randn(18, 6, 10), randn(19, 10));
    GpuParity.check("siluWithBias", in -> Ops.siluWithBias(in.get(0), in.get(1)), TOL, randn(20, 4, 7, 70), randn(21, 70));
    GpuParity.check("siluWithBias of a row view", in -> Ops.siluWithBias(Ops.narrow(in.get(0), 0, 2, 3), in.get(1)), TOL,
        randn(22, 6, 5), randn(23, 5));
    GpuParity.check("siluWithBiasDropout", in -> Ops.siluWithBiasDropout(in.get(0), in.get(1), 0.3, new Random(24)), TOL,
        randn(24, 4, 7, 70), randn(25, 70));
    // Many segments of rows for the bias gradients the backward kernels sum as they go.
    GpuParity.check("gluWithBias [3000, 80]", in -> Ops.gluWithBias(in.get(0), in.get(1)), 1e-3, randn(26, 3000, 80),
        randn(27, 80));
    GpuParity.check("siluWithBiasDropout [2500, 70]", in -> Ops.siluWithBiasDropout(in.get(0), in.get(1), 0.2,
        new Random(28)), 1e-3, randn(28, 2500, 70), randn(29, 70));
    GpuParity.check("glu without a bias [3000, 80]", in -> Ops.glu(in.get(0), -1), TOL, randn(30, 3000, 80));
  }

  @Test
  void attentionScoresMatchTheCpu() {
    // q·kᵀ / √d with a padding bias, softmax, then ·v: batched products with a transposed operand.
    Tensor lengths = Tensor.ofInts(new int[] {6, 4}, 2);
    GpuParity.check(
        "attention",
        in -> {
          Tensor scores = Ops.scale(Ops.matmul(in.get(0), Ops.transpose(in.get(1), 1, 2)), 1 / Math.sqrt(8));
          Tensor bias = Ops.attentionBias(lengths, 6, dev.joule.engine.tensor.DType.FLOAT32);
          return Ops.matmul(Ops.softmax(Ops.add(scores, bias), -1), in.get(2));
        },
        TOL,
        randn(13, 2, 5, 8),
        randn(14, 2, 6, 8),
        randn(15, 2, 6, 8));
  }

  @Test
  void layoutOpsSharingAnInputMatchTheCpu() {
    // One input feeding several ops: its gradients are summed on the GPU.
    GpuParity.check("split and concat back", in -> {
      List<Tensor> parts = Ops.split(in.get(0), 1, 2, 3, 1);
      return Ops.concat(List.of(parts.get(2), parts.get(0), parts.get(1)), 1);
    }, TOL, randn(16, 3, 6, 2));
    GpuParity.check("x·xᵀ", in -> Ops.matmul(in.get(0), Ops.transpose(in.get(0), 0, 1)), TOL, randn(17, 5, 7));
    GpuParity.check("layerNorm then linear", in -> Ops.matmul(Ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5), in.get(3)),
        TOL, randn(18, 4, 9), randn(19, 9), randn(20, 9), randn(21, 9, 3));
  }
}
