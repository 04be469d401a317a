package dev.joule.engine.ctccrf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuProbe;
import dev.joule.engine.gpu.PtxModule;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The GPU CTC numerator against the float64 CPU implementation; skipped without a GPU. */
class GpuCtcNumeratorTest {
  private static GpuDevice gpu;

  @BeforeEach
  void requireGpu() {
    GpuProbe.Result probe = GpuProbe.probe();
    assumeTrue(probe.available(), () -> "GPU test skipped: no usable GPU (" + probe.reason() + ")");
    assumeTrue(PtxModule.isBundled("ctc_numerator"), "GPU test skipped: no PTX bundled (built without nvcc)");
    synchronized (GpuCtcNumeratorTest.class) {
      if (gpu == null) {
        gpu = GpuDevice.open(0);
      }
    }
  }

  @Test
  void matchesTheCpuOnRandomRaggedBatches() {
    Random r = new Random(17);
    int tokens = 30;
    int[] lengths = {50, 1, 12, 49, 30, 3};
    int[][] labels = new int[lengths.length][];
    for (int b = 0; b < lengths.length; b++) {
      labels[b] = new int[Math.max(0, lengths[b] / 3 + (b == 5 ? 3 : 0))]; // the last one cannot align
      for (int i = 0; i < labels[b].length; i++) {
        labels[b][i] = 1 + r.nextInt(i % 4 == 0 ? 2 : tokens - 1);
      }
    }
    LogProbBatch x = RandomGraphs.logSoftmax(r, tokens, 2.0, lengths);
    SequencePosteriors want = CtcNumerator.compute(x, labels);
    SequencePosteriors got = new GpuCtcNumerator(gpu, gpu.defaultStream()).compute(x, labels);
    for (int b = 0; b < lengths.length; b++) {
      double w = want.logLikelihood()[b];
      assertEquals(w, got.logLikelihood()[b], w == Double.NEGATIVE_INFINITY ? 0 : 1e-5 * Math.max(1, Math.abs(w)), "utterance " + b);
    }
    for (int i = 0; i < x.data().length; i++) {
      assertEquals(want.occupancy()[i], got.occupancy()[i], 2e-4, "occupancy " + i);
    }
  }
}
