package dev.joule.engine.ctccrf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.joule.engine.ctccrf.GpuDenominator.Layout;
import dev.joule.engine.gpu.GpuDevice;
import dev.joule.engine.gpu.GpuProbe;
import dev.joule.engine.gpu.PtxModule;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The GPU denominator against the float64 CPU reference; skipped without a GPU. */
class GpuDenominatorTest {
  private static GpuDevice gpu;

  @BeforeEach
  void requireGpu() {
    GpuProbe.Result probe = GpuProbe.probe();
    assumeTrue(probe.available(), () -> "GPU test skipped: no usable GPU (" + probe.reason() + ")");
    assumeTrue(PtxModule.isBundled("den_forward_backward"), "GPU test skipped: no PTX bundled (built without nvcc)");
    synchronized (GpuDenominatorTest.class) {
      if (gpu == null) {
        gpu = GpuDevice.open(0);
      }
    }
  }

  private static void assertClose(SequencePosteriors want, SequencePosteriors got, LogProbBatch x) {
    for (int b = 0; b < x.batch(); b++) {
      double w = want.logLikelihood()[b];
      if (w == Double.NEGATIVE_INFINITY) {
        assertEquals(w, got.logLikelihood()[b], "utterance " + b);
      } else {
        assertEquals(w, got.logLikelihood()[b], 2e-6 * Math.max(1, Math.abs(w)) * Math.sqrt(x.lengths()[b]), "utterance " + b);
      }
    }
    for (int i = 0; i < x.data().length; i++) {
      assertEquals(want.occupancy()[i], got.occupancy()[i], 2e-4, "occupancy " + i);
    }
  }

  /** Both kernel layouts, with the default memory budget. */
  private static GpuDenominator denominator(DenGraph g, Layout layout) {
    return new GpuDenominator(gpu, gpu.defaultStream(), g, gpu.totalMemoryBytes() / 4, layout);
  }

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void matchesTheReferenceOnRandomGraphsAndRaggedBatches(long seed) {
    Random r = new Random(seed);
    int tokens = 2 + r.nextInt(40);
    DenGraph g = RandomGraphs.graph(r, 10 + r.nextInt(600), tokens, 12);
    LogProbBatch x = RandomGraphs.logSoftmax(r, tokens, 2.0, 60, 1, 33, 59, 7);
    SequencePosteriors want = DenominatorReference.compute(g, x);
    for (Layout layout : Layout.values()) {
      try (GpuDenominator den = denominator(g, layout)) {
        assertClose(want, den.compute(x), x);
      }
    }
  }

  @Test
  void bothLayoutsAgreeOnABatchWiderThanOneWarp() {
    Random r = new Random(77);
    DenGraph g = RandomGraphs.graph(r, 150, 12, 9);
    int[] lengths = new int[45];
    for (int b = 0; b < lengths.length; b++) {
      lengths[b] = 5 + r.nextInt(60);
    }
    LogProbBatch x = RandomGraphs.logSoftmax(r, 12, 1.5, lengths);
    SequencePosteriors want = new Denominator(g).compute(x);
    for (Layout layout : Layout.values()) {
      try (GpuDenominator den = denominator(g, layout)) {
        assertClose(want, den.compute(x), x);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void subBatchesUnderATightMemoryBudgetGiveTheSameResult(Layout layout) {
    Random r = new Random(8);
    DenGraph g = RandomGraphs.graph(r, 200, 10, 8);
    LogProbBatch x = RandomGraphs.logSoftmax(r, 10, 1.0, 20, 30, 10, 25);
    long oneUtterance = 31L * 200 * Float.BYTES;
    try (GpuDenominator tight = new GpuDenominator(gpu, gpu.defaultStream(), g, oneUtterance, layout)) {
      assertClose(new Denominator(g).compute(x), tight.compute(x), x);
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void infeasibleUtteranceGivesMinusInfinityAndNoOccupancy(Layout layout) {
    DenGraph g = new DenGraph(3, 2, 0,
        new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY, 0},
        new int[] {0, 1}, new int[] {1, 2}, new int[] {1, 1}, new double[] {0, 0});
    LogProbBatch x = RandomGraphs.logSoftmax(new Random(1), 2, 1.0, 3, 2);
    try (GpuDenominator den = denominator(g, layout)) {
      assertClose(DenominatorReference.compute(g, x), den.compute(x), x);
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void longUtterancesUpToTwoThousandFrames(Layout layout) {
    Random r = new Random(2000);
    DenGraph g = RandomGraphs.graph(r, 300, 40, 10);
    LogProbBatch x = RandomGraphs.logSoftmax(r, 40, 2.0, 2000, 1500, 3);
    try (GpuDenominator den = denominator(g, layout)) {
      assertClose(new Denominator(g).compute(x), den.compute(x), x);
    }
  }
}
