package dev.joule.engine.optim;

import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.Tensor;
import java.util.Collection;

/**
 * Stochastic gradient descent with (optionally Nesterov) momentum and L2 weight decay, PyTorch's
 * formulation: {@code g += wd·w; v = μ·v + g; w −= lr·(nesterov ? g + μ·v : v)}.
 */
public final class Sgd extends Optimizer {
  private final double momentum;
  private final double weightDecay;
  private final boolean nesterov;
  private final MomentSlots velocity;

  public Sgd(Collection<Tensor> params, double lr, double momentum, double weightDecay, boolean nesterov) {
    super(params, lr);
    this.momentum = momentum;
    this.weightDecay = weightDecay;
    this.nesterov = nesterov;
    this.velocity = new MomentSlots(this.params.size());
  }

  public Sgd(Collection<Tensor> params, double lr, double momentum) {
    this(params, lr, momentum, 0, false);
  }

  @Override
  protected void update(int index, double[] w, int offset, int size, double[] g, boolean float32) {
    double[] v = velocity.host(index, size);
    double lr = learningRate();
    for (int i = 0; i < size; i++) {
      double grad = g[i] + weightDecay * w[offset + i];
      v[i] = momentum * v[i] + grad;
      double d = nesterov ? grad + momentum * v[i] : v[i];
      w[offset + i] = store(w[offset + i] - lr * d, float32);
    }
  }

  @Override
  protected void updateOnGpu(int index, GpuTensors gpu, GpuStorage w, GpuStorage g) {
    long n = w.length();
    GpuStorage v = velocity.device(index, gpu, (int) n);
    gpu.ops().sgd(n, (float) learningRate(), (float) momentum, (float) weightDecay, nesterov, w.buffer(), g.buffer(), v.buffer());
  }
}
