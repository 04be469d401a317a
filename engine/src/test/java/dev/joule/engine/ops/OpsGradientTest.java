package dev.joule.engine.ops;

import static dev.joule.engine.testing.GradCheck.check;
import static dev.joule.engine.testing.GradCheck.param;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Finite-difference gradient checks, in float64, for every op. */
class OpsGradientTest {
  private final Random random = new Random(42);

  @Test
  void arithmeticWithBroadcasting() {
    Tensor a = param(random, 2, 3, 4);
    Tensor b = param(random, 3, 1);
    Tensor c = Tensor.uniform(random, DType.FLOAT64, 1, 2, 4).requiresGrad(true);
    check(in -> Ops.add(in.get(0), in.get(1)), a, b);
    check(in -> Ops.sub(in.get(1), in.get(0)), a, b);
    check(in -> Ops.mul(in.get(0), in.get(1)), a, b);
    check(in -> Ops.div(in.get(0), in.get(1)), a, c);
    check(in -> Ops.biasAdd(in.get(0), in.get(1)), a, param(random, 4));
    check(in -> Ops.broadcastTo(in.get(0), 2, 3, 1), b);
    check(in -> Ops.scale(Ops.addScalar(Ops.neg(in.get(0)), 3), 0.5), a);
  }

  @Test
  void sameTensorUsedTwiceAccumulates() {
    Tensor a = param(random, 3, 2);
    check(in -> Ops.mul(in.get(0), in.get(0)), a);
  }

  @Test
  void matmulAndBatched() {
    check(in -> Ops.matmul(in.get(0), in.get(1)), param(random, 3, 4), param(random, 4, 5));
    check(in -> Ops.linear(in.get(0), in.get(1), in.get(2)), param(random, 2, 3, 4), param(random, 4, 5), param(random, 5));
    check(in -> Ops.matmul(in.get(0), in.get(1)), param(random, 2, 3, 4), param(random, 4, 2));
    check(in -> Ops.matmul(in.get(0), in.get(1)), param(random, 2, 3, 4), param(random, 2, 4, 5));
  }

  @Test
  void reductions() {
    Tensor x = param(random, 2, 3, 4);
    check(in -> Ops.sum(in.get(0)), x);
    check(in -> Ops.mean(in.get(0)), x);
    check(in -> Ops.sum(in.get(0), 1, false), x);
    check(in -> Ops.mean(in.get(0), -1, true), x);
    check(in -> Ops.max(in.get(0), 1, false), x);
    check(in -> Ops.max(in.get(0), 0, true), x);
  }

  @Test
  void elementwiseFunctions() {
    Tensor x = param(random, 3, 4);
    Tensor positive = Tensor.uniform(random, DType.FLOAT64, 0.5, 2, 3, 4).requiresGrad(true);
    check(in -> Ops.exp(in.get(0)), x);
    check(in -> Ops.log(in.get(0)), positive);
    check(in -> Ops.sqrt(in.get(0)), positive);
    check(in -> Ops.pow(in.get(0), -0.5), positive);
    check(in -> Ops.square(in.get(0)), x);
    check(in -> Ops.relu(in.get(0)), x);
    check(in -> Ops.sigmoid(in.get(0)), x);
    check(in -> Ops.tanh(in.get(0)), x);
    check(in -> Ops.silu(in.get(0)), x);
    check(in -> Ops.glu(in.get(0), -1), x);
  }

  @Test
  void softmaxFamily() {
    Tensor x = param(random, 2, 5, 3);
    check(in -> Ops.softmax(in.get(0), 1), x);
    check(in -> Ops.logSoftmax(in.get(0), -1), x);
    check(in -> Ops.logSumExp(in.get(0), 1), x);
  }

  @Test
  void layoutOps() {
    Tensor x = param(random, 2, 3, 4);
    Tensor y = param(random, 2, 2, 4);
    check(in -> Ops.reshape(in.get(0), 6, -1), x);
    check(in -> Ops.transpose(in.get(0), 0, 2), x);
    check(in -> Ops.permute(in.get(0), 1, 2, 0), x);
    check(in -> Ops.narrow(in.get(0), 1, 1, 2), x);
    check(in -> Ops.narrow(in.get(0), 0, 1, 1), x);
    check(in -> Ops.concat(List.of(in.get(0), in.get(1)), 1), x, y);
    check(in -> Ops.mul(Ops.split(in.get(0), 2, 1, 3).get(1), Ops.split(in.get(0), 2, 1, 3).get(1)), x);
    check(in -> Ops.stack(List.of(in.get(0), in.get(0)), 1), x);
  }

  @Test
  void embedding() {
    Tensor table = param(random, 5, 3);
    Tensor ids = Tensor.ofInts(new int[] {4, 0, 4, 2}, 2, 2);
    check(in -> Ops.embedding(in.get(0), ids), table);
  }

  @Test
  void convolutionsAndFrameStacking() {
    Tensor x = param(random, 2, 9, 3);
    check(in -> Ops.unfold(in.get(0), 3, 2, 2, 1, 2), x);
    check(in -> Ops.stackFrames(in.get(0), 3, 3), x);
    check(in -> Ops.conv1d(in.get(0), in.get(1), in.get(2), 1, 2, 2, 2), x, param(random, 3, 3, 4), param(random, 4));
    check(in -> Ops.conv1d(in.get(0), in.get(1), null, 3, 1, 0, 0), x, param(random, 2, 3, 2));
    check(in -> Ops.depthwiseConv1d(in.get(0), in.get(1), in.get(2), 1, 1, 2, 2), x, param(random, 5, 3), param(random, 3));
  }

  @Test
  void attentionProductsOfEveryHead() {
    Tensor q = param(random, 2, 3, 6);
    Tensor k = param(random, 2, 3, 6);
    check(in -> Ops.headScores(in.get(0), in.get(1), 2), q, k);
    check(in -> Ops.headScores(in.get(0), in.get(1), 3), q, k);
    check(in -> Ops.headScores(in.get(0), in.get(1), 2, 0.3), q, k);
    check(in -> Ops.headContext(in.get(0), in.get(1), 2), param(random, 2, 2, 3, 3), param(random, 2, 3, 6));
  }

  @Test
  void selfAttentionOnPackedProjections() {
    Tensor qkv = param(random, 2, 4, 12);
    Tensor keyBias = Ops.reshape(Ops.attentionBias(Tensor.ofInts(new int[] {4, 2}, 2), 4, DType.FLOAT64), 2, 1, 1, 4);
    check(in -> Ops.selfAttention(in.get(0), 2, 0.3, null, 0, null), qkv);
    check(in -> Ops.selfAttention(in.get(0), 1, 0.3, keyBias, 0, null), qkv);
    check(in -> Ops.selfAttention(in.get(0), 2, 0.7, keyBias, 0.3, new Random(10)), qkv);
  }

  @Test
  void maskingAndNormalisation() {
    Tensor x = param(random, 3, 4, 2);
    Tensor lengths = Tensor.ofInts(new int[] {4, 1, 2}, 3);
    check(in -> Ops.maskByLengths(in.get(0), lengths), x);
    check(in -> Ops.layerNorm(in.get(0), in.get(1), in.get(2), 1e-5), x, param(random, 2), param(random, 2));
    check(in -> Ops.batchNormTraining(in.get(0), in.get(1), in.get(2), 1e-5).output(), param(random, 6, 3), param(random, 3),
        param(random, 3));
    Tensor seeded = param(random, 4, 5);
    check(in -> Ops.dropout(in.get(0), 0.3, new Random(5)), seeded);
    check(in -> Ops.softmaxDropout(in.get(0), -1, 0.3, new Random(6)), param(random, 3, 6));
    check(in -> Ops.residualDropout(in.get(0), in.get(1), 0.5, 0.3, new Random(7)), param(random, 3, 6), param(random, 3, 6));
    check(in -> Ops.residualDropout(in.get(0), in.get(1), in.get(2), 0.5, 0.3, new Random(8)), param(random, 3, 6),
        param(random, 3, 6), param(random, 6));
    check(in -> Ops.siluWithBias(in.get(0), in.get(1)), param(random, 3, 4), param(random, 4));
    check(in -> Ops.siluWithBiasDropout(in.get(0), in.get(1), 0.4, new Random(9)), param(random, 3, 4), param(random, 4));
    check(in -> Ops.gluWithBias(in.get(0), in.get(1)), param(random, 3, 4), param(random, 4));
  }

  @Test
  void lstmBothDirectionsWithPadding() {
    int h = 3;
    Tensor xp = param(random, 3, 5, 4 * h);
    Tensor whh = Tensor.randn(random, DType.FLOAT64, 0.5, h, 4 * h).requiresGrad(true);
    Tensor lengths = Tensor.ofInts(new int[] {5, 2, 4}, 3);
    check(in -> Ops.lstm(in.get(0), in.get(1), lengths, false), xp, whh);
    check(in -> Ops.lstm(in.get(0), in.get(1), lengths, true), xp, whh);
  }
}
