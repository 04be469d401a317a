package dev.joule.engine.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.ShapeMismatchException;
import dev.joule.engine.tensor.Tensor;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LayersBehaviourTest {
  private static final DType F64 = DType.FLOAT64;

  /** The textbook LSTM step by step with plain ops: the reference for the fused recurrence. */
  private static Tensor referenceLstm(Tensor proj, Tensor whh, int steps, boolean reverse) {
    int b = proj.dim(0);
    int h = whh.dim(0);
    Tensor hs = Tensor.zeros(F64, b, h);
    Tensor cs = Tensor.zeros(F64, b, h);
    Tensor[] outs = new Tensor[steps];
    for (int s = 0; s < steps; s++) {
      int t = reverse ? steps - 1 - s : s;
      Tensor z = Ops.add(Ops.reshape(Ops.narrow(proj, 1, t, 1), b, 4 * h), Ops.matmul(hs, whh));
      List<Tensor> g = Ops.split(z, 1, h, h, h, h);
      cs = Ops.add(Ops.mul(Ops.sigmoid(g.get(1)), cs), Ops.mul(Ops.sigmoid(g.get(0)), Ops.tanh(g.get(2))));
      hs = Ops.mul(Ops.sigmoid(g.get(3)), Ops.tanh(cs));
      outs[t] = hs;
    }
    return Ops.stack(List.of(outs), 1);
  }

  @Test
  void fusedLstmMatchesStepByStepReference() {
    Random r = new Random(5);
    int h = 4;
    Tensor proj = Tensor.randn(r, F64, 1, 2, 6, 4 * h);
    Tensor whh = Tensor.randn(r, F64, 0.5, h, 4 * h);
    Tensor lengths = Tensor.ofInts(new int[] {6, 6}, 2);
    for (boolean reverse : new boolean[] {false, true}) {
      assertArrayEquals(
          referenceLstm(proj, whh, 6, reverse).values(), Ops.lstm(proj, whh, lengths, reverse).values(), 1e-12);
    }
  }

  @Test
  void paddedSequenceGivesTheSameOutputAsAloneAndZerosAfterItsEnd() {
    Random r = new Random(6);
    Lstm lstm = new Lstm(3, 4, 2, true, 0, r, F64);
    Tensor x = Tensor.randn(r, F64, 1, 2, 7, 3);
    Tensor both = lstm.forward(x, Tensor.ofInts(new int[] {7, 4}, 2));
    Tensor alone = lstm.forward(Ops.narrow(Ops.narrow(x, 0, 1, 1), 1, 0, 4), Tensor.ofInts(new int[] {4}, 1));
    Tensor second = Ops.narrow(Ops.narrow(both, 0, 1, 1), 1, 0, 4);
    assertArrayEquals(alone.values(), second.values(), 1e-12);
    for (double v : Ops.narrow(Ops.narrow(both, 0, 1, 1), 1, 4, 3).values()) {
      assertEquals(0, v, 0);
    }
    assertArrayEquals(new int[] {2, 7, 8}, both.shape().dims());
  }

  @Test
  void dropoutActsOnlyInTraining() {
    Random r = new Random(12);
    Lstm lstm = new Lstm(3, 4, 2, true, 0.5, r, F64);
    ConformerBlock block = new ConformerBlock(8, 2, 3, 0.3, r, F64);
    Tensor x = Tensor.randn(r, F64, 1, 2, 5, 3);
    Tensor xc = Tensor.randn(r, F64, 1, 2, 5, 8);
    Tensor lengths = Tensor.ofInts(new int[] {5, 4}, 2);
    assertFalse(Arrays.equals(lstm.forward(x, lengths).values(), lstm.forward(x, lengths).values()));
    assertFalse(Arrays.equals(block.forward(xc, lengths).values(), block.forward(xc, lengths).values()));
    lstm.train(false);
    block.train(false);
    assertArrayEquals(lstm.forward(x, lengths).values(), lstm.forward(x, lengths).values(), 0);
    assertArrayEquals(block.forward(xc, lengths).values(), block.forward(xc, lengths).values(), 0);
  }

  @Test
  void batchNormTracksRunningStatisticsAndUsesThemInEvaluation() {
    BatchNorm bn = new BatchNorm(1, 0.5, 0, F64);
    Tensor x = Tensor.of(new double[] {1, 3}, 2, 1);
    assertArrayEquals(new double[] {-1, 1}, bn.forward(x).values(), 1e-12);
    // running mean 0.5·0 + 0.5·2 = 1; running var 0.5·1 + 0.5·(unbiased 2) = 1.5
    assertEquals(1, bn.runningMean().item(), 1e-12);
    assertEquals(1.5, bn.runningVar().item(), 1e-12);
    bn.train(false);
    assertEquals((3 - 1) / Math.sqrt(1.5), bn.forward(Tensor.of(new double[] {3}, 1, 1)).item(), 1e-12);
  }

  @Test
  void dropoutLayerIsSeededAndOffInEvaluation() {
    Tensor x = Tensor.ones(50);
    assertArrayEquals(new Dropout(0.5, 3).forward(x).values(), new Dropout(0.5, 3).forward(x).values(), 0);
    Dropout d = new Dropout(0.5, 3);
    assertFalse(Arrays.equals(d.forward(x).values(), d.forward(x).values()), "successive masks differ");
    d.train(false);
    assertSame(x, d.forward(x));
  }

  @Test
  void parametersHaveStableDottedNames() {
    ConformerBlock block = new ConformerBlock(8, 2, 3, 0.1, new Random(1), DType.FLOAT32);
    List<String> names = List.copyOf(block.state().keySet());
    assertEquals("ff1.norm.weight", names.get(0));
    assertEquals(true, names.contains("conv.batch_norm.running_var"));
    assertEquals(false, block.parameters().containsKey("conv.batch_norm.running_var"));
    Lstm lstm = new Lstm(80, 320, 1, true, 0, new Random(1), DType.FLOAT32);
    assertEquals(List.of("layer0.weight_ih", "layer0.weight_hh", "layer0.bias", "layer0_reverse.weight_ih",
        "layer0_reverse.weight_hh", "layer0_reverse.bias"), List.copyOf(lstm.parameters().keySet()));
    assertEquals(2L * (80 * 1280 + 320 * 1280 + 1280), lstm.parameterCount());
  }

  @Test
  void layersRejectWrongShapes() {
    Linear linear = new Linear(4, 2, true, new Random(1), F64);
    ShapeMismatchException e = assertThrows(ShapeMismatchException.class, () -> linear.forward(Tensor.zeros(F64, 3, 5)));
    assertEquals(true, e.getMessage().contains("[3, 5]") && e.getMessage().contains("[4, 2]"), e.getMessage());
    BatchNorm bn = new BatchNorm(3, F64);
    assertThrows(ShapeMismatchException.class, () -> bn.forward(Tensor.zeros(F64, 2, 4)));
    Lstm lstm = new Lstm(3, 2, 1, false, 0, new Random(1), F64);
    assertThrows(ShapeMismatchException.class, () -> lstm.forward(Tensor.zeros(F64, 2, 4, 5), Tensor.ofInts(new int[] {4, 4}, 2)));
  }

  @Test
  void subsamplingLayersReportOutputLengths() {
    FrameStacking stack = new FrameStacking(3, 3);
    assertArrayEquals(new int[] {3, 1, 0}, stack.outputLengths(Tensor.ofInts(new int[] {9, 3, 2}, 3)).toIntArray());
    Conv1d conv = new Conv1d(2, 2, 3, 2, 1, 1, new Random(1), F64);
    assertArrayEquals(new int[] {5}, conv.outputLengths(Tensor.ofInts(new int[] {10}, 1)).toIntArray());
    assertEquals(5, conv.forward(Tensor.zeros(F64, 1, 10, 2)).dim(1));
  }
}
