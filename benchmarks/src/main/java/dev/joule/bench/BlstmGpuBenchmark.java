package dev.joule.bench;

import dev.joule.engine.gpu.CudaGraph;
import dev.joule.engine.gpu.CudaStream;
import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuBlstm;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuOps;
import dev.joule.engine.gpu.GpuProbe;
import dev.joule.engine.nn.Lstm;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The BLSTM training step of {@link BlstmCpuBenchmark} on the GPU: 6-layer bidirectional LSTM
 * (320 per direction, 80-dim input), Linear to 40 tokens, softmax cross-entropy against random
 * targets, backward, Adam; the same step as {@code benchmarks/gpu/torch_blstm.py}.
 *
 * <p>Timed twice: eager (every launch queued from the host) and with forward + backward recorded
 * once as a {@link CudaGraph} and replayed (Adam stays eager). The host waits once per step (for
 * timing) and reads the loss once at the end. Reports the median step time of the graph replay
 * ({@code step_ms_median}) and of the eager step, over the timed steps after warm-up, as one JSON
 * line.
 *
 * <p>Usage: {@code BlstmGpuBenchmark [batch] [frames] [timedSteps] [layers]} (default 32 500 10 6).
 */
public final class BlstmGpuBenchmark {
  private static final int INPUT = 80;
  private static final int HIDDEN = 320;
  private static final int TOKENS = 40;
  private static final int WARMUP = 3;

  private BlstmGpuBenchmark() {}

  public static void main(String[] args) {
    int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
    int frames = args.length > 1 ? Integer.parseInt(args[1]) : 500;
    int timed = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    int layers = args.length > 3 ? Integer.parseInt(args[3]) : 6;
    GpuProbe.Result probe = GpuProbe.probe();
    if (!probe.available()) {
      throw new IllegalStateException("no usable GPU: " + probe.reason());
    }
    Random random = new Random(1);
    Lstm cpuWeights = new Lstm(INPUT, HIDDEN, layers, true, 0, random, DType.FLOAT32);
    int rows = batch * frames;
    int features = 2 * HIDDEN;
    int[] len = new int[batch];
    java.util.Arrays.fill(len, frames);
    int[] targets = new int[rows];
    for (int i = 0; i < rows; i++) {
      targets[i] = random.nextInt(TOKENS);
    }
    try (GpuDevice gpu = GpuDevice.open(0)) {
      CudaStream stream = gpu.defaultStream();
      GpuOps ops = new GpuOps(gpu, stream);
      List<DeviceBuffer> owned = new ArrayList<>();
      try (GpuBlstm blstm = new GpuBlstm(gpu, stream, cpuWeights, INPUT, HIDDEN, layers, true)) {
        DeviceBuffer x = own(owned, gpu.upload(Tensor.randn(random, DType.FLOAT32, 1, batch, frames, INPUT).toFloatArray()));
        DeviceBuffer lengths = own(owned, gpu.upload(len));
        DeviceBuffer target = own(owned, gpu.upload(targets));
        DeviceBuffer wOut = own(owned, gpu.upload(Tensor.uniform(random, DType.FLOAT32, -0.04, 0.04, features, TOKENS).toFloatArray()));
        DeviceBuffer bOut = own(owned, gpu.upload(new float[TOKENS]));
        DeviceBuffer gwOut = own(owned, gpu.allocate(4L * features * TOKENS));
        DeviceBuffer gbOut = own(owned, gpu.allocate(4L * TOKENS));
        DeviceBuffer logits = own(owned, gpu.allocate(4L * rows * TOKENS));
        DeviceBuffer gLogits = own(owned, gpu.allocate(4L * rows * TOKENS));
        DeviceBuffer lossRows = own(owned, gpu.allocate(4L * rows));
        DeviceBuffer gh = own(owned, gpu.allocate(4L * rows * features));
        // Adam state for every parameter: the BLSTM's and the output layer's.
        List<DeviceBuffer[]> adam = new ArrayList<>();
        Map<String, DeviceBuffer> params = blstm.parameters();
        Map<String, DeviceBuffer> grads = blstm.gradients();
        for (Map.Entry<String, Long> e : blstm.parameterSizes().entrySet()) {
          adam.add(adamState(gpu, owned, params.get(e.getKey()), grads.get(e.getKey()), e.getValue()));
        }
        adam.add(adamState(gpu, owned, wOut, gwOut, (long) features * TOKENS));
        adam.add(adamState(gpu, owned, bOut, gbOut, TOKENS));
        // forward + loss + backward, queued on the stream; recorded once as a CUDA graph below.
        Runnable forwardBackward = () -> {
          DeviceBuffer h = blstm.forward(x, lengths, batch, frames);
          stream.cublas().sgemm(false, false, rows, TOKENS, features, 1f, h, 0, wOut, 0, 0f, logits, 0);
          ops.addBiasRows(rows, TOKENS, bOut, logits);
          ops.softmaxCrossEntropyRows(rows, TOKENS, logits, target, 1f / rows, gLogits, lossRows);
          stream.cublas().sgemm(true, false, features, TOKENS, rows, 1f, h, 0, gLogits, 0, 0f, gwOut, 0);
          ops.columnSum(rows, TOKENS, gLogits, gbOut);
          stream.cublas().sgemm(false, true, rows, features, TOKENS, 1f, gLogits, 0, wOut, 0, 0f, gh, 0);
          blstm.backward(gh);
        };
        int[] step = {0};
        Runnable adamStep = () -> {
          step[0]++;
          for (DeviceBuffer[] s : adam) {
            ops.adam(s[2].bytes() / Float.BYTES, step[0], 1e-3f, 0.9f, 0.999f, 1e-8f, 0f, false, s[0], s[1], s[2], s[3]);
          }
        };
        // Eager: every launch queued from the host, step by step.
        List<Double> eager = timeSteps(stream, timed, () -> {
          forwardBackward.run();
          adamStep.run();
        });
        // Graph: forward + backward replayed with one launch (Adam's step count changes every
        // step, so its 38 launches stay eager).
        List<Double> seconds;
        try (CudaGraph graph = CudaGraph.capture(stream, forwardBackward)) {
          seconds = timeSteps(stream, timed, () -> {
            graph.launch(stream);
            adamStep.run();
          });
        }
        float[] l = new float[rows];
        lossRows.copyTo(l);
        double loss = 0;
        for (float v : l) {
          loss += v / rows;
        }
        double median = seconds.get(seconds.size() / 2);
        System.out.printf(
            "{\"bench\":\"blstm-train-step\",\"impl\":\"joule-gpu\",\"device\":\"%s\",\"layers\":%d,\"hidden\":%d,"
                + "\"batch\":%d,\"frames\":%d,\"step_ms_median\":%.2f,\"step_ms_min\":%.2f,\"step_ms_max\":%.2f,"
                + "\"frames_per_s\":%.0f,\"eager_step_ms_median\":%.2f,\"timed_steps\":%d,\"loss\":%.4f}%n",
            gpu.name(), layers, HIDDEN, batch, frames, median * 1e3, seconds.get(0) * 1e3,
            seconds.get(seconds.size() - 1) * 1e3, rows / median, eager.get(eager.size() / 2) * 1e3,
            seconds.size(), loss);
      } finally {
        stream.synchronize();
        owned.forEach(DeviceBuffer::close);
      }
    }
  }

  /** Sorted wall-clock seconds of {@code timed} steps after {@code WARMUP} untimed ones. */
  private static List<Double> timeSteps(CudaStream stream, int timed, Runnable step) {
    List<Double> seconds = new ArrayList<>();
    for (int i = 1; i <= WARMUP + timed; i++) {
      long t0 = System.nanoTime();
      step.run();
      stream.synchronize();
      if (i > WARMUP) {
        seconds.add((System.nanoTime() - t0) / 1e9);
      }
    }
    Collections.sort(seconds);
    return seconds;
  }

  private static DeviceBuffer own(List<DeviceBuffer> owned, DeviceBuffer b) {
    owned.add(b);
    return b;
  }

  /** {weight, gradient, m, v}; m holds exactly the weight's element count. */
  private static DeviceBuffer[] adamState(GpuDevice gpu, List<DeviceBuffer> owned, DeviceBuffer w, DeviceBuffer g, long n) {
    DeviceBuffer m = own(owned, gpu.upload(new float[(int) n]));
    DeviceBuffer v = own(owned, gpu.upload(new float[(int) n]));
    return new DeviceBuffer[] {w, g, m, v};
  }
}
