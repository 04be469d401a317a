package dev.joule.engine.ctccrf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The loss on the autograd tape: gradients reach the logits through log-softmax. */
class CtcCrfCriterionTest {

  @Test
  void gradientOfLogitsThroughLogSoftmaxMatchesFiniteDifferences() {
    Random r = new Random(31);
    int batch = 2;
    int frames = 7;
    int tokens = 4;
    DenGraph g = RandomGraphs.graph(r, 12, tokens, 4);
    CtcCrfCriterion criterion = new CtcCrfCriterion(new CtcCrfLoss(new Denominator(g), 0.01));
    int[] lengths = {7, 5};
    int[][] labels = {{1, 2, 2}, {3}};
    String[] ids = {"a", "b"};
    Tensor logits = Tensor.randn(r, DType.FLOAT64, 1.0, batch, frames, tokens).requiresGrad(true);
    Tensor total = criterion.forward(Ops.logSoftmax(logits, 2), lengths, labels, ids).total();
    total.backward();
    double[] analytic = logits.grad().toDoubleArray();
    double[] z = logits.toDoubleArray();
    double h = 1e-2;
    for (int i = 0; i < z.length; i++) {
      double[] plus = z.clone();
      double[] minus = z.clone();
      plus[i] += h;
      minus[i] -= h;
      double up = criterion.forward(Ops.logSoftmax(Tensor.of(plus, batch, frames, tokens), 2), lengths, labels, ids).total().item();
      double down = criterion.forward(Ops.logSoftmax(Tensor.of(minus, batch, frames, tokens), 2), lengths, labels, ids).total().item();
      assertEquals((up - down) / (2 * h), analytic[i], 2e-3, "element " + i);
    }
    CtcCrfLoss.Summary details = criterion.forward(Ops.logSoftmax(logits, 2), lengths, labels, ids).details();
    assertEquals(total.item(), details.total(), 1e-12);
    assertEquals(12, details.frames());
    assertEquals(List.of(), details.skipped());
    // Padding frames of the short utterance get no gradient.
    for (int t = 5; t < frames; t++) {
      for (int v = 0; v < tokens; v++) {
        assertEquals(0.0, analytic[(frames + t) * tokens + v], 1e-12);
      }
    }
  }

  @Test
  void detailsNameTheSkippedUtteranceAndCountOnlyScoredFrames() {
    Random r = new Random(32);
    DenGraph g = RandomGraphs.graph(r, 12, 4, 4);
    CtcCrfCriterion criterion = new CtcCrfCriterion(new CtcCrfLoss(new Denominator(g), 0.01));
    // "short" has 2 frames for 3 labels: no CTC alignment, so it is skipped.
    Tensor logits = Tensor.randn(r, DType.FLOAT64, 1.0, 2, 6, 4).requiresGrad(true);
    CtcCrfCriterion.Output out = criterion.forward(Ops.logSoftmax(logits, 2), new int[] {6, 2},
        new int[][] {{1, 2}, {1, 2, 3}}, new String[] {"long", "short"});
    CtcCrfLoss.Summary details = out.details();
    assertEquals(List.of("short"), details.skipped());
    assertEquals(6, details.frames());
    assertEquals(0.0, details.perUtterance()[1]);
    assertEquals(details.perUtterance()[0], out.total().item(), 1e-12);
    out.total().backward();
    double[] grad = logits.grad().toDoubleArray();
    for (int i = 6 * 4; i < grad.length; i++) {
      assertEquals(0.0, grad[i], "the skipped utterance gets no gradient");
    }
  }
}
