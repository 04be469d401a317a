package dev.joule.engine.optim;

import dev.joule.engine.tensor.Tensor;
import java.util.Collection;

/**
 * Adam with bias correction. Weight decay is either L2 added to the gradient (Adam) or
 * decoupled, applied to the weights directly as {@code w −= lr·wd·w} (AdamW, Loshchilov and
 * Hutter).
 */
public final class Adam extends Optimizer {
  private final double beta1;
  private final double beta2;
  private final double eps;
  private final double weightDecay;
  private final boolean decoupled;
  private final double[][] m;
  private final double[][] v;
  private final int[] steps;

  public Adam(Collection<Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled) {
    super(params, lr);
    if (beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || eps <= 0) {
      throw new IllegalArgumentException("Adam needs 0 ≤ beta < 1 and eps > 0; got " + beta1 + ", " + beta2 + ", " + eps);
    }
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.weightDecay = weightDecay;
    this.decoupled = decoupled;
    this.m = new double[this.params.size()][];
    this.v = new double[this.params.size()][];
    this.steps = new int[this.params.size()];
  }

  /** Adam with PyTorch's defaults (0.9, 0.999, 1e-8) and no weight decay. */
  public static Adam adam(Collection<Tensor> params, double lr) {
    return new Adam(params, lr, 0.9, 0.999, 1e-8, 0, false);
  }

  /** AdamW with PyTorch's defaults and decoupled weight decay {@code weightDecay}. */
  public static Adam adamW(Collection<Tensor> params, double lr, double weightDecay) {
    return new Adam(params, lr, 0.9, 0.999, 1e-8, weightDecay, true);
  }

  @Override
  protected void update(int index, double[] w, int offset, int size, double[] g, boolean float32) {
    if (m[index] == null) {
      m[index] = new double[size];
      v[index] = new double[size];
    }
    double[] mi = m[index];
    double[] vi = v[index];
    int t = ++steps[index];
    double lr = learningRate();
    double c1 = 1 - Math.pow(beta1, t);
    double c2 = 1 - Math.pow(beta2, t);
    for (int i = 0; i < size; i++) {
      double wi = w[offset + i];
      double grad = g[i];
      if (decoupled) {
        wi -= lr * weightDecay * wi;
      } else {
        grad += weightDecay * wi;
      }
      mi[i] = beta1 * mi[i] + (1 - beta1) * grad;
      vi[i] = beta2 * vi[i] + (1 - beta2) * grad * grad;
      double step = lr * (mi[i] / c1) / (Math.sqrt(vi[i] / c2) + eps);
      w[offset + i] = store(wi - step, float32);
    }
  }
}
