package dev.joule.engine.optim;

import dev.joule.engine.gpu.GpuStorage;
import dev.joule.engine.gpu.GpuTensors;
import dev.joule.engine.tensor.Tensor;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

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
  private final MomentSlots m;
  private final MomentSlots v;
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
    this.m = new MomentSlots(this.params.size());
    this.v = new MomentSlots(this.params.size());
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
    double[] mi = m.host(index, size);
    double[] vi = v.host(index, size);
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

  @Override
  protected void updateOnGpu(int index, GpuTensors gpu, GpuStorage w, GpuStorage g) {
    int n = (int) w.length();
    GpuStorage mi = m.device(index, gpu, n);
    GpuStorage vi = v.device(index, gpu, n);
    int t = ++steps[index];
    gpu.ops().adam(n, t, (float) learningRate(), (float) beta1, (float) beta2, (float) eps, (float) weightDecay, decoupled,
        w.buffer(), g.buffer(), mi.buffer(), vi.buffer());
  }

  /**
   * The moment estimates and step counts, as float64 tensors named {@code m.I}, {@code v.I} and
   * {@code steps} (I = parameter index), so a checkpoint can restore the optimiser exactly.
   * Parameters not updated yet have no moments.
   */
  public Map<String, Tensor> state() {
    Map<String, Tensor> out = new LinkedHashMap<>();
    double[] s = new double[steps.length];
    for (int i = 0; i < steps.length; i++) {
      s[i] = steps[i];
      if (m.has(i)) {
        int size = params.get(i).size();
        out.put("m." + i, Tensor.of(m.snapshot(i, size), size));
        out.put("v." + i, Tensor.of(v.snapshot(i, size), size));
      }
    }
    out.put("steps", Tensor.of(s, s.length));
    return out;
  }

  /**
   * Restores what {@link #state()} returned for an optimiser over parameters of the same shapes.
   *
   * @throws IllegalArgumentException when the state does not fit these parameters
   */
  public void loadState(Map<String, Tensor> state) {
    Tensor s = state.get("steps");
    if (s == null || s.size() != steps.length) {
      throw new IllegalArgumentException("optimiser state is for " + (s == null ? "no" : s.size())
          + " parameters; this optimiser has " + steps.length);
    }
    double[][] newM = new double[steps.length][];
    double[][] newV = new double[steps.length][];
    for (int i = 0; i < steps.length; i++) {
      Tensor mi = state.get("m." + i);
      Tensor vi = state.get("v." + i);
      if ((mi == null) != (vi == null)) {
        throw new IllegalArgumentException("optimiser state of parameter " + i + " is incomplete");
      }
      if (mi != null) {
        int size = params.get(i).size();
        if (mi.size() != size || vi.size() != size) {
          throw new IllegalArgumentException("optimiser state of parameter " + i + " has " + mi.size()
              + " values; the parameter has " + size);
        }
        newM[i] = mi.toDoubleArray();
        newV[i] = vi.toDoubleArray();
      }
    }
    double[] sv = s.toDoubleArray();
    for (int i = 0; i < steps.length; i++) {
      m.restore(i, newM[i]);
      v.restore(i, newV[i]);
      steps[i] = (int) sv[i];
    }
  }
}
