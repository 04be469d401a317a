package dev.joule.engine.ctccrf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.joule.engine.ctccrf.GpuDenominator.Layout;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import dev.joule.engine.testing.GpuParity;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The device-resident CTC-CRF loss against the CPU loss ({@link CtcCrfLoss} over the float64
 * {@link Denominator} and {@link CtcNumerator}); skipped without a GPU.
 */
class GpuCtcCrfLossTest {
  private static GpuTensors context;

  @BeforeEach
  void requireGpu() {
    context = GpuParity.requireGpu();
  }

  private static GpuDenominator denominator(DenGraph g, long budget, Layout layout) {
    return new GpuDenominator(context.device(), context.stream(), g, budget, layout);
  }

  private static int[][] randomLabels(Random r, int tokens, int[] lengths) {
    int[][] labels = new int[lengths.length][];
    for (int b = 0; b < lengths.length; b++) {
      labels[b] = new int[r.nextInt(Math.max(1, lengths[b] / 2))];
      for (int i = 0; i < labels[b].length; i++) {
        labels[b][i] = 1 + r.nextInt(tokens - 1);
      }
    }
    return labels;
  }

  private static String[] ids(int batch) {
    String[] ids = new String[batch];
    for (int b = 0; b < batch; b++) {
      ids[b] = "utt" + b;
    }
    return ids;
  }

  /** The GPU loss of {@code x} (placed at row {@code lead} of a larger tensor) against the CPU's. */
  private static void assertMatchesCpu(DenGraph g, LogProbBatch x, int[][] labels, boolean skipForbidden,
      GpuDenominator den, int lead) {
    String[] ids = ids(x.batch());
    CtcCrfLoss.Result want = new CtcCrfLoss(new Denominator(g), 0.01, skipForbidden).compute(x, labels, ids);
    // Rows before the batch put its log-probs at an offset inside their storage.
    float[] padded = new float[(lead + x.batch()) * x.maxFrames() * x.tokens()];
    System.arraycopy(x.data(), 0, padded, lead * x.maxFrames() * x.tokens(), x.data().length);
    Tensor all = Tensor.of(padded, lead + x.batch(), x.maxFrames(), x.tokens()).toGpu(context);
    Tensor logProbs = all.rowsView(lead, x.batch());
    GpuCtcCrfLoss.Queued got = new GpuCtcCrfLoss(context, den, 0.01, skipForbidden)
        .queue(logProbs, x.lengths(), labels, ids);
    CtcCrfLoss.Summary summary = got.summary();
    assertEquals(want.skipped(), summary.skipped());
    assertEquals(want.frames(), summary.frames());
    for (int b = 0; b < x.batch(); b++) {
      double w = want.perUtterance()[b];
      assertEquals(w, summary.perUtterance()[b], 2e-5 * Math.max(1, Math.abs(w)) * Math.sqrt(x.lengths()[b]), "utterance " + b);
    }
    assertEquals(want.total(), summary.total(), 2e-5 * Math.max(1, Math.abs(want.total())) * x.data().length);
    assertEquals((float) summary.total(), got.total().item(), 1e-6 * Math.max(1, Math.abs(summary.total())));
    float[] gradient = got.gradient().toFloatArray();
    for (int i = 0; i < gradient.length; i++) {
      assertEquals(want.gradient()[i], gradient[i], 5e-4, "gradient " + i);
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void matchesTheCpuLossOnRaggedBatchesWithSkippedUtterances(Layout layout) {
    for (long seed = 1; seed <= 3; seed++) {
      Random r = new Random(seed);
      int tokens = 3 + r.nextInt(30);
      DenGraph g = RandomGraphs.graph(r, 20 + r.nextInt(300), tokens, 10);
      int[] lengths = {40, 1, 17, 33, 6, 40, 25};
      LogProbBatch x = RandomGraphs.logSoftmax(r, tokens, 2.0, lengths);
      int[][] labels = randomLabels(r, tokens, lengths);
      // Needs more frames than the utterance has: skipped by both.
      labels[4] = new int[] {1, 1, 1, 1, 1};
      try (GpuDenominator den = denominator(g, context.device().totalMemoryBytes() / 4, layout)) {
        assertMatchesCpu(g, x, labels, false, den, (int) seed - 1);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void subBatchesOfTheDenominatorGiveTheSameLoss(Layout layout) {
    Random r = new Random(8);
    DenGraph g = RandomGraphs.graph(r, 200, 10, 8);
    int[] lengths = {20, 30, 10, 25, 30};
    LogProbBatch x = RandomGraphs.logSoftmax(r, 10, 1.0, lengths);
    long oneUtterance = 31L * 200 * Float.BYTES;
    try (GpuDenominator den = denominator(g, oneUtterance, layout)) {
      assertMatchesCpu(g, x, randomLabels(r, 10, lengths), false, den, 2);
    }
  }

  @Test
  void labelSequencesTheGraphForbidsAreSkippedWhenAsked() {
    Random r = new Random(5);
    DenGraph g = RandomGraphs.graph(r, 12, 6, 2);
    int[] lengths = {16, 16, 16, 16, 16, 16};
    LogProbBatch x = RandomGraphs.logSoftmax(r, 6, 1.0, lengths);
    // Random sequences until the batch holds some the sparse graph forbids and some it accepts.
    int[][] labels = new int[lengths.length][];
    int forbidden = 0;
    for (int tries = 0; tries < 10_000 && (forbidden < 2 || forbidden > 4); tries++) {
      labels = randomLabels(r, 6, lengths);
      forbidden = 0;
      for (int[] l : labels) {
        forbidden += g.accepts(l) ? 0 : 1;
      }
    }
    assertTrue(forbidden >= 2 && forbidden <= 4, "no batch mixing forbidden and accepted sequences was found");
    try (GpuDenominator den = denominator(g, 1 << 24, GpuDenominator.DEFAULT_LAYOUT)) {
      assertMatchesCpu(g, x, labels, true, den, 0);
    }
  }

  @Test
  void aNanWithinAnUtteranceIsRefusedByNameAndPaddingIsNotRead() {
    Random r = new Random(3);
    DenGraph g = RandomGraphs.graph(r, 50, 6, 5);
    int[] lengths = {12, 5, 12};
    LogProbBatch x = RandomGraphs.logSoftmax(r, 6, 1.0, lengths);
    // A NaN in utterance 1's padding (frame 7 of 5) is never read.
    x.data()[x.offset(1, 7) + 2] = Float.NaN;
    int[][] labels = randomLabels(r, 6, lengths);
    try (GpuDenominator den = denominator(g, 1 << 24, GpuDenominator.DEFAULT_LAYOUT)) {
      GpuCtcCrfLoss loss = new GpuCtcCrfLoss(context, den, 0.01);
      Tensor clean = Tensor.of(x.data(), 3, 12, 6).toGpu(context);
      double finite = loss.queue(clean, lengths, labels, ids(3)).summary().total();
      assertTrue(Double.isFinite(finite));
      x.data()[x.offset(2, 11) + 5] = Float.POSITIVE_INFINITY;
      Tensor bad = Tensor.of(x.data(), 3, 12, 6).toGpu(context);
      GpuCtcCrfLoss.Queued queued = loss.queue(bad, lengths, labels, ids(3));
      NonFiniteLogProbsException e = assertThrows(NonFiniteLogProbsException.class, queued::summary);
      assertTrue(e.getMessage().contains("[utt2]"), e.getMessage());
      assertEquals(List.of("utt2"), e.utterances());
      // The refused utterance gets no gradient.
      float[] gradient = queued.gradient().toFloatArray();
      for (int i = x.offset(2, 0); i < x.offset(3, 0); i++) {
        assertEquals(0f, gradient[i]);
      }
    }
  }

  @Test
  void badShapesAndLabelsAreRefusedBeforeAnythingIsQueued() {
    Random r = new Random(4);
    DenGraph g = RandomGraphs.graph(r, 30, 5, 4);
    try (GpuDenominator den = denominator(g, 1 << 24, GpuDenominator.DEFAULT_LAYOUT)) {
      GpuCtcCrfLoss loss = new GpuCtcCrfLoss(context, den, 0.01);
      Tensor x = Tensor.zeros(context, DType.FLOAT32, 2, 4, 5);
      assertThrows(IllegalArgumentException.class, () -> loss.queue(x, new int[] {4, 5}, new int[][] {{1}, {1}}, ids(2)));
      assertThrows(IllegalArgumentException.class, () -> loss.queue(x, new int[] {4, 4}, new int[][] {{1}, {5}}, ids(2)));
      assertThrows(IllegalArgumentException.class,
          () -> loss.queue(Tensor.zeros(context, DType.FLOAT32, 2, 4, 6), new int[] {4, 4}, new int[][] {{1}, {1}}, ids(2)));
      assertThrows(IllegalArgumentException.class,
          () -> loss.queue(Tensor.zeros(DType.FLOAT32, 2, 4, 5), new int[] {4, 4}, new int[][] {{1}, {1}}, ids(2)));
    }
  }

  /** The device path of the criterion gives the logits the host path's loss and gradient. */
  @Test
  void criterionOnTheDeviceMatchesTheHostPathThroughLogSoftmax() {
    Random r = new Random(21);
    int tokens = 9;
    DenGraph g = RandomGraphs.graph(r, 80, tokens, 6);
    int[] lengths = {30, 22, 30, 9};
    int[][] labels = randomLabels(r, tokens, lengths);
    String[] ids = ids(4);
    float[] z = new float[4 * 30 * tokens];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (2 * r.nextGaussian());
    }
    try (GpuDenominator den = denominator(g, 1 << 26, GpuDenominator.DEFAULT_LAYOUT)) {
      double[][] totals = new double[2][];
      float[][] grads = new float[2][];
      CtcCrfCriterion[] criteria = {
          new CtcCrfCriterion(new CtcCrfLoss(den, 0.01)), new CtcCrfCriterion(new GpuCtcCrfLoss(context, den, 0.01))};
      for (int k = 0; k < 2; k++) {
        Tensor logits = Tensor.of(z, 4, 30, tokens).toGpu(context).detach().requiresGrad(true);
        CtcCrfCriterion.Output out = criteria[k].forward(Ops.logSoftmax(logits, 2), lengths, labels, ids);
        Ops.scale(out.total(), 0.25).backward();
        totals[k] = new double[] {out.total().item(), out.details().total(), out.details().frames()};
        grads[k] = logits.grad().toFloatArray();
        assertTrue(logits.grad().isGpu());
      }
      // The host path's numerator is the float64 CPU one; the device path's is float32.
      assertEquals(totals[0][0], totals[1][0], 1e-5 * Math.abs(totals[0][0]));
      assertEquals(totals[0][1], totals[1][1], 1e-5 * Math.abs(totals[0][1]));
      assertEquals(totals[0][2], totals[1][2]);
      for (int i = 0; i < grads[0].length; i++) {
        assertEquals(grads[0][i], grads[1][i], 1e-4, "logit gradient " + i);
      }
      assertEquals(List.of(), criteria[1].forward(Ops.logSoftmax(Tensor.of(z, 4, 30, tokens).toGpu(context), 2),
          lengths, labels, ids).details().skipped());
    }
  }

  @Test
  void lambdaMustBeFiniteAndNonNegative() {
    DenGraph g = RandomGraphs.graph(new Random(1), 10, 3, 3);
    try (GpuDenominator den = denominator(g, 1 << 20, GpuDenominator.DEFAULT_LAYOUT)) {
      assertThrows(IllegalArgumentException.class, () -> new GpuCtcCrfLoss(context, den, -1));
      assertThrows(IllegalArgumentException.class, () -> new GpuCtcCrfLoss(context, den, Double.NaN));
    }
  }
}
