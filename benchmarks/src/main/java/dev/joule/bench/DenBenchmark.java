package dev.joule.bench;

import dev.joule.engine.ctccrf.DenGraph;
import dev.joule.engine.ctccrf.Denominator;
import dev.joule.engine.ctccrf.GpuDenominator;
import dev.joule.engine.ctccrf.LogProbBatch;
import dev.joule.engine.ctccrf.SequencePosteriors;
import dev.joule.engine.gpu.GpuDevice;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Times the denominator forward-backward on the den-phone4g bench graph with the exact batch
 * CAT's kernel was timed on (B=64, T=400, V=40 log-softmax of SplitMix64 normals, seed
 * 20240601; ragged lengths 200 + next() mod 201 from seed 4321).
 *
 * <p>Usage: {@code DenBenchmark gpu|cpu|cpu-arc-by-arc DEN_FST [repetitions] [utterances]} ({@code
 * cpu-arc-by-arc}: the CPU's general form, even on a graph with one token per state;
 * utterances: the first so many of the 64, for a quick check of the program). Prints one JSON
 * line per case with the median and spread of forward+backward time, plus logZ checks.
 */
public final class DenBenchmark {
  static final int BATCH = 64;
  static final int FRAMES = 400;
  static final int TOKENS = 40;

  private DenBenchmark() {}

  public static void main(String[] args) {
    String device = args.length > 0 ? args[0] : "gpu";
    Path fst = Path.of(args.length > 1 ? args[1] : "../shared/bench/den-phone4g/den.fst");
    int repetitions = args.length > 2 ? Integer.parseInt(args[2]) : (device.equals("gpu") ? 20 : 3);
    int utterances = args.length > 3 ? Integer.parseInt(args[3]) : BATCH;
    if (utterances < 1 || utterances > BATCH) {
      throw new IllegalArgumentException("utterances must be 1.." + BATCH + ", got " + utterances);
    }
    DenGraph graph = DenGraph.read(fst, TOKENS);
    float[] logits = Arrays.copyOf(catLogits(), utterances * FRAMES * TOKENS);
    int[] full = new int[utterances];
    Arrays.fill(full, FRAMES);
    int[] ragged = Arrays.copyOf(raggedLengths(), utterances);
    for (String name : new String[] {"B=" + utterances + ",T=" + FRAMES, "ragged,T=200..400"}) {
      LogProbBatch x = new LogProbBatch(logits, utterances, FRAMES, TOKENS, name.startsWith("ragged") ? ragged : full);
      if (device.equals("gpu")) {
        gpuCase(graph, x, name, repetitions);
        continue;
      }
      double[] ms = new double[repetitions];
      SequencePosteriors result = null;
      Denominator den = device.equals("cpu-arc-by-arc") ? Denominator.arcByArc(graph) : new Denominator(graph);
      den.compute(x);
      for (int i = 0; i < repetitions; i++) {
        long t0 = System.nanoTime();
        result = den.compute(x);
        ms[i] = (System.nanoTime() - t0) / 1e6;
      }
      Arrays.sort(ms);
      System.out.printf(
          "{\"bench\":\"den-forward-backward\",\"impl\":\"joule-%s\",\"case\":\"%s\",\"states\":%d,\"arcs\":%d,"
              + "\"ms_median\":%.2f,\"ms_min\":%.2f,\"ms_max\":%.2f,\"repetitions\":%d,\"logz_first\":%.6f,\"threads\":%d}%n",
          device, name, graph.numStates(), graph.numArcs(), ms[ms.length / 2], ms[0], ms[ms.length - 1],
          repetitions, result.logLikelihood()[0], Runtime.getRuntime().availableProcessors());
    }
  }

  /**
   * Joule's kernel beside the CAT-layout baseline on the same batch, with the arithmetic floor:
   * every arc is visited once per frame forward (one exp) and once backward (two exps: the
   * log-add and the arc posterior), and exps run on the special-function units at 16 per SM
   * per clock, so floor = arc visits × 3 / (SMs × 16 × clock).
   */
  private static void gpuCase(DenGraph graph, LogProbBatch x, String name, int repetitions) {
    try (GpuDevice gpu = GpuDevice.open(0);
        CatLayoutDenominator cat = new CatLayoutDenominator(gpu, gpu.defaultStream(), graph)) {
      for (GpuDenominator.Layout layout : GpuDenominator.Layout.values()) {
        try (GpuDenominator ours = new GpuDenominator(gpu, gpu.defaultStream(), graph, gpu.totalMemoryBytes() / 4, layout)) {
          compare(gpu, graph, x, name, layout, ours, cat, repetitions);
        }
      }
    }
  }

  private static void compare(GpuDevice gpu, DenGraph graph, LogProbBatch x, String name, GpuDenominator.Layout layout,
      GpuDenominator ours, CatLayoutDenominator cat, int repetitions) {
    double[] oursMs = new double[repetitions];
    double[] catMs = new double[repetitions];
    SequencePosteriors a = null;
    SequencePosteriors b = null;
    for (int i = 0; i < 3; i++) {
      ours.compute(x);
      cat.compute(x);
    }
    for (int i = 0; i < repetitions; i++) {
      long t0 = System.nanoTime();
      a = ours.compute(x);
      oursMs[i] = (System.nanoTime() - t0) / 1e6;
      t0 = System.nanoTime();
      b = cat.compute(x);
      catMs[i] = (System.nanoTime() - t0) / 1e6;
    }
    Arrays.sort(oursMs);
    Arrays.sort(catMs);
    double maxLogZ = 0;
    double maxOcc = 0;
    for (int u = 0; u < x.batch(); u++) {
      maxLogZ = Math.max(maxLogZ, Math.abs(a.logLikelihood()[u] - b.logLikelihood()[u]));
    }
    for (int i = 0; i < a.occupancy().length; i++) {
      maxOcc = Math.max(maxOcc, Math.abs(a.occupancy()[i] - b.occupancy()[i]));
    }
    long frames = Arrays.stream(x.lengths()).asLongStream().sum();
    double arcVisits = (double) frames * graph.numArcs();
    double sfuPerSecond = gpu.multiprocessorCount() * 16.0 * gpu.clockRateKHz() * 1e3;
    double floorMs = arcVisits * 3 / sfuPerSecond * 1e3;
    System.out.printf(
        "{\"bench\":\"den-forward-backward\",\"device\":\"%s\",\"case\":\"%s\",\"layout\":\"%s\",\"states\":%d,\"arcs\":%d,"
            + "\"joule_ms_median\":%.2f,\"joule_ms_min\":%.2f,\"joule_ms_max\":%.2f,"
            + "\"cat_layout_ms_median\":%.2f,\"cat_layout_ms_min\":%.2f,\"cat_layout_ms_max\":%.2f,"
            + "\"speedup_vs_cat_layout\":%.2f,\"sfu_floor_ms\":%.2f,\"ratio_to_floor\":%.2f,"
            + "\"max_abs_logz_diff\":%.3g,\"max_abs_occupancy_diff\":%.3g,\"repetitions\":%d}%n",
        gpu.name(), name, layout, graph.numStates(), graph.numArcs(),
        oursMs[repetitions / 2], oursMs[0], oursMs[repetitions - 1],
        catMs[repetitions / 2], catMs[0], catMs[repetitions - 1],
        catMs[repetitions / 2] / oursMs[repetitions / 2], floorMs, oursMs[repetitions / 2] / floorMs,
        maxLogZ, maxOcc, repetitions);
  }

  /** log_softmax over v of N(0,1) values filled in row-major [b][t][v] order (the CAT recipe). */
  static float[] catLogits() {
    return logSoftmaxNormals(BATCH * FRAMES, TOKENS, 20240601L);
  }

  /** {@code rows} rows of log_softmax over {@code tokens} N(0,1) values from SplitMix64 {@code seed}. */
  public static float[] logSoftmaxNormals(int rows, int tokens, long seed) {
    float[] x = new float[rows * tokens];
    new SplitMix64(seed).normals(x);
    for (int row = 0; row < rows; row++) {
      int o = row * tokens;
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < tokens; v++) {
        max = Math.max(max, x[o + v]);
      }
      double sum = 0;
      for (int v = 0; v < tokens; v++) {
        sum += Math.exp(x[o + v] - max);
      }
      double log = max + Math.log(sum);
      for (int v = 0; v < tokens; v++) {
        x[o + v] = (float) (x[o + v] - log);
      }
    }
    return x;
  }

  static int[] raggedLengths() {
    SplitMix64 r = new SplitMix64(4321L);
    int[] lengths = new int[BATCH];
    for (int b = 0; b < BATCH; b++) {
      lengths[b] = 200 + (int) Long.remainderUnsigned(r.next(), 201);
    }
    return lengths;
  }
}
