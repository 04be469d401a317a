package dev.joule.engine.optim;

import dev.joule.engine.tensor.Tensor;
import java.util.Collection;

/** Gradient clipping by the global L2 norm over a set of parameters. */
public final class GradientClipping {
  private GradientClipping() {}

  /**
   * Scales every gradient by {@code maxNorm / total} when the L2 norm {@code total} of all
   * gradients together exceeds {@code maxNorm}; returns {@code total} (before clipping), the
   * figure training logs. A non-finite norm is returned and nothing is scaled, so the caller can
   * skip the step.
   */
  public static double clipByGlobalNorm(Collection<Tensor> params, double maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("maximum gradient norm must be > 0; got " + maxNorm);
    }
    double sq = 0;
    for (Tensor p : params) {
      if (p.grad() != null) {
        for (double g : p.grad().values()) {
          sq += g * g;
        }
      }
    }
    double total = Math.sqrt(sq);
    if (!Double.isFinite(total) || total <= maxNorm) {
      return total;
    }
    double scale = maxNorm / total;
    for (Tensor p : params) {
      Tensor g = p.grad();
      if (g != null) {
        double[] v = g.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
          v[i] *= scale;
        }
        p.setGrad(Tensor.wrap(v, g.shape(), g.dtype()));
      }
    }
    return total;
  }
}
