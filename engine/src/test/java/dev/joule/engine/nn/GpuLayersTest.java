package dev.joule.engine.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Whole layers on GPU tensors against the same layers on the CPU: two modules built from the same
 * seed, one moved to the GPU, the same input; outputs and every parameter's gradient must agree
 * (dropout draws its masks on the host from the module's seeded generator, so training mode
 * compares too).
 */
class GpuLayersTest {
  private static final double TOLERANCE = 2e-4;

  /** Builds the module twice from one seed, runs both, compares outputs and parameter gradients. */
  private static <M extends Module> void compare(String what, Function<Random, M> make,
      BiFunction<M, Tensor, Tensor> forward, boolean training, int... inputDims) {
    GpuTensors gpu = GpuParity.requireGpu();
    M cpu = make.apply(new Random(11));
    M onGpu = make.apply(new Random(11));
    onGpu.moveTo(gpu);
    cpu.train(training);
    onGpu.train(training);
    Tensor x = Tensor.randn(new Random(12), DType.FLOAT32, 1, inputDims);
    Tensor cpuOut = forward.apply(cpu, x);
    Tensor gpuOut = forward.apply(onGpu, x.toGpu(gpu));
    assertTrue(gpuOut.isGpu(), what + " output on the GPU");
    GpuParity.assertClose(what + " output", cpuOut.values(), gpuOut.values(), TOLERANCE);
    Tensor w = Tensor.randn(new Random(13), DType.FLOAT32, 1, cpuOut.shape().dims());
    Ops.sum(Ops.mul(cpuOut, w)).backward();
    Ops.sum(Ops.mul(gpuOut, w)).backward();
    Map<String, Tensor> want = cpu.parameters();
    Map<String, Tensor> got = onGpu.parameters();
    assertEquals(want.keySet(), got.keySet());
    for (String name : want.keySet()) {
      Tensor g = got.get(name).grad();
      assertTrue(g != null && g.isGpu(), what + ": gradient of " + name + " on the GPU");
      GpuParity.assertClose(what + " gradient of " + name, want.get(name).grad().values(), g.values(), TOLERANCE);
    }
  }

  private static Tensor fullLengths(int batch, int frames) {
    int[] len = new int[batch];
    java.util.Arrays.fill(len, frames);
    len[batch - 1] = Math.max(1, frames - 3);
    return Tensor.ofInts(len, batch);
  }

  @Test
  void linear() {
    compare("Linear", r -> new Linear(37, 29, true, r, DType.FLOAT32), Linear::forward, true, 3, 17, 37);
  }

  @Test
  void dilatedTdnnLayer() {
    compare("Conv1d", r -> new Conv1d(24, 16, 3, 1, 2, 2, r, DType.FLOAT32), Conv1d::forward, true, 2, 31, 24);
  }

  @Test
  void layerNorm() {
    compare("LayerNorm", r -> new LayerNorm(40, DType.FLOAT32), LayerNorm::forward, true, 4, 9, 40);
  }

  @Test
  void batchNormInTrainingAndEvaluation() {
    compare("BatchNorm (training)", r -> new BatchNorm(20, DType.FLOAT32), BatchNorm::forward, true, 3, 11, 20);
    compare("BatchNorm (evaluation)", r -> new BatchNorm(20, DType.FLOAT32), BatchNorm::forward, false, 3, 11, 20);
  }

  @Test
  void feedForwardWithDropout() {
    compare("FeedForward", r -> new FeedForward(32, 4, 0.1, r, DType.FLOAT32), FeedForward::forward, true, 2, 13, 32);
  }

  @Test
  void selfAttentionOverPaddedSequences() {
    compare("MultiHeadSelfAttention", r -> new MultiHeadSelfAttention(32, 4, 0.1, r, DType.FLOAT32),
        (m, x) -> m.forward(x, fullLengths(3, 19)), true, 3, 19, 32);
  }

  @Test
  void convolutionModule() {
    compare("ConvolutionModule", r -> new ConvolutionModule(32, 7, 0.1, r, DType.FLOAT32),
        (m, x) -> m.forward(x, fullLengths(3, 21)), true, 3, 21, 32);
  }

  @Test
  void twoConformerBlocks() {
    compare("Conformer", r -> new TwoBlocks(r), (m, x) -> m.forward(x, fullLengths(2, 23)), true, 2, 23, 32);
  }

  /** Two Conformer blocks in a row, as the encoder stacks them. */
  private static final class TwoBlocks extends Module {
    private final ConformerBlock first;
    private final ConformerBlock second;

    TwoBlocks(Random r) {
      first = child("first", new ConformerBlock(32, 4, 7, 0.1, r, DType.FLOAT32));
      second = child("second", new ConformerBlock(32, 4, 7, 0.1, r, DType.FLOAT32));
    }

    Tensor forward(Tensor x, Tensor lengths) {
      return second.forward(first.forward(x, lengths), lengths);
    }
  }
}
