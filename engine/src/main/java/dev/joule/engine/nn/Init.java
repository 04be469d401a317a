package dev.joule.engine.nn;

import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;
import java.util.Random;

/** Parameter initialisation, PyTorch's defaults so training recipes carry over. */
final class Init {
  private Init() {}

  /** Uniform in {@code ±1/√fanIn}: PyTorch's default for Linear, Conv1d and LSTM weights. */
  static Tensor fanIn(Random random, DType dtype, int fanIn, int... dims) {
    double bound = 1 / Math.sqrt(Math.max(1, fanIn));
    return Tensor.uniform(random, dtype, -bound, bound, dims);
  }
}
