package dev.joule.engine.nn;

import dev.joule.engine.ops.Ops;
import dev.joule.engine.tensor.DType;
import dev.joule.engine.tensor.Tensor;

/** Layer normalisation over the last dimension with a learnt scale and shift. */
public final class LayerNorm extends Module {
  private final Tensor gamma;
  private final Tensor beta;
  private final double eps;

  public LayerNorm(int dim, double eps, DType dtype) {
    this.gamma = param("weight", Tensor.full(dtype, 1, dim));
    this.beta = param("bias", Tensor.zeros(dtype, dim));
    this.eps = eps;
  }

  public LayerNorm(int dim, DType dtype) {
    this(dim, 1e-5, dtype);
  }

  public Tensor forward(Tensor x) {
    return Ops.layerNorm(x, gamma, beta, eps);
  }
}
