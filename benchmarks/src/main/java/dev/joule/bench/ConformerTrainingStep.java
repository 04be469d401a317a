package dev.joule.bench;

import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.nn.ConformerBlock;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.optim.Adam;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The Conformer encoder training step the Conformer benchmarks time, on the CPU or on GPU tensors:
 * {@code blocks} Conformer blocks (d = 256, 4 heads, depthwise kernel 15, dropout 0.1), loss =
 * mean square of the output, backward, Adam; the step of {@code benchmarks/gpu/torch_conformer.py}.
 */
final class ConformerTrainingStep {
  static final int DIM = 256;

  private final List<ConformerBlock> blocks = new ArrayList<>();
  private final Adam adam;
  private final Tensor x;
  private final Tensor lengths;
  private final GpuTensors gpu;

  /** The model and a full-length random batch, seeded; on {@code gpu} when it is not {@code null}. */
  ConformerTrainingStep(int batch, int frames, int blockCount, GpuTensors gpu) {
    this.gpu = gpu;
    Random random = new Random(1);
    List<Tensor> params = new ArrayList<>();
    for (int i = 0; i < blockCount; i++) {
      ConformerBlock b = new ConformerBlock(DIM, 4, 15, 0.1, random, DType.FLOAT32);
      if (gpu != null) {
        b.moveTo(gpu);
      }
      blocks.add(b);
      params.addAll(b.parameters().values());
    }
    this.adam = Adam.adam(params, 1e-3);
    this.x = Tensor.randn(random, DType.FLOAT32, 1, batch, frames, DIM);
    if (gpu != null) {
      x.moveTo(gpu);
    }
    int[] len = new int[batch];
    Arrays.fill(len, frames);
    this.lengths = Tensor.ofInts(len, batch);
  }

  /** One training step; returns its loss (reading it waits for a GPU, so a GPU step is timed whole). */
  double run() {
    // On a GPU the step's activations and gradients go back to the device's memory when it ends.
    try (GpuTensors.Step step = gpu == null ? null : gpu.step()) {
      adam.zeroGrad();
      Tensor h = x;
      for (ConformerBlock b : blocks) {
        h = b.forward(h, lengths);
      }
      Tensor l = Ops.mean(Ops.square(h));
      l.backward();
      adam.step();
      double loss = l.item();
      adam.zeroGrad();
      return loss;
    }
  }
}
