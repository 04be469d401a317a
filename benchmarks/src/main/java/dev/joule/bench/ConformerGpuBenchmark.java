package dev.joule.bench;

import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuTensors;

/**
 * The Conformer encoder training step ({@link ConformerTrainingStep}) on GPU tensors on GPU 0,
 * with the 3 warm-up steps of {@code benchmarks/gpu/torch_conformer.py}.
 *
 * <p>Reports the median step time as one JSON line (the fields {@code step_table.py} reads).
 * Usage: {@code ConformerGpuBenchmark [batch] [frames] [timedSteps] [blocks]} (default 32 500 10 12).
 */
public final class ConformerGpuBenchmark {
  private static final int WARMUPS = 3;

  private ConformerGpuBenchmark() {}

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int frames = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int timed = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int blockCount = args.length > 3 ? Integer.parseInt(args[3]) : 12;
    try (GpuDevice device = GpuDevice.open(0)) {
      GpuTensors gpu = GpuTensors.of(device);
      ConformerTrainingStep step = new ConformerTrainingStep(batch, frames, blockCount, GpuTensors.of(device));
      TrainingSteps.Timing timing = TrainingSteps.run(WARMUPS, timed, step::run);
      double median = timing.medianSeconds();
      System.out.printf(
          "{\"bench\":\"conformer-train-step\",\"impl\":\"joule-gpu\",\"device\":\"%s\",\"blocks\":%d,\"d\":%d,"
              + "\"batch\":%d,\"frames\":%d,\"step_ms_median\":%.2f,\"frames_per_s\":%.1f,\"timed_steps\":%d,"
              + "\"loss\":%.4f,\"peak_gpu_bytes\":%d}%n",
          device.name(), blockCount, ConformerTrainingStep.DIM, batch, frames, median * 1e3, batch * frames / median, timing.timedSteps(),
          timing.lastLoss(), device.peakMemoryInUse());
    }
  }
}
