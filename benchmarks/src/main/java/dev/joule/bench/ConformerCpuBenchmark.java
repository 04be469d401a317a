package dev.joule.bench;

import dev.joule.engine.nn.ConformerBlock;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.optim.Adam;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A Conformer encoder training step on the CPU backend: {@code blocks} Conformer blocks
 * (d = 256, 4 heads, depthwise kernel 15, dropout 0.1), loss = mean square of the output,
 * backward, Adam; the step of {@code benchmarks/gpu/torch_conformer.py}.
 *
 * <p>Reports frames per second, median over the timed steps after one warm-up step, as one JSON
 * line. Usage: {@code ConformerCpuBenchmark [batch] [frames] [timedSteps] [blocks]}
 * (default 32 500 2 12).
 */
public final class ConformerCpuBenchmark {
  private static final int DIM = 256;

  private ConformerCpuBenchmark() {}

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int frames = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int timed = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int blockCount = args.length > 3 ? Integer.parseInt(args[3]) : 12;
    Random random = new Random(1);
    List<ConformerBlock> blocks = new ArrayList<>();
    List<Tensor> params = new ArrayList<>();
    for (int i = 0; i < blockCount; i++) {
      ConformerBlock b = new ConformerBlock(DIM, 4, 15, 0.1, random, DType.FLOAT32);
      blocks.add(b);
      params.addAll(b.parameters().values());
    }
    Adam adam = Adam.adam(params, 1e-3);
    Tensor x = Tensor.randn(random, DType.FLOAT32, 1, batch, frames, DIM);
    int[] len = new int[batch];
    java.util.Arrays.fill(len, frames);
    Tensor lengths = Tensor.ofInts(len, batch);
    TrainingSteps.Timing timing = TrainingSteps.run(timed, () -> {
      adam.zeroGrad();
      Tensor h = x;
      for (ConformerBlock b : blocks) {
        h = b.forward(h, lengths);
      }
      Tensor l = Ops.mean(Ops.square(h));
      l.backward();
      adam.step();
      return l.item();
    });
    double median = timing.medianSeconds();
    System.out.printf(
        "{\"bench\":\"conformer-train-step\",\"impl\":\"joule-cpu\",\"threads\":%d,\"blocks\":%d,\"d\":%d,"
            + "\"batch\":%d,\"frames\":%d,\"step_s_median\":%.3f,\"frames_per_s\":%.1f,\"timed_steps\":%d,\"loss\":%.4f}%n",
        Runtime.getRuntime().availableProcessors(), blockCount, DIM, batch, frames, median, batch * frames / median,
        timing.timedSteps(), timing.lastLoss());
  }
}
