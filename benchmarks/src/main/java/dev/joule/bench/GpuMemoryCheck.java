package dev.joule.bench;

import dev.joule.engine.am.AcousticModel;
import dev.joule.engine.am.AcousticModels;
import dev.joule.engine.am.GpuAcousticModel;
import dev.joule.engine.ctccrf.DenGraph;
import dev.joule.engine.ctccrf.GpuCtcNumerator;
import dev.joule.engine.ctccrf.GpuDenominator;
import dev.joule.engine.ctccrf.LogProbBatch;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.model.ModelDirectory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * GPU memory over many iterations of Joule's GPU paths: the acoustic model's inference and the
 * CTC-CRF denominator and numerator on a ragged batch, each made, used and closed again
 * ({@code iterations} times). Prints, every {@code every} iterations, the bytes Joule has lent out
 * of its cache (must return to the same value) and the driver's free memory (must not fall).
 *
 * <p>Usage: {@code GpuMemoryCheck MODEL_DIR [iterations] [every]} (default 10000 1000).
 */
public final class GpuMemoryCheck {
  private GpuMemoryCheck() {}

  public static void main(String[] args) throws Exception {
    Path model = Path.of(args[0]);
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int every = args.length > 2 ? Integer.parseInt(args[2]) : 1_000;
    AcousticModel am = AcousticModels.load(ModelDirectory.open(model));
    DenGraph den = DenGraph.read(model.resolve("den.fst"), am.numTokens());
    Random r = new Random(1);
    int batch = 4;
    int frames = 90;
    int[] lengths = {90, 61, 33, 75};
    float[] features = new float[batch * frames * am.inputDim()];
    for (int i = 0; i < features.length; i++) {
      features[i] = (float) r.nextGaussian();
    }
    int outFrames = (frames + 2) / 3;
    int[] outLengths = Arrays.stream(lengths).map(l -> (l + 2) / 3).toArray();
    int[][] labels = {{1, 2, 3}, {4, 5}, {6}, {7, 8, 9, 10}};
    try (GpuDevice gpu = GpuDevice.open(0)) {
      long freeAtStart = -1;
      long inUseAtStart = -1;
      for (int i = 1; i <= iterations; i++) {
        float[] logProbs;
        try (GpuAcousticModel onGpu = GpuAcousticModel.of(am, gpu)) {
          logProbs = onGpu.logProbs(features, batch, frames, lengths);
        }
        LogProbBatch x = new LogProbBatch(logProbs, batch, outFrames, am.numTokens(), outLengths);
        try (GpuDenominator d = new GpuDenominator(gpu, gpu.defaultStream(), den)) {
          d.compute(x);
        }
        new GpuCtcNumerator(gpu, gpu.defaultStream()).compute(x, labels);
        gpu.synchronize();
        if (i == 1) {
          freeAtStart = gpu.freeMemoryBytes();
          inUseAtStart = gpu.memoryInUse();
        }
        if (i % every == 0 || i == 1) {
          System.out.printf("{\"iteration\":%d,\"joule_in_use_bytes\":%d,\"driver_free_bytes\":%d,"
                  + "\"free_change_since_first_bytes\":%d,\"in_use_change_since_first_bytes\":%d}%n",
              i, gpu.memoryInUse(), gpu.freeMemoryBytes(), gpu.freeMemoryBytes() - freeAtStart,
              gpu.memoryInUse() - inUseAtStart);
        }
      }
    }
  }
}
