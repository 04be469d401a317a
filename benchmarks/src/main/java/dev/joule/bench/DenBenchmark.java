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
 * <p>Usage: {@code DenBenchmark gpu|cpu DEN_FST [repetitions]}. Prints one JSON line per case
 * with the median and spread of forward+backward time, plus logZ checks.
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
    DenGraph graph = DenGraph.read(fst, TOKENS);
    float[] logits = catLogits();
    int[] full = new int[BATCH];
    Arrays.fill(full, FRAMES);
    int[] ragged = raggedLengths();
    for (String name : new String[] {"B=64,T=400", "ragged,T=200..400"}) {
      LogProbBatch x = new LogProbBatch(logits, BATCH, FRAMES, TOKENS, name.startsWith("ragged") ? ragged : full);
      double[] ms = new double[repetitions];
      SequencePosteriors result = null;
      if (device.equals("gpu")) {
        try (GpuDevice gpu = GpuDevice.open(0);
            GpuDenominator den = new GpuDenominator(gpu, gpu.defaultStream(), graph)) {
          for (int i = 0; i < 3; i++) {
            den.compute(x);
          }
          for (int i = 0; i < repetitions; i++) {
            long t0 = System.nanoTime();
            result = den.compute(x);
            ms[i] = (System.nanoTime() - t0) / 1e6;
          }
        }
      } else {
        Denominator den = new Denominator(graph);
        den.compute(x);
        for (int i = 0; i < repetitions; i++) {
          long t0 = System.nanoTime();
          result = den.compute(x);
          ms[i] = (System.nanoTime() - t0) / 1e6;
        }
      }
      Arrays.sort(ms);
      System.out.printf(
          "{\"bench\":\"den-forward-backward\",\"impl\":\"joule-%s\",\"case\":\"%s\",\"states\":%d,\"arcs\":%d,"
              + "\"ms_median\":%.2f,\"ms_min\":%.2f,\"ms_max\":%.2f,\"repetitions\":%d,\"logz_first\":%.6f,\"threads\":%d}%n",
          device, name, graph.numStates(), graph.numArcs(), ms[ms.length / 2], ms[0], ms[ms.length - 1],
          repetitions, result.logLikelihood()[0], Runtime.getRuntime().availableProcessors());
    }
  }

  /** log_softmax over v of N(0,1) values filled in row-major [b][t][v] order (the CAT recipe). */
  static float[] catLogits() {
    float[] x = new float[BATCH * FRAMES * TOKENS];
    new SplitMix64(20240601L).normals(x);
    for (int row = 0; row < BATCH * FRAMES; row++) {
      int o = row * TOKENS;
      double max = Double.NEGATIVE_INFINITY;
      for (int v = 0; v < TOKENS; v++) {
        max = Math.max(max, x[o + v]);
      }
      double sum = 0;
      for (int v = 0; v < TOKENS; v++) {
        sum += Math.exp(x[o + v] - max);
      }
      double log = max + Math.log(sum);
      for (int v = 0; v < TOKENS; v++) {
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
