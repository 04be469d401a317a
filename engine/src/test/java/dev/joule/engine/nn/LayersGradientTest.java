package dev.joule.engine.nn;

import static dev.joule.engine.testing.GradCheck.check;
import static dev.joule.engine.testing.GradCheck.param;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** Finite-difference gradient checks, in float64, of every layer's input and parameters. */
class LayersGradientTest {
  private static final DType F64 = DType.FLOAT64;
  private final Random random = new Random(17);

  /** Checks the gradient with respect to {@code x} and every parameter of {@code layer}. */
  private static void checkLayer(Module layer, Tensor x, Function<Tensor, Tensor> forward) {
    List<Tensor> inputs = new ArrayList<>();
    inputs.add(x);
    inputs.addAll(layer.parameters().values());
    check(in -> forward.apply(in.get(0)), inputs.toArray(new Tensor[0]));
  }

  @Test
  void linear() {
    Linear layer = new Linear(4, 3, true, random, F64);
    checkLayer(layer, param(random, 2, 5, 4), layer::forward);
  }

  @Test
  void embedding() {
    Embedding layer = new Embedding(6, 3, random, F64);
    Tensor ids = Tensor.ofInts(new int[] {5, 1, 1, 0}, 4);
    check(in -> layer.forward(ids), layer.parameters().values().toArray(new Tensor[0]));
  }

  @Test
  void layerNorm() {
    LayerNorm layer = new LayerNorm(5, F64);
    // non-trivial scale and shift so their gradients are exercised away from 1 and 0
    layer.parameters().values().forEach(p -> p.buffer()[0] = 0.7);
    checkLayer(layer, param(random, 3, 5), layer::forward);
  }

  @Test
  void conv1dAndTdnn() {
    Conv1d conv = new Conv1d(3, 4, 3, 2, 1, 1, random, F64);
    checkLayer(conv, param(random, 2, 9, 3), conv::forward);
    Conv1d tdnn = new Conv1d(3, 2, 3, 1, 3, 0, random, F64);
    checkLayer(tdnn, param(random, 1, 10, 3), tdnn::forward);
  }

  @Test
  void frameStackingAndDropoutInEvaluation() {
    FrameStacking stack = new FrameStacking(3, 3);
    checkLayer(stack, param(random, 2, 10, 2), stack::forward);
    Dropout dropout = new Dropout(0.5, 1);
    dropout.train(false);
    checkLayer(dropout, param(random, 4), dropout::forward);
  }

  @Test
  void batchNormTrainingAndEvaluation() {
    BatchNorm bn = new BatchNorm(3, F64);
    checkLayer(bn, param(random, 2, 4, 3), bn::forward);
    bn.train(false);
    checkLayer(bn, param(random, 2, 4, 3), bn::forward);
  }

  @Test
  void bidirectionalLstmPackedByLengths() {
    Lstm lstm = new Lstm(3, 2, 2, true, 0, random, F64);
    Tensor lengths = Tensor.ofInts(new int[] {4, 2, 3}, 3);
    checkLayer(lstm, param(random, 3, 4, 3), x -> lstm.forward(x, lengths));
  }

  @Test
  void conformerBlock() {
    ConformerBlock block = new ConformerBlock(8, 2, 3, 0, random, F64);
    Tensor lengths = Tensor.ofInts(new int[] {5, 3}, 2);
    checkLayer(block, param(random, 2, 5, 8), x -> block.forward(x, lengths));
  }
}
