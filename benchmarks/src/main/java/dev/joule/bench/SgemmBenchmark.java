package dev.joule.bench;

import dev.joule.engine.cpu.CpuSgemm;
import dev.joule.engine.gpu.CudaStream;
import dev.joule.engine.gpu.DeviceBuffer;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuProbe;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * SGEMM throughput, square row-major n×n·n×n, on the GPU (JCublas2 through Joule's runtime) and,
 * for scale, on the CPU backend.
 *
 * <p>Each size is warmed up, then timed over several repetitions of a batch of GEMMs with one
 * device synchronisation per batch; the median batch gives TFLOP/s = 2n³·batch / seconds.
 * Output: one JSON object per line (device, n, median and spread), for the run script to join
 * with PyTorch's figures measured by {@code benchmarks/gpu/torch_matmul.py} with the same method.
 *
 * <p>Usage: {@code SgemmBenchmark [gpu|cpu] [n ...]}
 */
public final class SgemmBenchmark {
  private static final int REPETITIONS = 7;

  private SgemmBenchmark() {}

  public static void main(String[] args) {
    String device = args.length > 0 ? args[0] : "gpu";
    int[] sizes =
        args.length > 1
            ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray()
            : device.equals("gpu") ? new int[] {1024, 2048, 4096, 8192} : new int[] {256, 512, 1024};
    for (int n : sizes) {
      Result r = device.equals("gpu") ? gpu(n) : cpu(n);
      System.out.println(r.json(device));
    }
  }

  /** Median and min/max of TFLOP/s over the repetitions. */
  record Result(int n, double median, double min, double max, String deviceName) {
    String json(String device) {
      return String.format(
          "{\"bench\":\"sgemm\",\"impl\":\"joule-%s\",\"device\":\"%s\",\"n\":%d,\"tflops_median\":%.3f,"
              + "\"tflops_min\":%.3f,\"tflops_max\":%.3f,\"repetitions\":%d}",
          device, deviceName, n, median, min, max, REPETITIONS);
    }
  }

  private static Result gpu(int n) {
    GpuProbe.Result probe = GpuProbe.probe();
    if (!probe.available()) {
      throw new IllegalStateException("no usable GPU: " + probe.reason());
    }
    float[] hostA = random(n, 1);
    float[] hostB = random(n, 2);
    try (GpuDevice gpu = GpuDevice.open(0);
        DeviceBuffer a = gpu.upload(hostA);
        DeviceBuffer b = gpu.upload(hostB);
        DeviceBuffer c = gpu.allocate((long) n * n * Float.BYTES)) {
      CudaStream stream = gpu.defaultStream();
      int batch = Math.max(1, (int) (2e13 / (2.0 * n * n * n)));
      for (int i = 0; i < batch; i++) {
        stream.cublas().sgemm(n, n, n, 1f, a, b, 0f, c);
      }
      stream.synchronize();
      List<Double> tflops = new ArrayList<>();
      for (int rep = 0; rep < REPETITIONS; rep++) {
        long t0 = System.nanoTime();
        for (int i = 0; i < batch; i++) {
          stream.cublas().sgemm(n, n, n, 1f, a, b, 0f, c);
        }
        stream.synchronize();
        double seconds = (System.nanoTime() - t0) / 1e9;
        tflops.add(2.0 * n * n * n * batch / seconds / 1e12);
      }
      return summarise(n, tflops, gpu.name());
    }
  }

  private static Result cpu(int n) {
    float[] a = random(n, 1);
    float[] b = random(n, 2);
    float[] c = new float[n * n];
    CpuSgemm.sgemm(n, n, n, 1f, a, b, 0f, c);
    List<Double> tflops = new ArrayList<>();
    for (int rep = 0; rep < REPETITIONS; rep++) {
      long t0 = System.nanoTime();
      CpuSgemm.sgemm(n, n, n, 1f, a, b, 0f, c);
      double seconds = (System.nanoTime() - t0) / 1e9;
      tflops.add(2.0 * n * n * n / seconds / 1e12);
    }
    return summarise(n, tflops, Runtime.getRuntime().availableProcessors() + "-thread CPU");
  }

  private static Result summarise(int n, List<Double> values, String deviceName) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    return new Result(n, v[v.length / 2], v[0], v[v.length - 1], deviceName);
  }

  private static float[] random(int n, long seed) {
    Random r = new Random(seed);
    float[] x = new float[n * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextGaussian();
    }
    return x;
  }
}
