package dev.joule.bench;

import dev.joule.engine.ctccrf.CtcCrfCriterion;
import dev.joule.engine.ctccrf.CtcCrfLoss;
import dev.joule.engine.ctccrf.DenGraph;
import dev.joule.engine.ctccrf.GpuCtcCrfLoss;
import dev.joule.engine.ctccrf.GpuDenominator;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.Tensor;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The CTC-CRF loss as a training step sees it, on a GPU: log-softmax of GPU logits, the loss,
 * its backward to the logits, and the loss value read back, timed for the two paths of
 * {@link CtcCrfCriterion}: the host path (log-probs copied to the host, the GPU denominator fed
 * from host arrays, the gradient copied back) and the device path ({@link GpuCtcCrfLoss}, nothing
 * leaves the GPU but the per-utterance losses). Same batch as {@link DenBenchmark}'s ragged case
 * (den-phone4g, 64 utterances of 200–400 frames, 40 tokens), with random labels of a quarter of
 * each length.
 *
 * <p>Usage: {@code CtcCrfLossBenchmark DEN_FST [repetitions] [utterances]} (utterances: the first
 * so many of the 64, for a quick check of the program). Prints one JSON line: medians of both
 * paths, their ratio, and how far apart their losses and logit gradients are.
 */
public final class CtcCrfLossBenchmark {
  private CtcCrfLossBenchmark() {}

  public static void main(String[] args) {
    Path fst = Path.of(args.length > 0 ? args[0] : "../shared/bench/den-phone4g/den.fst");
    int repetitions = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int batch = args.length > 2 ? Integer.parseInt(args[2]) : DenBenchmark.BATCH;
    if (batch < 1 || batch > DenBenchmark.BATCH) {
      throw new IllegalArgumentException("utterances must be 1.." + DenBenchmark.BATCH + ", got " + batch);
    }
    int frames = DenBenchmark.FRAMES;
    int tokens = DenBenchmark.TOKENS;
    DenGraph graph = DenGraph.read(fst, tokens);
    // Raw normals as logits: the log-softmax is part of the timed step.
    float[] logits = new float[batch * frames * tokens];
    new SplitMix64(20240601L).normals(logits);
    int[] lengths = Arrays.copyOf(DenBenchmark.raggedLengths(), batch);
    int[][] labels = new int[batch][];
    String[] ids = new String[batch];
    SplitMix64 r = new SplitMix64(77L);
    for (int b = 0; b < batch; b++) {
      labels[b] = new int[lengths[b] / 4];
      for (int i = 0; i < labels[b].length; i++) {
        labels[b][i] = 1 + (int) Long.remainderUnsigned(r.next(), tokens - 1);
      }
      ids[b] = "utt" + b;
    }
    try (GpuDevice gpu = GpuDevice.open(0)) {
      GpuTensors context = GpuTensors.of(gpu);
      try (GpuDenominator den = new GpuDenominator(gpu, context.stream(), graph)) {
        CtcCrfCriterion host = new CtcCrfCriterion(new CtcCrfLoss(den, CtcCrfLoss.DEFAULT_LAMBDA));
        CtcCrfCriterion device = new CtcCrfCriterion(new GpuCtcCrfLoss(context, den, CtcCrfLoss.DEFAULT_LAMBDA));
        Tensor x = Tensor.of(logits, batch, frames, tokens).toGpu(context).detach();
        double[] hostMs = new double[repetitions];
        double[] deviceMs = new double[repetitions];
        Timed hostStep = null;
        Timed deviceStep = null;
        for (int i = -3; i < repetitions; i++) {
          hostStep = step(context, host, x, lengths, labels, ids);
          deviceStep = step(context, device, x, lengths, labels, ids);
          if (i >= 0) {
            hostMs[i] = hostStep.ms;
            deviceMs[i] = deviceStep.ms;
          }
        }
        Arrays.sort(hostMs);
        Arrays.sort(deviceMs);
        double[] queueing = queueAndDoneTimes(context, device, x, lengths, labels, ids);
        double maxGradDiff = 0;
        for (int i = 0; i < hostStep.gradient.length; i++) {
          maxGradDiff = Math.max(maxGradDiff, Math.abs(hostStep.gradient[i] - deviceStep.gradient[i]));
        }
        System.out.printf(
            "{\"bench\":\"ctc-crf-loss-step\",\"device\":\"%s\",\"batch\":%d,\"frames\":\"200..400\",\"tokens\":%d,"
                + "\"states\":%d,\"host_path_ms_median\":%.2f,\"host_path_ms_min\":%.2f,\"host_path_ms_max\":%.2f,"
                + "\"device_path_ms_median\":%.2f,\"device_path_ms_min\":%.2f,\"device_path_ms_max\":%.2f,"
                + "\"host_over_device\":%.3f,\"loss_host\":%.4f,\"loss_device\":%.4f,\"max_abs_gradient_diff\":%.3g,"
                + "\"device_path_two_steps_queued_ms\":%.2f,\"device_path_two_steps_done_ms\":%.2f,\"repetitions\":%d}%n",
            gpu.name(), batch, tokens, graph.numStates(), hostMs[repetitions / 2], hostMs[0], hostMs[repetitions - 1],
            deviceMs[repetitions / 2], deviceMs[0], deviceMs[repetitions - 1],
            hostMs[repetitions / 2] / deviceMs[repetitions / 2], hostStep.loss, deviceStep.loss, maxGradDiff,
            queueing[0], queueing[1], repetitions);
      }
    }
  }

  /**
   * Whether queuing the device path waits for the GPU: two loss steps (forward and backward, no
   * value read) queued back to back, the second's label uploads behind the first's kernels. Returns
   * the host time to queue both and the time until both are done; a queue time near the done time
   * would mean the uploads wait for the stream.
   */
  private static double[] queueAndDoneTimes(GpuTensors context, CtcCrfCriterion criterion, Tensor x, int[] lengths,
      int[][] labels, String[] ids) {
    context.synchronize();
    try (GpuTensors.Step step = context.step()) {
      long t0 = System.nanoTime();
      for (int i = 0; i < 2; i++) {
        Tensor logits = x.detach().requiresGrad(true);
        criterion.forward(Ops.logSoftmax(logits, 2), lengths, labels, ids).total().backward();
      }
      long queued = System.nanoTime();
      context.synchronize();
      long done = System.nanoTime();
      return new double[] {(queued - t0) / 1e6, (done - t0) / 1e6};
    }
  }

  /** One timed step's figures: wall time, the loss read back, and the logits' gradient. */
  private record Timed(double ms, double loss, float[] gradient) {}

  private static Timed step(GpuTensors context, CtcCrfCriterion criterion, Tensor x, int[] lengths, int[][] labels,
      String[] ids) {
    context.synchronize();
    Tensor logits = x.detach().requiresGrad(true);
    double loss;
    long t0 = System.nanoTime();
    try (GpuTensors.Step step = context.step()) {
      CtcCrfCriterion.Output out = criterion.forward(Ops.logSoftmax(logits, 2), lengths, labels, ids);
      out.total().backward();
      loss = out.details().total();
      context.synchronize();
      double ms = (System.nanoTime() - t0) / 1e6;
      return new Timed(ms, loss, logits.grad().toFloatArray());
    }
  }
}
