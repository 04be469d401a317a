package dev.joule.bench;

import dev.joule.engine.nn.Linear;
import dev.joule.engine.nn.Lstm;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.optim.Adam;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Shape;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * One BLSTM acoustic-model training step on the CPU backend: a 6-layer bidirectional LSTM
 * (320 units per direction, 80-dim input), a Linear to 40 tokens, log-softmax, frame-level
 * negative log-likelihood against random targets, backward, and an Adam update; the same step as
 * {@code benchmarks/gpu/torch_blstm.py}.
 *
 * <p>Reports frames per second ({@code batch·frames / step time}), median over the timed steps
 * after one warm-up step, as one JSON line.
 *
 * <p>Usage: {@code BlstmCpuBenchmark [batch] [frames] [timedSteps] [layers]} (default 32 500 2 6).
 */
public final class BlstmCpuBenchmark {
  private static final int INPUT = 80;
  private static final int HIDDEN = 320;
  private static final int TOKENS = 40;

  private BlstmCpuBenchmark() {}

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int frames = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int timed = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    int layers = args.length > 3 ? Integer.parseInt(args[3]) : 6;
    Random random = new Random(1);
    Lstm lstm = new Lstm(INPUT, HIDDEN, layers, true, 0, random, DType.FLOAT32);
    Linear out = new Linear(2 * HIDDEN, TOKENS, true, random, DType.FLOAT32);
    List<Tensor> params = new ArrayList<>(lstm.parameters().values());
    params.addAll(out.parameters().values());
    Adam adam = Adam.adam(params, 1e-3);
    Tensor x = Tensor.randn(random, DType.FLOAT32, 1, batch, frames, INPUT);
    int[] len = new int[batch];
    java.util.Arrays.fill(len, frames);
    Tensor lengths = Tensor.ofInts(len, batch);
    double[] oneHot = new double[batch * frames * TOKENS];
    for (int i = 0; i < batch * frames; i++) {
      oneHot[i * TOKENS + random.nextInt(TOKENS)] = 1;
    }
    Tensor targets = Tensor.wrap(oneHot, Shape.of(batch, frames, TOKENS), DType.FLOAT32);
    TrainingSteps.Timing timing = TrainingSteps.run(timed, () -> {
      adam.zeroGrad();
      Tensor logp = Ops.logSoftmax(out.forward(lstm.forward(x, lengths)), -1);
      Tensor nll = Ops.scale(Ops.sum(Ops.mul(logp, targets)), -1.0 / (batch * frames));
      nll.backward();
      adam.step();
      return nll.item();
    });
    double median = timing.medianSeconds();
    System.out.printf(
        "{\"bench\":\"blstm-train-step\",\"impl\":\"joule-cpu\",\"threads\":%d,\"layers\":%d,\"hidden\":%d,"
            + "\"batch\":%d,\"frames\":%d,\"step_s_median\":%.3f,\"frames_per_s\":%.1f,\"timed_steps\":%d,\"loss\":%.4f}%n",
        Runtime.getRuntime().availableProcessors(), layers, HIDDEN, batch, frames, median, batch * frames / median,
        timing.timedSteps(), timing.lastLoss());
  }
}
