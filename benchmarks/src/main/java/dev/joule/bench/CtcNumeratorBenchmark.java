package dev.joule.bench;

import dev.joule.engine.ctccrf.CtcNumerator;
import dev.joule.engine.ctccrf.GpuCtcNumerator;
import dev.joule.engine.ctccrf.LogProbBatch;
import dev.joule.engine.ctccrf.SequencePosteriors;
import dev.joule.engine.gpu.CudaStream;
import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuDevice;
import java.util.Arrays;

/**
 * CTC numerator (log-likelihood and occupancies) on the den benchmark's batch (B=64, T=400,
 * V=40) with labels of 100 tokens drawn by SplitMix64 (seed 777; token = 1 + next() mod 39).
 * {@code benchmarks/gpu/ctc_torch.py} times torch.nn.functional.ctc_loss forward+backward on
 * the same logits and labels.
 *
 * <p>Usage: {@code CtcNumeratorBenchmark gpu|cpu [repetitions]}; prints one JSON line.
 */
public final class CtcNumeratorBenchmark {
  static final int LABELS = 100;

  private CtcNumeratorBenchmark() {}

  static int[][] labels() {
    SplitMix64 r = new SplitMix64(777L);
    int[][] labels = new int[DenBenchmark.BATCH][LABELS];
    for (int[] row : labels) {
      for (int i = 0; i < LABELS; i++) {
        row[i] = 1 + (int) Long.remainderUnsigned(r.next(), DenBenchmark.TOKENS - 1);
      }
    }
    return labels;
  }

  public static void main(String[] args) {
    String device = args.length > 0 ? args[0] : "gpu";
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int[] lengths = new int[DenBenchmark.BATCH];
    Arrays.fill(lengths, DenBenchmark.FRAMES);
    LogProbBatch x = new LogProbBatch(DenBenchmark.catLogits(), DenBenchmark.BATCH, DenBenchmark.FRAMES, DenBenchmark.TOKENS, lengths);
    int[][] labels = labels();
    double[] ms = new double[repetitions];
    double[] resident = new double[repetitions];
    SequencePosteriors result = null;
    if (device.equals("gpu")) {
      try (GpuDevice gpu = GpuDevice.open(0)) {
        GpuCtcNumerator num = new GpuCtcNumerator(gpu, gpu.defaultStream());
        for (int i = 0; i < 3; i++) {
          num.compute(x, labels);
        }
        for (int i = 0; i < repetitions; i++) {
          long t0 = System.nanoTime();
          result = num.compute(x, labels);
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        timeDeviceResident(gpu, num, x, labels, resident);
      }
    } else {
      CtcNumerator.compute(x, labels);
      for (int i = 0; i < repetitions; i++) {
        long t0 = System.nanoTime();
        result = CtcNumerator.compute(x, labels);
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
    }
    Arrays.sort(ms);
    Arrays.sort(resident);
    double sum = Arrays.stream(result.logLikelihood()).sum();
    System.out.printf(
        "{\"bench\":\"ctc-numerator\",\"impl\":\"joule-%s\",\"B\":%d,\"T\":%d,\"V\":%d,\"L\":%d,"
            + "\"ms_median\":%.3f,\"ms_min\":%.3f,\"ms_max\":%.3f,\"device_resident_ms_median\":%.3f,"
            + "\"sum_logp\":%.4f,\"repetitions\":%d}%n",
        device, DenBenchmark.BATCH, DenBenchmark.FRAMES, DenBenchmark.TOKENS, LABELS,
        ms[repetitions / 2], ms[0], ms[repetitions - 1], resident[repetitions / 2], sum, repetitions);
  }

  /**
   * Inputs already on the GPU and outputs left there, as torch's ctc_loss is timed: the kernels
   * alone, without the host-to-device copy of x and the copy back of the occupancies.
   */
  private static void timeDeviceResident(GpuDevice gpu, GpuCtcNumerator num, LogProbBatch x, int[][] labels, double[] ms) {
    int batch = x.batch();
    int[] labelLengths = new int[batch];
    int[] padded = new int[batch * LABELS];
    for (int b = 0; b < batch; b++) {
      labelLengths[b] = labels[b].length;
      System.arraycopy(labels[b], 0, padded, b * LABELS, LABELS);
    }
    CudaStream stream = gpu.defaultStream();
    try (DeviceBuffer dx = gpu.upload(x.data());
        DeviceBuffer dLengths = gpu.upload(x.lengths());
        DeviceBuffer dLabelLengths = gpu.upload(labelLengths);
        DeviceBuffer dLabels = gpu.upload(padded);
        DeviceBuffer logp = gpu.allocate(4L * batch);
        DeviceBuffer occ = gpu.allocate(4L * x.data().length)) {
      for (int i = -3; i < ms.length; i++) {
        long t0 = System.nanoTime();
        num.queue(batch, x.maxFrames(), x.tokens(), LABELS, dx, 0, dLengths, dLabelLengths, dLabels, logp, occ);
        stream.synchronize();
        if (i >= 0) {
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
    }
  }
}
