package dev.joule.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Adam's state round trip: an optimiser restored mid-run continues exactly like the original. */
class AdamStateTest {
  private static void gradients(List<Tensor> params, int step) {
    Random r = new Random(step);
    for (Tensor p : params) {
      p.setGrad(Tensor.randn(r, DType.FLOAT64, 1, p.shape().dims()));
    }
  }

  private static List<Tensor> params(long seed) {
    Random r = new Random(seed);
    return List.of(Tensor.randn(r, DType.FLOAT32, 1, 3, 4).requiresGrad(true),
        Tensor.randn(r, DType.FLOAT32, 1, 5).requiresGrad(true), Tensor.randn(r, DType.FLOAT32, 1, 2).requiresGrad(true));
  }

  @Test
  void restoredOptimiserContinuesBitForBit() {
    List<Tensor> a = params(1);
    Adam original = Adam.adamW(a, 0.01, 0.1);
    for (int step = 0; step < 3; step++) {
      gradients(a.subList(0, step == 0 ? 1 : 3), step); // the last two parameters start late
      original.step();
      original.zeroGrad();
    }
    Map<String, Tensor> saved = original.state();
    List<Tensor> b = params(1);
    for (int i = 0; i < a.size(); i++) {
      System.arraycopy(a.get(i).values(), 0, b.get(i).buffer(), b.get(i).offset(), a.get(i).size());
    }
    Adam restored = Adam.adamW(b, 0.01, 0.1);
    restored.loadState(saved);
    for (int step = 3; step < 6; step++) {
      gradients(a, step);
      gradients(b, step);
      original.step();
      restored.step();
      original.zeroGrad();
      restored.zeroGrad();
    }
    for (int i = 0; i < a.size(); i++) {
      assertArrayEquals(a.get(i).values(), b.get(i).values(), 0.0);
    }
  }

  @Test
  void stateOfOtherParametersIsRefused() {
    Adam small = Adam.adam(params(1).subList(0, 2), 0.1);
    Adam large = Adam.adam(params(1), 0.1);
    assertThrows(IllegalArgumentException.class, () -> small.loadState(large.state()));
  }
}
