package dev.joule.bench;

import dev.joule.engine.gpu.GpuDevice;
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
 * The Conformer encoder training step of {@link ConformerCpuBenchmark} on GPU tensors: the same
 * blocks (d = 256, 4 heads, depthwise kernel 15, dropout 0.1), moved to GPU 0, loss = mean square
 * of the output, backward, Adam, all through {@code Ops}; the step of
 * {@code benchmarks/gpu/torch_conformer.py}, with the same 3 warm-up steps.
 *
 * <p>Reports the median step time as one JSON line (the fields {@code step_table.py} reads).
 * Usage: {@code ConformerGpuBenchmark [batch] [frames] [timedSteps] [blocks]} (default 32 500 10 12).
 */
public final class ConformerGpuBenchmark {
  private static final int DIM = 256;
  private static final int WARMUPS = 3;

  private ConformerGpuBenchmark() {}

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int frames = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int timed = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int blockCount = args.length > 3 ? Integer.parseInt(args[3]) : 12;
    try (GpuDevice device = GpuDevice.open(0)) {
      GpuTensors gpu = GpuTensors.of(device);
      Random random = new Random(1);
      List<ConformerBlock> blocks = new ArrayList<>();
      List<Tensor> params = new ArrayList<>();
      for (int i = 0; i < blockCount; i++) {
        ConformerBlock b = new ConformerBlock(DIM, 4, 15, 0.1, random, DType.FLOAT32);
        b.moveTo(gpu);
        blocks.add(b);
        params.addAll(b.parameters().values());
      }
      Adam adam = Adam.adam(params, 1e-3);
      Tensor x = Tensor.randn(random, DType.FLOAT32, 1, batch, frames, DIM);
      x.moveTo(gpu);
      int[] len = new int[batch];
      Arrays.fill(len, frames);
      Tensor lengths = Tensor.ofInts(len, batch);
      TrainingSteps.Timing timing = TrainingSteps.run(WARMUPS, timed, () -> {
        // The step's activations and gradients go back to the device's memory when it ends.
        try (GpuTensors.Step step = gpu.step()) {
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
      });
      double median = timing.medianSeconds();
      System.out.printf(
          "{\"bench\":\"conformer-train-step\",\"impl\":\"joule-gpu\",\"device\":\"%s\",\"blocks\":%d,\"d\":%d,"
              + "\"batch\":%d,\"frames\":%d,\"step_ms_median\":%.2f,\"frames_per_s\":%.1f,\"timed_steps\":%d,"
              + "\"loss\":%.4f,\"peak_gpu_bytes\":%d}%n",
          device.name(), blockCount, DIM, batch, frames, median * 1e3, batch * frames / median, timing.timedSteps(),
          timing.lastLoss(), device.peakMemoryInUse());
    }
  }
}
